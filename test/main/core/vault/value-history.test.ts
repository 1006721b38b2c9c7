import { afterEach, describe, expect, it } from 'vitest';
import { openMetadata, isEntryMetadata } from '../../../../main/core/crypto/envelope.js';
import { METADATA_MAX_BYTES, jsonByteLength } from '../../../../common/rules.js';
import { HISTORY_MAX } from '../../../../common/value-history.js';
import type { Core } from '../../../../main/core/core.js';
import { okData } from '../../../support/core.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld, type VaultWorld } from '../../../support/vault-world.js';
import { nextSync } from '../../../support/vault-sync.js';

// A secret's earlier values, sealed in its metadata: kept on each save that changes the value,
// capped at ten and at the API's metadata limit, listed by date, opened, copied and restored, and
// carried by saves made offline. Real sandbox over HTTP, real keychain.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

const unlocked = () => unlockedVaultWorld(tempDir, cleanups, 'history suite passphrase');

/** Saves a value over the key and gives the server's `updated_at` of the value it replaced. */
async function update(core: Core, w: VaultWorld, key: string, value: string, notes = '') {
  const before = ((await (await w.api('GET', key)).json()) as { data: { updated_at: string } }).data.updated_at;
  okData(await core.call('vault.save', { realmId: '', key, value, notes, mode: 'update' }));
  return before;
}

describe('value history', () => {
  it('keeps each replaced value with its date, newest first, sealed: nothing of it in the clear', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'stripe-key', value: 'sk_live_one', notes: 'payments', mode: 'create' }));
    expect(okData(await core.call('vault.history', { realmId: '', key: 'stripe-key' })).items).toEqual([]);
    const firstAt = await update(core, w, 'stripe-key', 'sk_live_two', 'payments');
    const secondAt = await update(core, w, 'stripe-key', 'sk_live_three', 'payments');
    // Notes alone, or the same value again, replace no value: nothing more in the history.
    okData(await core.call('vault.save', { realmId: '', key: 'stripe-key', notes: 'payments, rotated', mode: 'update' }));
    okData(await core.call('vault.save', { realmId: '', key: 'stripe-key', value: 'sk_live_three', notes: 'payments, rotated', mode: 'update' }));
    const history = okData(await core.call('vault.history', { realmId: '', key: 'stripe-key' }));
    expect(history).toEqual({ key: 'stripe-key', realmId: '', max: HISTORY_MAX, items: [{ index: 0, at: secondAt, size: 11 }, { index: 1, at: firstAt, size: 11 }] });
    expect(okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'stripe-key', index: 1, at: firstAt }))).toEqual({ value: 'sk_live_one', at: firstAt });
    // Serve mode has no clipboard in main: the window is handed the value to copy and clear.
    expect(okData(await core.call('vault.copyHistoryValue', { realmId: '', key: 'stripe-key', index: 0, at: secondAt }))).toEqual({ by: 'renderer', value: 'sk_live_two', clearAfterSeconds: 30 });
    const stored = await w.stored('stripe-key');
    expect(JSON.stringify(stored)).not.toMatch(/sk_live|payments/);
    // The listing's size check still accepts the larger metadata: the entry is not "Cannot open".
    const listed = okData(await core.call('vault.list', { realmId: '' })).entries.find((e) => e.key === 'stripe-key');
    expect(listed).toMatchObject({ format: 'hv1', notes: 'payments, rotated' });
    expect(listed?.problem).toBeUndefined();
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'stripe-key' })).value).toBe('sk_live_three');
  });

  it('names the field when asked for a date it does not hold', async () => {
    const { core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'k', value: 'a', notes: '', mode: 'create' }));
    const at = okData(await core.call('vault.save', { realmId: '', key: 'k', value: 'b', notes: '', mode: 'update' })).updatedAt;
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'k' }));
    expect(items).toHaveLength(1);
    expect(await core.call('vault.revealHistoryValue', { realmId: '', key: 'k', index: 0, at: '2020-01-01T00:00:00.000Z' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', fields: { at: expect.stringContaining('is not the date of an earlier value') } } });
    // A place past the history, or a date that no longer matches it (a save moved it), is refused the same way.
    expect(await core.call('vault.revealHistoryValue', { realmId: '', key: 'k', index: 1, at: items[0]!.at })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    okData(await core.call('vault.save', { realmId: '', key: 'k', value: 'c', notes: '', mode: 'update' }));
    expect(await core.call('vault.restoreValue', { realmId: '', key: 'k', index: 0, at: items[0]!.at })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'k', index: 0, at }))).toEqual({ value: 'b', at });
    expect(await core.call('vault.restoreValue', { realmId: '', key: 'k', index: 0, at: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { at: expect.any(String) } } });
    expect(await core.call('vault.restoreValue', { realmId: '', key: 'k', index: 10, at })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { index: 'must be a whole number from 0 to 9' } } });
  });

  it('keeps the last ten, dropping the oldest', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'rotating', value: 'v0', notes: '', mode: 'create' }));
    const dates: string[] = [];
    for (let i = 1; i <= 13; i += 1) dates.unshift(await update(core, w, 'rotating', `v${i}`));
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'rotating' }));
    expect(items.map((i) => i.at)).toEqual(dates.slice(0, 10));
    const values = await Promise.all(items.map(async (i) => okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'rotating', index: i.index, at: i.at })).value));
    expect(values).toEqual(['v12', 'v11', 'v10', 'v9', 'v8', 'v7', 'v6', 'v5', 'v4', 'v3']);
  });

  it('drops the oldest further when the sealed metadata would pass the API limit', async () => {
    const { w, core } = await unlocked();
    // 60 000 characters each: sealed and base64-encoded, three fit in 256 KB (about 240 KB), four do not.
    const big = (n: number) => `${n}`.repeat(60_000);
    okData(await core.call('vault.save', { realmId: '', key: 'cert', value: big(1), notes: '', mode: 'create' }));
    for (let i = 2; i <= 7; i += 1) await update(core, w, 'cert', big(i));
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'cert' }));
    const values = await Promise.all(items.map(async (i) => okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'cert', index: i.index, at: i.at })).value));
    expect(values).toEqual([big(6), big(5), big(4)]);
    const stored = await w.stored('cert');
    expect(jsonByteLength(stored.metadata)).toBeLessThanOrEqual(METADATA_MAX_BYTES);
  });

  it('restores an earlier value in one call; the value it replaces goes into the history, notes kept', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'db', value: 'old-password', notes: 'production', mode: 'create' }));
    const oldAt = await update(core, w, 'db', 'new-password', 'production');
    const restored = okData(await core.call('vault.restoreValue', { realmId: '', key: 'db', index: 0, at: oldAt }));
    expect(restored).toMatchObject({ key: 'db', format: 'hv1', notes: 'production' });
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'db' })).value).toBe('old-password');
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'db' }));
    expect(items).toHaveLength(2);
    expect(okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'db', index: 0, at: items[0]!.at })).value).toBe('new-password');
    expect(items[1]!.at).toBe(oldAt);
  });

  it('restores from one read of the entry: the version the earlier value was picked from is the one the save builds on', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'api', value: 'first', notes: 'ci', mode: 'create' }));
    const firstAt = await update(core, w, 'api', 'second', 'ci');
    const reads = async () => {
      const log = await fetch(`${w.url()}/api/v1/users/auth/activity?method=GET&limit=100`, { headers: { Authorization: `Bearer ${w.token}` } });
      return ((await log.json()) as { data: Array<{ path: string }> }).data.filter((r) => r.path.endsWith('/vault/keys/api')).length;
    };
    const before = await reads();
    okData(await core.call('vault.restoreValue', { realmId: '', key: 'api', index: 0, at: firstAt }));
    // The restore's write came back after its read was logged: the count is final.
    expect(await reads()).toBe(before + 1);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'api' })).value).toBe('first');
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'api' }));
    expect(okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'api', index: 0, at: items[0]!.at })).value).toBe('second');

    // Another tool writes the entry after the user's list of earlier values: the restore is refused, nothing written.
    const listed = okData(await core.call('vault.history', { realmId: '', key: 'api' })).items;
    expect((await w.api('PATCH', 'api', { value: 'from a script', metadata: null })).ok).toBe(true);
    expect(await core.call('vault.restoreValue', { realmId: '', key: 'api', index: 0, at: listed[0]!.at })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await w.stored('api')).value).toBe('from a script');
  });

  it('is carried by a save made offline, and reaches the server with it', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'token', value: 'first', notes: 'ci', mode: 'create' }));
    const firstAt = await update(core, w, 'token', 'second', 'ci');
    const synced = nextSync(core, '');
    okData(await core.call('vault.list', { realmId: '' }));
    await synced;
    const secondAt = ((await (await w.api('GET', 'token')).json()) as { data: { updated_at: string } }).data.updated_at;
    await w.stopServer();
    const saved = okData(await core.call('vault.save', { realmId: '', key: 'token', value: 'third', notes: 'ci', mode: 'update' }));
    expect(saved.pending).toBe('save');
    // Offline, the history is read from the waiting change.
    const offline = okData(await core.call('vault.history', { realmId: '', key: 'token' }));
    expect(offline.items.map((i) => i.at)).toEqual([secondAt, firstAt]);
    // A second offline change puts the first one (dated when it was made here) in front.
    okData(await core.call('vault.save', { realmId: '', key: 'token', value: 'fourth', notes: 'ci', mode: 'update' }));
    const twice = okData(await core.call('vault.history', { realmId: '', key: 'token' }));
    expect(twice.items).toHaveLength(3);
    expect(okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'token', index: 0, at: twice.items[0]!.at })).value).toBe('third');
    await w.startServer();
    await expect.poll(async () => okData(await core.call('vault.checkConnection')).pendingChanges, { timeout: 60_000 }).toBe(0);
    const stored = await w.stored('token');
    expect(isEntryMetadata(stored.metadata)).toBe(true);
    const keys = (core.vault.session.openVault()).keys;
    const sealed = await openMetadata(keys, '', 'token', stored.metadata as never);
    expect(sealed?.history?.map((h) => h.value)).toEqual(['third', 'second', 'first']);
    expect(sealed?.history?.[1]?.at).toBe(secondAt);
  });

  it('keeps the server’s value too when a conflict is settled with "keep mine"', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'shared', value: 'base', notes: '', mode: 'create' }));
    const synced = nextSync(core, '');
    okData(await core.call('vault.list', { realmId: '' }));
    await synced;
    // The server does not answer reads of the key (503: taken for an outage), so the save waits offline.
    w.faults().add({ method: 'GET', path: '/api/v1/vault/keys/shared', status: 503 });
    expect(okData(await core.call('vault.save', { realmId: '', key: 'shared', value: 'mine', notes: '', mode: 'update' })).pending).toBe('save');
    // Meanwhile another tool changes it on the server.
    const patched = await w.api('PATCH', 'shared', { value: 'theirs', metadata: null });
    expect(patched.status).toBe(200);
    const theirsAt = ((await patched.json()) as { data: { updated_at: string } }).data.updated_at;
    w.faults().clear();
    await expect.poll(async () => okData(await core.call('vault.checkConnection')).conflict?.reason, { timeout: 60_000 }).toBe('changed');
    const { conflict } = okData(await core.call('vault.status'));
    okData(await core.call('vault.resolveConflict', { opId: conflict!.opId, choice: 'mine' }));
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'shared' })).value).toBe('mine');
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'shared' }));
    expect(items.map((i) => i.at)[0]).toBe(theirsAt);
    const values = await Promise.all(items.map(async (i) => okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'shared', index: i.index, at: i.at })).value));
    expect(values).toEqual(['theirs', 'base']);
  });

  it('is not kept for files', async () => {
    const { core } = await unlocked();
    const bytes = new TextEncoder().encode('file body');
    await core.files.store({ realmId: '', key: 'notes.txt', uploadId: crypto.randomUUID() }, { name: 'notes.txt', type: 'text/plain', size: bytes.length, replayable: true, open: async function* () { yield bytes; } });
    expect(await core.call('vault.history', { realmId: '', key: 'notes.txt' })).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE', message: expect.stringContaining('files keep no earlier versions') } });
  });
});
