import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../main/core/core.js';
import { isEntryMetadata } from '../../../../main/core/crypto/envelope.js';
import { okData } from '../../../support/core.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld } from '../../../support/vault-world.js';
import { nextSync } from '../../../support/vault-sync.js';

// Changes made offline to a file in this computer's copy. A file's value is not in the copy's index
// (it is a sealed file of its own), so the outbox knows the entry without its value: a secret saved
// over it (as `vault set` does for a name that exists) waits and is sent, with no earlier value to
// keep; a save that keeps the value is refused, naming the value; a deletion waits and is sent.
// Real sandbox over HTTP, real keychain, the server stopped.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

async function storeFile(core: Core, key: string, text: string) {
  const bytes = new TextEncoder().encode(text);
  return core.files.store({ realmId: '', key, uploadId: crypto.randomUUID() }, { name: key, type: 'text/plain', size: bytes.length, replayable: true, open: async function* () { yield bytes; } });
}

describe('offline changes to a file in the copy', () => {
  it('a secret saved over it and a deletion wait and are sent; keeping its value is refused', async () => {
    const { w, core } = await unlockedVaultWorld(tempDir, cleanups, 'offline file changes passphrase');
    await storeFile(core, 'report.txt', 'quarterly figures');
    await storeFile(core, 'old.txt', 'to be deleted');
    const synced = nextSync(core, '');
    okData(await core.call('vault.list', { realmId: '' }));
    await synced;
    await w.stopServer();
    // What the outbox builds on: the entry, without a value (the index holds none for a file).
    const state = await core.vault.replay.offlineState(core.vault.session.openVault(), '', 'report.txt');
    expect(state).toMatchObject({ exists: true, metadata: { kind: 'file' } });
    expect(state.value).toBeUndefined();

    expect(await core.call('vault.save', { realmId: '', key: 'report.txt', notes: 'kept?', mode: 'update' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { value: 'is needed offline' } } });
    const saved = okData(await core.call('vault.save', { realmId: '', key: 'report.txt', value: 'now a secret', notes: '', mode: 'update' }));
    expect(saved).toMatchObject({ key: 'report.txt', pending: 'save' });
    expect(okData(await core.call('vault.delete', { realmId: '', key: 'old.txt' }))).toEqual({ pending: true });
    // The file's value was not read: nothing of it is kept as an earlier value of the secret.
    expect(okData(await core.call('vault.history', { realmId: '', key: 'report.txt' })).items).toEqual([]);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'report.txt' })).value).toBe('now a secret');

    await w.startServer();
    await expect.poll(async () => okData(await core.call('vault.checkConnection')).pendingChanges, { timeout: 60_000 }).toBe(0);
    expect(okData(await core.call('vault.status')).conflict).toBeUndefined();
    const stored = await w.stored('report.txt');
    expect(isEntryMetadata(stored.metadata) && stored.metadata.kind).toBe('secret');
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'report.txt' })).value).toBe('now a secret');
    expect((await w.api('GET', 'old.txt')).status).toBe(404);
  });
});
