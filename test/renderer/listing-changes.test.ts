import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VaultItem, VaultListingChanges, VaultStatus } from '../../common/vault.js';
import { ListingVersions } from '../../main/core/vault/listing-versions.js';
import { entryIndex } from '../../renderer/src/lib/entry-order.js';
import { withChanges } from '../../renderer/src/lib/listing-changes.js';
import { useNavigation } from '../../renderer/src/stores/navigation.js';
import { followNavigation, useVault } from '../../renderer/src/stores/vault.js';
import { installBridge } from './bridge.js';
import { resetStores } from './vault-harness.js';

// The window keeps its listing and takes only what changed (issue 16 §3): the pure step that applies
// changes, and the store through the real bridge. The vault key cannot be made in jsdom (Argon2id's
// worker and libsodium want Node's own URL and typed arrays), so the listings main would send are
// versioned here by main's own ListingVersions; the core side is tested with the real sandbox in
// test/main/core/vault/listing-changes.test.ts.

const item = (key: string, notes = ''): VaultItem => ({ key, realmId: '', kind: 'secret', format: 'hv1', notes, size: 1, storedBytes: 1, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z' });

describe('withChanges', () => {
  it('replaces changed entries where they were, adds new ones, drops removed ones', () => {
    const entries = [item('a'), item('b'), item('c')];
    const next = withChanges(entries, [item('b', 'changed'), item('d')], ['c', 'not-there']);
    expect(next.map((e) => [e.key, e.notes])).toEqual([['a', ''], ['b', 'changed'], ['d', '']]);
    expect(entries.map((e) => e.key)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the very same array when nothing changed, so its order and search index are reused', () => {
    const entries = [item('a'), item('b')];
    expect(withChanges(entries, [], [])).toBe(entries);
  });
});

const stops: Array<() => Promise<unknown>> = [];
beforeEach(resetStores);
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('the vault store', () => {
  it('asks for the changes since its listing, applies them, and keeps its entries when there are none', async () => {
    // What the server holds now, per scope, as main would list it.
    const server = new Map<string, VaultItem[]>([['', [item('alpha'), item('beta'), item('gamma')]]]);
    const versions = new ListingVersions();
    const answers: Array<{ since: string | undefined; whole: boolean }> = [];
    const core = await installBridge(await mkdtemp(join(tmpdir(), 'listing-changes-')), async (op, input) => {
      if (op !== 'vault.listChanges') return undefined;
      const { realmId, since } = input as { realmId: string; since?: string };
      const entries = (server.get(realmId) ?? []).map((e) => ({ ...e, realmId }));
      const version = versions.record(realmId, entries);
      const changes = since === undefined ? undefined : versions.since(realmId, since);
      const rest = { realmId, version, stats: { keys: entries.length, scopeBytes: 0, accountUsedBytes: 0, accountLimitBytes: 0, usedPercentage: 0, remainingBytes: 0 }, copy: { state: 'missing' as const } };
      const data: VaultListingChanges = changes ? { ...rest, changes } : { ...rest, entries };
      answers.push({ since, whole: data.entries !== undefined });
      return { ok: true, data };
    });
    stops.push(() => core.close());

    const store = () => useVault.getState();
    await store().refresh();
    const first = store().listing!;
    expect(first.entries.map((e) => e.key)).toEqual(['alpha', 'beta', 'gamma']);
    const order = entryIndex(first.entries).visible('', { key: 'name', descending: false });

    // Nothing changed: the same entries array (the list is not indexed or drawn again).
    await store().refresh();
    expect(store().listing!.entries).toBe(first.entries);
    expect(entryIndex(store().listing!.entries).visible('', { key: 'name', descending: false })).toBe(order);

    // One added, one changed, one deleted; meanwhile the window saved one itself (upsert).
    server.set('', [item('alpha'), item('beta', 'new notes'), item('delta')]);
    store().upsert(item('delta'));
    await store().refresh();
    const after = store().listing!;
    expect(after.entries.map((e) => [e.key, e.notes])).toEqual([['alpha', ''], ['beta', 'new notes'], ['delta', '']]);
    expect(after.stats.keys).toBe(3);
    // The unchanged entry is the very object the window already had.
    expect(after.entries[0]).toBe(first.entries[0]);

    // The whole listing once, then changes since the version the window held.
    expect(answers).toEqual([
      { since: undefined, whole: true },
      { since: first.version, whole: false },
      { since: first.version, whole: false },
    ]);

    // Another scope: its whole listing, not changes against the other.
    server.set('aa11aa11aa11aa11aa11aa11', [item('in-realm')]);
    store().setScope('aa11aa11aa11aa11aa11aa11');
    await expect.poll(() => store().listing?.entries.map((e) => e.key)).toEqual(['in-realm']);
    expect(answers.at(-1)).toEqual({ since: undefined, whole: true });
  });
});

/** A promise and what settles it (Node 20 has no Promise.withResolvers). */
function held(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('going back to the vault', () => {
  it('asks for the listing at the click, with the scopes at once, and once however many ask', async () => {
    const calls: string[] = [];
    // The scopes' answer waits until the test lets it go.
    let gate = held();
    const versions = new ListingVersions();
    const core = await installBridge(await mkdtemp(join(tmpdir(), 'vault-enter-')), async (op, input) => {
      if (op === 'vault.realms') {
        calls.push('realms');
        await gate.promise;
        return { ok: true, data: { realms: [], globalAllowed: true, names: {}, namesWritable: true } };
      }
      if (op !== 'vault.listChanges') return undefined;
      const { since } = input as { since?: string };
      calls.push(since ? 'changes' : 'whole');
      const entries = [item('alpha')];
      const version = versions.record('', entries);
      const rest = { realmId: '', version, stats: { keys: 1, scopeBytes: 0, accountUsedBytes: 0, accountLimitBytes: 0, usedPercentage: 0, remainingBytes: 0 }, copy: { state: 'missing' as const } };
      const changes = since === undefined ? undefined : versions.since('', since);
      return { ok: true, data: changes ? { ...rest, changes } : { ...rest, entries } };
    });
    stops.push(() => core.close());
    const stop = followNavigation();
    stops.push(async () => stop());
    const store = () => useVault.getState();
    // A token limited to some realms: nothing held yet (just unlocked), the scopes first, since they say which scope to list.
    useVault.setState({ status: { state: 'unlocked', allowedRealms: ['a1a1a1a1a1a1a1a1a1a1a1a1'] } as VaultStatus });
    const first = store().enter();
    await expect.poll(() => calls).toEqual(['realms']);
    gate.resolve();
    await first;
    expect(calls).toEqual(['realms', 'whole']);

    // A token that opens every scope: the scope shown stays, so both at once.
    useVault.setState({ status: { state: 'unlocked', allowedRealms: null } as VaultStatus, listing: undefined });
    calls.length = 0;
    gate = held();
    const unlocked = store().enter();
    await expect.poll(() => [...calls].sort()).toEqual(['realms', 'whole']);
    gate.resolve();
    await unlocked;

    // Away and back: the click itself asks, and the listing does not wait for the scopes' answer.
    calls.length = 0;
    gate = held();
    useNavigation.getState().go('settings');
    useNavigation.getState().go('vault');
    await expect.poll(() => [...calls].sort()).toEqual(['changes', 'realms']);
    // The view, drawn next, asks too: it joins the same entering.
    const again = store().enter();
    gate.resolve();
    await again;
    expect(calls.filter((call) => call === 'changes')).toHaveLength(1);
    expect(store().listing!.entries.map((e) => e.key)).toEqual(['alpha']);
  });
});
