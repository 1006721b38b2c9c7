import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../main/core/core.js';
import { okData } from '../../../support/core.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld } from '../../../support/vault-world.js';
import { nextSync } from '../../../support/vault-sync.js';

// Renaming a key: copy under the new name, then delete the old one, with nothing lost when the
// sandbox fails either step, and a second run finishing an interrupted one without a duplicate.
// Real sandbox over HTTP (its fault switches fail one route), real keychain.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

async function unlocked() {
  const { w, core } = await unlockedVaultWorld(tempDir, cleanups, 'rename suite passphrase');
  okData(await core.call('vault.save', { realmId: '', key: 'old-name', value: 'first', notes: 'the notes', mode: 'create' }));
  okData(await core.call('vault.save', { realmId: '', key: 'old-name', value: 'second', notes: 'the notes', mode: 'update' }));
  return { w, core };
}

const keys = async (core: Core) => okData(await core.call('vault.list', { realmId: '' })).entries.map((e) => e.key).sort();
const keyPath = (key: string) => `/api/v1/vault/keys/${key}`;

describe('renaming a key', () => {
  it('moves the value, the notes and the history under the new name, sealed for it', async () => {
    const { w, core } = await unlocked();
    const before = okData(await core.call('vault.history', { realmId: '', key: 'old-name' }));
    const result = okData(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'new-name' }));
    expect(result).toMatchObject({ pending: false, resumed: false, item: { key: 'new-name', format: 'hv1', notes: 'the notes' } });
    expect(await keys(core)).toEqual(['new-name']);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'new-name' })).value).toBe('second');
    const after = okData(await core.call('vault.history', { realmId: '', key: 'new-name' }));
    expect(after.items).toEqual(before.items);
    expect(okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'new-name', index: 0, at: after.items[0]!.at })).value).toBe('first');
    expect((await w.api('GET', 'old-name')).status).toBe(404);
  });

  it('checks the new name by the API key rules and refuses one in use, naming the field', async () => {
    const { core } = await unlocked();
    expect(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'has space' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { newKey: expect.stringContaining('letters, digits, dot, underscore or hyphen') } } });
    expect(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: '_hv.mine' })).toMatchObject({ ok: false, error: { fields: { newKey: expect.stringContaining('reserved') } } });
    expect(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'old-name' })).toMatchObject({ ok: false, error: { fields: { newKey: 'must differ from the current name' } } });
    okData(await core.call('vault.save', { realmId: '', key: 'taken', value: 'other', notes: '', mode: 'create' }));
    expect(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'taken' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { newKey: 'already exists in this scope' } } });
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'taken' })).value).toBe('other');
    expect(await keys(core)).toEqual(['old-name', 'taken']);
  });

  it('leaves the old entry as it was when the copy fails', async () => {
    const { w, core } = await unlocked();
    w.faults().add({ method: 'PATCH', path: keyPath('new-name'), status: 500 });
    const failed = await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'new-name' });
    w.faults().clear();
    expect(failed).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR' } });
    expect(await keys(core)).toEqual(['old-name']);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'old-name' })).value).toBe('second');
    expect(okData(await core.call('vault.history', { realmId: '', key: 'old-name' })).items).toHaveLength(1);
  });

  it('says both exist when the deletion fails, and a second run finishes it without a duplicate', async () => {
    const { w, core } = await unlocked();
    w.faults().add({ method: 'DELETE', path: keyPath('old-name'), status: 500 });
    const failed = await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'new-name' });
    w.faults().clear();
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'SERVER_ERROR', message: expect.stringMatching(/“new-name” was stored, but “old-name” could not be deleted.*Both exist now.*again to finish/), fields: { key: expect.stringContaining('rename again') } },
    });
    expect(await keys(core)).toEqual(['new-name', 'old-name']);
    const again = okData(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'new-name' }));
    expect(again).toMatchObject({ resumed: true, pending: false, item: { key: 'new-name', notes: 'the notes' } });
    expect(await keys(core)).toEqual(['new-name']);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'new-name' })).value).toBe('second');
    expect(okData(await core.call('vault.history', { realmId: '', key: 'new-name' })).items).toHaveLength(1);
  });

  it('offline, waits in the outbox as a copy then a deletion, sent in order when the server is back', async () => {
    const { w, core } = await unlocked();
    const synced = nextSync(core, '');
    await keys(core);
    await synced;
    await w.stopServer();
    const result = okData(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'new-name' }));
    expect(result).toMatchObject({ pending: true, resumed: false, item: { key: 'new-name', pending: 'save' } });
    expect(okData(await core.call('vault.status')).pendingChanges).toBe(2);
    await w.startServer();
    await expect.poll(async () => okData(await core.call('vault.checkConnection')).pendingChanges, { timeout: 60_000 }).toBe(0);
    expect(await keys(core)).toEqual(['new-name']);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'new-name' })).value).toBe('second');
    expect(okData(await core.call('vault.history', { realmId: '', key: 'new-name' })).items).toHaveLength(1);
  });

  it('works in a realm as in the global scope: value, notes and history under the new name there', async () => {
    const { w, core } = await unlocked();
    const realm = w.admin().createRealm({ ownerId: w.userId, name: 'payments' });
    const realmId = realm.id;
    okData(await core.call('vault.save', { realmId, key: 'stripe', value: 'one', notes: 'in a realm', mode: 'create' }));
    okData(await core.call('vault.save', { realmId, key: 'stripe', value: 'two', notes: 'in a realm', mode: 'update' }));
    expect(okData(await core.call('vault.renameKey', { realmId, key: 'stripe', newKey: 'stripe-live' }))).toMatchObject({ item: { key: 'stripe-live', realmId, notes: 'in a realm' } });
    expect(okData(await core.call('vault.list', { realmId })).entries.map((e) => e.key)).toEqual(['stripe-live']);
    expect(okData(await core.call('vault.reveal', { realmId, key: 'stripe-live' })).value).toBe('two');
    const { items } = okData(await core.call('vault.history', { realmId, key: 'stripe-live' }));
    expect(okData(await core.call('vault.revealHistoryValue', { realmId, key: 'stripe-live', index: 0, at: items[0]!.at })).value).toBe('one');
    // The global scope's entry of the same first name is untouched.
    expect(await keys(core)).toEqual(['old-name']);
  });

  it('seals a plain-text value another tool wrote as it renames it, its plain metadata moved into the notes', async () => {
    const { w, core } = await unlocked();
    expect((await w.api('PATCH', 'from-script', { value: 'plain-secret', metadata: { description: 'written by a script' } })).status).toBe(201);
    const renamed = okData(await core.call('vault.renameKey', { realmId: '', key: 'from-script', newKey: 'script-secret' }));
    expect(renamed.item).toMatchObject({ key: 'script-secret', format: 'hv1', notes: 'description: written by a script' });
    const stored = await w.stored('script-secret');
    expect(stored.value).toMatch(/^\{"hv":1,"n":"/);
    expect(JSON.stringify(stored)).not.toContain('plain-secret');
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'script-secret' })).value).toBe('plain-secret');
    expect((await w.api('GET', 'from-script')).status).toBe(404);
  });
});
