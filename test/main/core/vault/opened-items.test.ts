import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { VaultItem } from '../../../../common/vault.js';
import type { Core } from '../../../../main/core/core.js';
import { readSealedJson, writeSealedJson } from '../../../../main/core/storage/sealed-file.js';
import { entryDigest, OpenedItemsStore } from '../../../../main/core/vault/opened-items-store.js';
import type { VaultEntry } from '../../../../common/hoody-types.js';
import { okData } from '../../../support/core.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld } from '../../../support/vault-world.js';

// The entries this computer opened, kept sealed between sessions (issue 16 §3, unlock → list): the
// first listing after an unlock opens only what the server changed meanwhile. Real sandbox over
// HTTP, real keychain.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PASSPHRASE = 'opened items test words';
const AD = (accountId: string) => `hoody-vault/opened/v1\n${accountId}\n`;

/** The record as docs/vault-format.md gives it: rows of key, kind, format, notes, size, stored size, times, fits, digest. */
interface Kept {
  v: 2;
  items: Array<[string, VaultItem['kind'], VaultItem['format'], string, number, number, string, string, boolean, string, object?]>;
}

async function unlockedCore(options: { shuffleKeys?: boolean } = {}) {
  const { w: world, core } = await unlockedVaultWorld(tempDir, cleanups, PASSPHRASE, { ...options, sessionOnly: true });
  const save = (key: string, value: string, notes: string) => core.call('vault.save', { realmId: '', key, value, notes, mode: 'create' }).then(okData);
  return { world, core, save };
}

const listed = async (core: Core) => Object.fromEntries(okData(await core.call('vault.list', { realmId: '' })).entries.map((e) => [e.key, e]));
const relock = async (core: Core) => {
  okData(await core.call('vault.lock'));
  okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
};

describe('entries opened before', () => {
  it('are kept sealed on this computer: no name or note readable in the file', async () => {
    const { core, save } = await unlockedCore();
    await save('database-url', 'postgres://x', 'the production database');
    await listed(core);
    await core.vault.opened.whenSaved('');
    const open = core.vault.session.openVault();
    const file = `${core.accounts.accountDataDir(open.accountId)}/opened/global.hvi`;
    const bytes = await readFile(file, 'latin1');
    expect(bytes).not.toContain('database-url');
    expect(bytes).not.toContain('production');
    const kept = await readSealedJson<Kept>(file, open.keys.cache, AD(open.accountId));
    expect(kept.state).toBe('ok');
    expect((kept as { value: Kept }).value.items.map((row) => [row[0], row[3]])).toEqual([['database-url', 'the production database']]);
  });

  it('are taken after an unlock for entries the server did not change, and opened again for those it did', async () => {
    const { core, world, save } = await unlockedCore();
    await save('same', 'value one', 'notes as sealed');
    await save('changed', 'value two', 'before');
    await listed(core);
    await core.vault.opened.whenSaved('');
    const { accountId, keys } = core.vault.session.openVault();
    const file = `${core.accounts.accountDataDir(accountId)}/opened/global.hvi`;
    // The record is what the listing shows for an unchanged entry: proven by one written here with
    // the vault's own cache key (only the vault key opens or makes it) and other notes.
    const kept = (await readSealedJson<Kept>(file, keys.cache, AD(accountId))) as { value: Kept };
    for (const row of kept.value.items) row[3] = `from the record: ${row[0]}`;
    await writeSealedJson(file, keys.cache, AD(accountId), kept.value);
    // Meanwhile another tool writes over one entry: the server's description of it changes.
    okData(await core.call('vault.lock'));
    expect((await world.api('PATCH', 'changed', { value: 'plain now' })).ok).toBe(true);
    okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
    const after = await listed(core);
    expect(after.same).toMatchObject({ notes: 'from the record: same', format: 'hv1' });
    expect(after.changed).toMatchObject({ notes: '', format: 'plain' });
  });

  it('a damaged or foreign record is not used, and is written again', async () => {
    const { core, save } = await unlockedCore();
    await save('kept', 'value', 'real notes');
    await listed(core);
    await core.vault.opened.whenSaved('');
    const { accountId } = core.vault.session.openVault();
    const file = `${core.accounts.accountDataDir(accountId)}/opened/global.hvi`;
    await writeFile(file, 'not a sealed file at all');
    await relock(core);
    expect((await listed(core)).kept).toMatchObject({ notes: 'real notes', format: 'hv1' });
    await core.vault.opened.whenSaved('');
    expect((await readSealedJson<Kept>(file, core.vault.session.openVault().keys.cache, AD(accountId))).state).toBe('ok');
    // Sealed by another key (another vault on this computer): ignored the same way.
    const other = new Uint8Array(32).fill(7);
    await writeSealedJson(file, other, AD(accountId), { v: 2, items: [['kept', 'secret', 'hv1', 'forged', 1, 1, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', true, 'x']] });
    await relock(core);
    expect((await listed(core)).kept).toMatchObject({ notes: 'real notes' });
  });

  it('come in name order whatever order the server lists them in, before and after an unlock, new ones in their place', async () => {
    const { core, save } = await unlockedCore({ shuffleKeys: true });
    // Numeric ("2" before "10"), case ignored, then code units ("Beta" before "beta").
    for (const key of ['key-10', 'beta-1', 'Key-2', 'alpha', 'Beta-1', 'zeta', 'key-1']) await save(key, `value of ${key}`, '');
    const order = async () => okData(await core.call('vault.list', { realmId: '' })).entries.map((e) => e.key);
    const expected = ['alpha', 'Beta-1', 'beta-1', 'key-1', 'Key-2', 'key-10', 'zeta'];
    for (let i = 0; i < 4; i += 1) expect(await order()).toEqual(expected);
    await core.vault.opened.whenSaved('');
    // After an unlock the record is read back in its order; an entry added meanwhile takes its place.
    okData(await core.call('vault.lock'));
    okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
    await save('key-3', 'value of key-3', '');
    for (let i = 0; i < 3; i += 1) expect(await order()).toEqual(['alpha', 'Beta-1', 'beta-1', 'key-1', 'Key-2', 'key-3', 'key-10', 'zeta']);
  });

  it('are the same items from one listing to the next when nothing changed, and a label given to one listing is not kept for the next', async () => {
    const { core, world, save } = await unlockedCore({ shuffleKeys: true });
    await save('steady', 'value one', 'kept as is');
    await save('swapped', 'value two', 'will be swapped');
    const first = await listed(core);
    expect(first.swapped).toMatchObject({ format: 'hv1' });
    // Another tool puts a sealed value of another entry under this one's name, keeping its metadata
    // and stored size: the listing badges it once its value is opened (the copy's sync judges it).
    const other = await world.stored('steady');
    const theirs = await world.stored('swapped');
    expect((await world.api('PATCH', 'swapped', { value: other.value, metadata: theirs.metadata })).ok).toBe(true);
    expect((await core.call('vault.reveal', { realmId: '', key: 'swapped' })).ok).toBe(false);
    const second = await listed(core);
    expect(second.swapped).toMatchObject({ format: 'unreadable' });
    expect(second.steady).toMatchObject({ format: 'hv1', notes: 'kept as is' });
    // Saved again by this app: the next listing shows it as it is, not as the last one labelled it.
    okData(await core.call('vault.save', { realmId: '', key: 'swapped', value: 'value three', notes: 'fixed', mode: 'update' }));
    const third = await listed(core);
    expect(third.swapped).toMatchObject({ format: 'hv1', notes: 'fixed' });
    expect(third.steady).toMatchObject({ format: 'hv1', notes: 'kept as is' });
  });
});

describe('entryDigest', () => {
  const entry: VaultEntry = { key: 'k', realm_id: '', metadata: { hv: 1, kind: 'secret', size: 5, sealed: 'c2VhbGVk' }, size_bytes: 120, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-02T00:00:00.000Z' };

  it('changes with anything an opened item is made of, and only with that', () => {
    const digest = entryDigest(entry);
    const changed: VaultEntry[] = [
      { ...entry, updated_at: '2026-11-03T00:00:00.000Z' },
      { ...entry, size_bytes: 121 },
      { ...entry, metadata: { ...entry.metadata, sealed: 'c2VhbGVl' } },
      { ...entry, metadata: { ...entry.metadata, size: 6 } },
      { ...entry, metadata: { ...entry.metadata, kind: 'file' } },
      // Not the app's metadata any more (no `hv`): whole, as JSON.
      { ...entry, metadata: { kind: 'secret', size: 5, sealed: 'c2VhbGVk' } },
      { ...entry, metadata: null },
    ];
    const digests = changed.map(entryDigest);
    expect(new Set([digest, ...digests]).size).toBe(changed.length + 1);
    // What the item does not read: the key order of the server's JSON, a field the app does not write.
    expect(entryDigest({ ...entry, metadata: { sealed: 'c2VhbGVk', size: 5, kind: 'secret', hv: 1 } })).toBe(digest);
    expect(entryDigest({ ...entry, metadata: { ...entry.metadata, extra: true } })).toBe(digest);
    // Other tools' metadata: any change of it.
    const foreign = { ...entry, metadata: { note: 'a' } };
    expect(entryDigest(foreign)).not.toBe(entryDigest({ ...entry, metadata: { note: 'b' } }));
  });
});

describe('OpenedItemsStore', () => {
  it('reads back what it wrote, file names included, and leaves out rows not of the record\'s shape', async () => {
    const dir = await tempDir();
    const store = new OpenedItemsStore(dir, 'account-1');
    const cacheKey = new Uint8Array(32).fill(3);
    const realmId = 'a1a1a1a1a1a1a1a1a1a1a1a1';
    const base = { realmId, size: 3, storedBytes: 90, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-02T00:00:00Z' };
    const secret: VaultItem = { ...base, key: 'secret', kind: 'secret', format: 'hv1', notes: 'a note' };
    const file: VaultItem = { ...base, key: 'report', kind: 'file', format: 'hv1', notes: '', filename: 'report.pdf', contentType: 'application/pdf' };
    await store.write(cacheKey, realmId, [
      { item: secret, fits: true, digest: 'd1' },
      { item: file, fits: false, digest: 'd2' },
    ]);
    const read = await store.read(cacheKey, realmId);
    expect([...read.values()]).toEqual([
      { item: secret, fits: true, digest: 'd1' },
      { item: file, fits: false, digest: 'd2' },
    ]);
    // A row cut short, or with a field of another type, is left out (opened again at the next listing).
    const path = `${dir}/opened/${realmId}.hvi`;
    const ad = `hoody-vault/opened/v1\naccount-1\n${realmId}`;
    const good = ['kept', 'secret', 'plain', '', 1, 1, 't', 't', true, 'd'];
    await writeSealedJson(path, cacheKey, ad, { v: 2, items: [good, ['short', 'secret'], ['bad-kind', 'folder', 'hv1', '', 1, 1, 't', 't', true, 'd'], ['bad-size', 'secret', 'hv1', '', '1', 1, 't', 't', true, 'd']] });
    expect([...(await store.read(cacheKey, realmId)).keys()]).toEqual(['kept']);
    // A record of the first version (objects) is not read at all.
    await writeSealedJson(path, cacheKey, ad, { v: 1, items: [{ item: secret, fits: true, digest: 'd1' }] });
    expect((await store.read(cacheKey, realmId)).size).toBe(0);
  });
});
