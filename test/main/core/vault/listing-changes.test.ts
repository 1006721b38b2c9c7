import { afterEach, describe, expect, it } from 'vitest';
import type { VaultItem, VaultListingChanges } from '../../../../common/vault.js';
import { okData } from '../../../support/core.js';
import { nextSync } from '../../../support/vault-sync.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld } from '../../../support/vault-world.js';

// A window that holds a listing is sent only what changed since its version (issue 16 §3):
// entries added, changed (by this app or by another tool) and deleted; nothing when nothing did;
// the whole listing when the version is not this session's (after a lock, or made up). With the
// real sandbox over HTTP and the real keychain.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PASSPHRASE = 'listing changes test words';

async function unlockedCore() {
  const { w: world, core } = await unlockedVaultWorld(tempDir, cleanups, PASSPHRASE, { sessionOnly: true });
  const save = (key: string, value: string, notes = '', mode: 'create' | 'update' = 'create') => core.call('vault.save', { realmId: '', key, value, notes, mode }).then(okData);
  const changes = async (since?: string) => okData(await core.call('vault.listChanges', { realmId: '', ...(since ? { since } : {}) }));
  return { world, core, save, changes };
}

const keys = (items: VaultItem[] | undefined) => (items ?? []).map((e) => e.key).sort();
const changesOf = (update: VaultListingChanges) => {
  expect(update.entries, 'a listing of changes, not the whole one').toBeUndefined();
  return update.changes!;
};

describe('vault.listChanges', () => {
  it('sends the whole listing first, then nothing when nothing changed, with the same version', async () => {
    const { save, changes } = await unlockedCore();
    await save('alpha', 'one');
    await save('beta', 'two');
    const first = await changes();
    expect(keys(first.entries)).toEqual(['alpha', 'beta']);
    expect(first.stats.keys).toBe(2);
    const again = changesOf(await changes(first.version));
    expect(again).toEqual({ since: first.version, upserted: [], removed: [] });
    expect((await changes(first.version)).version).toBe(first.version);
  });

  it('sends an added, a changed and a deleted entry, whether this app or another tool made the change', async () => {
    const { core, world, save, changes } = await unlockedCore();
    await save('stays', 'same');
    await save('edited', 'before', 'old notes');
    await save('deleted', 'gone soon');
    const first = await changes();

    await save('added', 'new one', 'fresh');
    await save('edited', 'after', 'new notes', 'update');
    okData(await core.call('vault.delete', { realmId: '', key: 'deleted' }));
    const second = await changes(first.version);
    const delta = changesOf(second);
    expect(keys(delta.upserted)).toEqual(['added', 'edited']);
    expect(delta.upserted.find((e) => e.key === 'edited')).toMatchObject({ notes: 'new notes', format: 'hv1' });
    expect(delta.removed).toEqual(['deleted']);
    expect(second.version).not.toBe(first.version);
    expect(second.stats.keys).toBe(3);

    // Another tool writes plain text over one entry and adds one: both come as changes, labelled.
    expect((await world.api('PATCH', 'stays', { value: 'plain now' })).ok).toBe(true);
    expect((await world.api('PATCH', 'foreign', { value: 'from a script' })).ok).toBe(true);
    const third = changesOf(await changes(second.version));
    expect(keys(third.upserted)).toEqual(['foreign', 'stays']);
    expect(third.removed).toEqual([]);

    // From the first version: everything since, in one answer (a window that missed a refresh).
    const sinceFirst = changesOf(await changes(first.version));
    expect(keys(sinceFirst.upserted)).toEqual(['added', 'edited', 'foreign', 'stays']);
    expect(sinceFirst.removed).toEqual(['deleted']);
  });

  it('an entry deleted then created again comes as changed, not as removed', async () => {
    const { core, save, changes } = await unlockedCore();
    await save('phoenix', 'first life');
    const first = await changes();
    okData(await core.call('vault.delete', { realmId: '', key: 'phoenix' }));
    const gone = await changes(first.version);
    expect(changesOf(gone).removed).toEqual(['phoenix']);
    await save('phoenix', 'second life', 'reborn');
    const back = changesOf(await changes(first.version));
    expect(back.removed).toEqual([]);
    expect(back.upserted.map((e) => [e.key, e.notes])).toEqual([['phoenix', 'reborn']]);
  });

  it('sends the whole listing for a version from before a lock, from another scope, or made up', async () => {
    const { core, save, changes } = await unlockedCore();
    await save('kept', 'value');
    const before = await changes();
    const [session] = before.version.split(':');
    for (const unknown of [`${session}:aaaaaaaaaaaaaaaaaaaaaaaa:1`, `${session}::`, `${session}::99`, 'made up']) {
      expect(keys((await changes(unknown)).entries), unknown).toEqual(['kept']);
    }
    okData(await core.call('vault.lock'));
    okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
    const after = await changes(before.version);
    expect(keys(after.entries)).toEqual(['kept']);
    expect(after.version).not.toBe(before.version);
  });

  it('refuses a version that is not text of a sane length, naming the field', async () => {
    const { core } = await unlockedCore();
    const result = await core.dispatch('vault.listChanges', { realmId: '', since: 'x'.repeat(201) });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { since: expect.any(String) } } });
  });
});

describe('unlock → list', () => {
  it('the first listing after an unlock is the server’s, including what changed while the vault was locked', async () => {
    const { core, world, save, changes } = await unlockedCore();
    await save('before', 'value');
    okData(await core.call('vault.lock'));
    // While locked another tool adds an entry: the unlock's early requests see it.
    expect((await world.api('PATCH', 'while-locked', { value: 'plain' })).ok).toBe(true);
    okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
    okData(await core.call('vault.realms'));
    expect(keys((await changes()).entries)).toEqual(['before', 'while-locked']);
    // Taken once: the next listing asks the server again and sees a change made since.
    expect((await world.api('DELETE', 'while-locked')).ok).toBe(true);
    expect(keys((await changes()).entries)).toEqual(['before']);
  });

  it('the listing the window asks for first is made as the unlock ends, before it asks (taken once)', async () => {
    const { core, world, save, changes } = await unlockedCore();
    await save('made-early', 'value');
    okData(await core.call('vault.lock'));
    const synced = nextSync(core, '');
    okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
    // That listing started the sync of this computer's copy, as every listing does.
    await synced;
    await world.stopServer();
    const first = await changes();
    expect(first.offline).toBeUndefined();
    expect(keys(first.entries)).toEqual(['made-early']);
    // The next one asks the server, which is gone: this computer's copy, marked offline.
    expect((await changes()).offline).toBeDefined();
  });

  it('a save or delete after the unlock makes its early listing stale: the first ask is answered afresh', async () => {
    const { core, save, changes } = await unlockedCore();
    await save('kept', 'value');
    await save('deleted-after-unlock', 'value');
    okData(await core.call('vault.lock'));
    const synced = nextSync(core, '');
    okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
    await synced;
    // Made and synced before these: handing it out now would lose both changes.
    await save('saved-after-unlock', 'value');
    okData(await core.call('vault.delete', { realmId: '', key: 'deleted-after-unlock' }));
    expect(keys((await changes()).entries)).toEqual(['kept', 'saved-after-unlock']);
  });

  it('makes nothing again for an answer the same as the last, yet a value it failed to fetch is told apart at the next', async () => {
    const { world, save, changes } = await unlockedCore();
    await save('ours', 'sealed here');
    // Another tool's plain value, with no metadata: the listing fetches it to tell what it is, and that fails.
    await world.api('PATCH', 'plain-one', { value: 'not sealed' });
    world.faults().add({ method: 'GET', path: '/api/v1/vault/keys/plain-one', status: 500, times: 4 });
    const first = await changes();
    expect(first.entries!.find((e) => e.key === 'plain-one')).toMatchObject({ format: 'foreign' });
    // The server's answer is the same; the value is fetched again, and told apart.
    const second = await changes();
    expect(second.entries!.find((e) => e.key === 'plain-one')).toMatchObject({ format: 'plain' });
    // Once it was: the same answer gives back the very same entries, with the same version.
    const third = await changes();
    expect(third.entries).toBe(second.entries);
    expect(third.version).toBe(second.version);
    expect(Object.isFrozen(third.entries)).toBe(true);
  });

  it('makes nothing again for a server that lists the same entries in another order each time', async () => {
    const { core } = await unlockedVaultWorld(tempDir, cleanups, PASSPHRASE, { sessionOnly: true, shuffleKeys: true });
    for (const key of ['one', 'two', 'three', 'four', 'five', 'six']) okData(await core.call('vault.save', { realmId: '', key, value: `value of ${key}`, notes: '', mode: 'create' }));
    const client = core.accounts.client();
    const listed = await client.listKeys();
    // Six entries, listed in a new order each time: the same frozen array back.
    expect(await client.listKeys()).toBe(listed);
    const first = okData(await core.call('vault.listChanges', { realmId: '' }));
    const second = okData(await core.call('vault.listChanges', { realmId: '' }));
    expect(second.entries).toBe(first.entries);
    expect(second.entries!.map((e) => e.key)).toEqual(['five', 'four', 'one', 'six', 'three', 'two']);
    // A change is seen whatever the order.
    okData(await core.call('vault.save', { realmId: '', key: 'seven', value: 'value of seven', notes: '', mode: 'create' }));
    const third = okData(await core.call('vault.listChanges', { realmId: '' }));
    expect(third.entries!.map((e) => e.key)).toContain('seven');
  });
});
