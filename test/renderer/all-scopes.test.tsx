import { act, waitFor } from '@testing-library/react';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../common/realm-names.js';
import type { VaultItem, VaultListing, VaultListingChanges } from '../../common/vault.js';
import { ListingVersions } from '../../main/core/vault/listing-versions.js';
import { entryId } from '../../renderer/src/stores/all-scopes.js';
import { useVault } from '../../renderer/src/stores/vault.js';
import { installBridge } from './bridge.js';
import { resetStores } from './vault-harness.js';

// All scopes keeps each scope's listing and asks main only for what changed since it, as the
// single-scope view does: at 10,000 entries a return to All scopes would otherwise be every scope's
// whole listing sent, parsed, merged and sorted again. The listings main would send are versioned
// here by main's own ListingVersions (the vault key cannot be made in jsdom); the core side is
// tested with the real sandbox in test/main/core/vault/listing-changes.test.ts.

const A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const item = (realmId: string, key: string, notes = ''): VaultItem => ({ key, realmId, kind: 'secret', format: 'hv1', notes, size: 1, storedBytes: 1, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z' });
const stats = (keys: number) => ({ keys, scopeBytes: keys, accountUsedBytes: 0, accountLimitBytes: 0, usedPercentage: 0, remainingBytes: 0 });

const stops: Array<() => Promise<unknown>> = [];
beforeEach(resetStores);
afterEach(async () => {
  resetStores();
  for (const stop of stops.splice(0)) await stop();
});

/** Main as the window sees it: three scopes; each listing answered whole or as changes, as main's own versions say. */
async function world() {
  const server = new Map<string, VaultItem[]>([
    ['', [item('', 'shared-key'), item('', 'global-only')]],
    [A, [item(A, 'shared-key'), item(A, 'db-password')]],
    [B, [item(B, 'b-only'), item(B, 'b-gone')]],
  ]);
  const versions = new ListingVersions();
  const answers: Array<{ op: string; realmId: string; since: string | undefined; whole: boolean }> = [];
  const core = await installBridge(await mkdtemp(join(tmpdir(), 'all-scopes-')), async (op, input) => {
    if (op === 'vault.realms') return { ok: true, data: { realms: [A, B], globalAllowed: true, names: {}, namesWritable: true } };
    if (op !== 'vault.listChanges' && op !== 'vault.list') return undefined;
    const { realmId, since } = input as { realmId: string; since?: string };
    const entries = server.get(realmId) ?? [];
    const version = versions.record(realmId, entries);
    const rest = { realmId, version, stats: stats(entries.length), copy: { state: 'ok' as const, syncedAt: '2026-11-01T00:00:00Z' } };
    const changes = op === 'vault.listChanges' && since !== undefined ? versions.since(realmId, since) : undefined;
    const data: VaultListingChanges | VaultListing = changes ? { ...rest, changes } : { ...rest, entries };
    answers.push({ op, realmId, since, whole: 'entries' in data && data.entries !== undefined });
    return { ok: true, data };
  });
  stops.push(() => core.close());
  await useVault.getState().loadRealms();
  return { server, answers };
}

const store = () => useVault.getState();
const ids = () => store().listing!.entries.map(entryId).sort();

async function refreshed(run: () => void | Promise<void>): Promise<void> {
  await act(async () => {
    await run();
    await waitFor(() => expect(store().loading).toBe(false));
  });
}

describe('All scopes', () => {
  it('lists each scope whole once, then asks only for the changes since each scope’s own version', async () => {
    const w = await world();
    await refreshed(() => store().setScope(ALL_SCOPES));
    expect(w.answers.map((a) => [a.realmId, a.whole]).sort()).toEqual([['', true], [A, true], [B, true]]);
    expect(ids()).toEqual([':global-only', ':shared-key', `${A}:db-password`, `${A}:shared-key`, `${B}:b-gone`, `${B}:b-only`]);
    const entries = store().listing!.entries;
    const versionOf = (realmId: string) => store().parts.get(realmId)!.listing!.version;
    const held = { '': versionOf(''), [A]: versionOf(A), [B]: versionOf(B) };

    // Back to the vault (VaultBrowser refreshes): each scope is asked since its version; nothing
    // changed, so nothing is sent again and the merged list is the very same array (not sorted again).
    w.answers.length = 0;
    await refreshed(() => store().refresh());
    expect(w.answers.map((a) => [a.op, a.realmId, a.since, a.whole]).sort()).toEqual([
      ['vault.listChanges', '', held[''], false],
      ['vault.listChanges', A, held[A], false],
      ['vault.listChanges', B, held[B], false],
    ]);
    expect(store().listing!.entries).toBe(entries);

    // Another computer adds an entry in A and deletes one in B: the changes alone come, and show.
    w.server.set(A, [...w.server.get(A)!, item(A, 'api-token', 'new')]);
    w.server.set(B, w.server.get(B)!.filter((e) => e.key !== 'b-gone'));
    w.answers.length = 0;
    await refreshed(() => store().refresh());
    expect(w.answers.every((a) => a.op === 'vault.listChanges' && !a.whole)).toBe(true);
    expect(ids()).toEqual([':global-only', ':shared-key', `${A}:api-token`, `${A}:db-password`, `${A}:shared-key`, `${B}:b-only`]);
    expect(store().listing!.entries.find((e) => e.key === 'api-token')!.notes).toBe('new');
    expect(store().listing!.stats.keys).toBe(6);

    // One scope changed (a save there): only it is asked again, since its newer version, and its entry changes in place.
    w.server.set(A, w.server.get(A)!.map((e) => (e.key === 'db-password' ? item(A, 'db-password', 'rotated') : e)));
    const sinceA = versionOf(A);
    w.answers.length = 0;
    await refreshed(() => store().refresh(A));
    expect(w.answers).toEqual([{ op: 'vault.listChanges', realmId: A, since: sinceA, whole: false }]);
    expect(store().listing!.entries.filter((e) => e.key === 'db-password').map((e) => e.notes)).toEqual(['rotated']);
    expect(ids()).toHaveLength(6);
  });

  it('a scope chosen alone and All scopes again: All scopes starts from whole listings (its parts were dropped with the scope change)', async () => {
    const w = await world();
    await refreshed(() => store().setScope(ALL_SCOPES));
    await refreshed(() => store().setScope(A));
    w.answers.length = 0;
    await refreshed(() => store().setScope(ALL_SCOPES));
    expect(w.answers.every((a) => a.op === 'vault.listChanges' && a.since === undefined && a.whole)).toBe(true);
    expect(ids()).toHaveLength(6);
  });
});
