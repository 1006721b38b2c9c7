import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import { REALM_NAMES_KEY } from '../../../../main/core/vault/realm-names.js';
import { okData } from '../../../support/core.js';
import { realKeychain } from '../../../support/keychain.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { nextSync } from '../../../support/vault-sync.js';
import { vaultWorld } from '../../../support/vault-world.js';

// Realm names (issue 15 §5) against a real sandbox over HTTP, with the real keychain: each core is a
// computer with its own data folder and keychain service, signed in with the same token.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const PASSPHRASE = 'realm names test passphrase';

/** The shared vault world (test/support/vault-world.ts), with three realms and computers of its own. */
async function world() {
  const w = await vaultWorld(tempDir, cleanups);
  const realms = [0, 1, 2].map(() => w.admin().createRealm({ ownerId: w.userId }).id.toLowerCase());
  /** A computer: its own data folder and keychain, the same account. */
  const computer = async () => {
    const dataDir = await tempDir();
    const core: Core = await createCore({ dataDir, mode: 'serve', version: 't', keychain: await realKeychain(), argon2: MIN_ARGON2, engine: { sleep: async () => {}, timeoutMs: 15_000 } });
    cleanups.push(() => core.close());
    okData(await core.call('accounts.signInWithToken', { serverUrl: w.url(), token: w.token }));
    return { core, call: core.call, dataDir };
  };
  return { ...w, realms, computer };
}

describe('realm names', () => {
  it('are set, renamed and cleared; sealed on the server; never listed as an entry', async () => {
    const w = await world();
    const [a, b] = w.realms as [string, string];
    const { call } = await w.computer();
    okData(await call('vault.setup', { passphrase: PASSPHRASE }));
    expect(okData(await call('vault.realms'))).toMatchObject({ names: {}, namesWritable: true, globalAllowed: true });

    expect(okData(await call('vault.nameRealm', { realmId: a, name: '  Production  ' }))).toEqual({ names: { [a]: 'Production' }, namesWritable: true });
    expect(okData(await call('vault.nameRealm', { realmId: b.toUpperCase(), name: 'Staging 🚀' })).names).toEqual({ [a]: 'Production', [b]: 'Staging 🚀' });
    expect(okData(await call('vault.nameRealm', { realmId: a, name: 'Prod' })).names).toEqual({ [a]: 'Prod', [b]: 'Staging 🚀' });
    expect(okData(await call('vault.nameRealm', { realmId: b, name: null })).names).toEqual({ [a]: 'Prod' });
    const realms = okData(await call('vault.realms'));
    expect(realms.names).toEqual({ [a]: 'Prod' });
    expect(realms.realms).toEqual(expect.arrayContaining([a, b]));

    // On the server: a sealed value under the reserved key, no name in clear.
    const raw = await w.stored(REALM_NAMES_KEY);
    expect(raw.metadata).toEqual({ hv: 1, kind: 'realm-names' });
    expect(JSON.parse(raw.value)).toMatchObject({ hv: 1, n: expect.any(String), c: expect.any(String), r: expect.any(Number) });
    expect(raw.value).not.toContain('Prod');
    expect(raw.value).not.toContain(a);

    // Not an entry: the global listing does not show it, nor count it.
    okData(await call('vault.save', { realmId: '', key: 'api-key', value: 'v', notes: '', mode: 'create' }));
    const listing = okData(await call('vault.list', { realmId: '' }));
    expect(listing.entries.map((e) => e.key)).toEqual(['api-key']);
    expect(listing.stats.keys).toBe(1);
    expect(okData(await call('vault.listLocked', { realmId: '' })).entries.map((e) => e.key)).toEqual(['api-key']);
    // Nor can it be deleted or overwritten as one.
    expect(await call('vault.delete', { realmId: '', key: REALM_NAMES_KEY })).toMatchObject({ ok: false, error: { fields: { key: 'is reserved' } } });
    expect(await call('vault.save', { realmId: '', key: REALM_NAMES_KEY, value: 'x', notes: '', mode: 'create' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { key: expect.stringContaining('reserved') } } });
  });

  it('refuses bad names, naming the field and the rule', async () => {
    const w = await world();
    const [a, b] = w.realms as [string, string];
    const { core, call } = await w.computer();
    okData(await call('vault.setup', { passphrase: PASSPHRASE }));
    const refused = async (name: unknown, rule: RegExp, realmId = a) => {
      const result = await core.dispatch('vault.nameRealm', { realmId, name });
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { name: expect.stringMatching(rule) } } });
    };
    await refused('x'.repeat(65), /must be 1 to 64 characters/);
    await refused('   ', /must be 1 to 64 characters/);
    await refused('line\nbreak', /control or text-direction/);
    await refused('abc\u202Egnp.exe', /control or text-direction/);
    await refused('Global', /must not be “global”/);
    await refused(42, /must be 1 to 64 characters/);
    // 64 characters counted as characters, not UTF-16 units.
    okData(await call('vault.nameRealm', { realmId: a, name: '🔑'.repeat(64) }));
    okData(await call('vault.nameRealm', { realmId: a, name: 'Prod' }));
    await refused('PROD', /already the name of another realm/, b);
    expect(await call('vault.nameRealm', { realmId: 'not-an-id', name: 'x' })).toMatchObject({ ok: false, error: { fields: { realmId: expect.stringContaining('24 hexadecimal') } } });
  });

  it('follow the user to a second computer, and edits from both are merged', async () => {
    const w = await world();
    const [a, b, c] = w.realms as [string, string, string];
    const first = await w.computer();
    const { recoveryKey } = okData(await first.call('vault.setup', { passphrase: PASSPHRASE }));
    expect(recoveryKey).toMatch(/^HVRK-/);
    okData(await first.call('vault.nameRealm', { realmId: a, name: 'Prod' }));

    const second = await w.computer();
    expect(okData(await second.call('vault.unlock', { passphrase: PASSPHRASE })).state).toBe('unlocked');
    expect(okData(await second.call('vault.realms')).names).toEqual({ [a]: 'Prod' });

    // The second computer names another realm: the first computer's name stays (read-merge-write).
    okData(await second.call('vault.nameRealm', { realmId: b, name: 'Staging' }));
    // The first, which last saw only its own name, renames a third: nothing is lost.
    okData(await first.call('vault.nameRealm', { realmId: c, name: 'Dev' }));
    expect(okData(await second.call('vault.realms')).names).toEqual({ [a]: 'Prod', [b]: 'Staging', [c]: 'Dev' });

    // At the same time, on two computers: both names survive (the losing write is read back and merged again).
    await Promise.all([first.call('vault.nameRealm', { realmId: a, name: 'Production' }), second.call('vault.nameRealm', { realmId: b, name: 'Preview' })]).then((results) => results.map(okData));
    expect(okData(await first.call('vault.realms')).names).toEqual({ [a]: 'Production', [b]: 'Preview', [c]: 'Dev' });
    // A removed name stays removed on the other computer.
    okData(await first.call('vault.nameRealm', { realmId: c, name: '' }));
    expect(okData(await second.call('vault.realms')).names).toEqual({ [a]: 'Production', [b]: 'Preview' });
  });

  it('a rename overtaken by another computer\'s write, made from the names before it, is merged again rather than lost', async () => {
    const w = await world();
    const [a, b] = w.realms as [string, string];
    const first = await w.computer();
    okData(await first.call('vault.setup', { passphrase: PASSPHRASE }));
    okData(await first.call('vault.nameRealm', { realmId: a, name: 'Prod' }));
    const second = await w.computer();
    okData(await second.call('vault.unlock', { passphrase: PASSPHRASE }));
    // The second computer reads the names, then its write is held 150 ms on the way: it reaches the
    // server after the first computer's rename was written and read back once.
    w.faults().add({ method: 'PATCH', path: `/api/v1/vault/keys/${REALM_NAMES_KEY}`, latencyMs: 150, times: 1 });
    const late = second.call('vault.nameRealm', { realmId: b, name: 'Preview' });
    for (let waited = 0; w.faults().list().length > 0; waited += 5) {
      if (waited > 10_000) throw new Error("the second computer's write never came");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    okData(await first.call('vault.nameRealm', { realmId: a, name: 'Production' }));
    okData(await late);
    expect(okData(await first.call('vault.realms')).names).toEqual({ [a]: 'Production', [b]: 'Preview' });
    expect(okData(await second.call('vault.realms')).names).toEqual({ [a]: 'Production', [b]: 'Preview' });
  });

  it('show offline from the local copy once synced; renaming offline is refused', async () => {
    const w = await world();
    const [a] = w.realms as [string];
    const { core, call } = await w.computer();
    okData(await call('vault.setup', { passphrase: PASSPHRASE }));
    okData(await call('vault.nameRealm', { realmId: a, name: 'Prod' }));
    const synced = nextSync(core, '');
    okData(await call('vault.list', { realmId: '' }));
    await synced;
    // The name, changed after the sync, reaches the copy too.
    okData(await call('vault.nameRealm', { realmId: a, name: 'Production' }));

    await w.stopServer();
    const offline = okData(await call('vault.realms'));
    expect(offline.names).toEqual({ [a]: 'Production' });
    expect(offline.namesWritable).toBe(false);
    expect(await call('vault.nameRealm', { realmId: a, name: 'Other' })).toMatchObject({ ok: false, error: { code: 'NETWORK', message: expect.stringContaining('needs the server') } });

    // After a restart of the app, still offline: unlocked from this computer's copy, the names show.
    okData(await call('vault.lock'));
    okData(await call('vault.unlock', { passphrase: PASSPHRASE }));
    expect(okData(await call('vault.realms')).names).toEqual({ [a]: 'Production' });
    await w.startServer();
  });

  it('confirm deleting everything in a realm by its name, and survive deleting everything in the global scope', async () => {
    const w = await world();
    const [a, b] = w.realms as [string, string];
    const { call } = await w.computer();
    okData(await call('vault.setup', { passphrase: PASSPHRASE }));
    okData(await call('vault.nameRealm', { realmId: a, name: 'Prod' }));
    okData(await call('vault.save', { realmId: a, key: 'k1', value: 'v', notes: '', mode: 'create' }));
    okData(await call('vault.save', { realmId: b, key: 'k2', value: 'v', notes: '', mode: 'create' }));
    okData(await call('vault.save', { realmId: '', key: 'k3', value: 'v', notes: '', mode: 'create' }));

    expect(await call('vault.clear', { realmId: a, confirmation: 'global' })).toMatchObject({ ok: false, error: { fields: { confirmation: 'must be “Prod”' } } });
    expect(okData(await call('vault.clear', { realmId: a, confirmation: 'Prod' }))).toEqual({ deleted: 1 });
    // Its id still confirms too: what `hoody-vault vault clear --realm ID -y` sends, unchanged.
    okData(await call('vault.save', { realmId: a, key: 'k1', value: 'v', notes: '', mode: 'create' }));
    expect(okData(await call('vault.clear', { realmId: a, confirmation: a }))).toEqual({ deleted: 1 });
    // An unnamed realm is confirmed by its id.
    expect(await call('vault.clear', { realmId: b, confirmation: 'Prod' })).toMatchObject({ ok: false, error: { fields: { confirmation: `must be “${b}”` } } });
    expect(okData(await call('vault.clear', { realmId: b, confirmation: b }))).toEqual({ deleted: 1 });

    // The global scope: its one entry goes, the names (and the keyring) stay.
    expect(okData(await call('vault.clear', { realmId: '', confirmation: 'global' }))).toEqual({ deleted: 1 });
    expect(okData(await call('vault.realms')).names).toEqual({ [a]: 'Prod' });
    expect(okData(await call('vault.list', { realmId: '' })).entries).toEqual([]);
  });

  it('that cannot be read do not hide the realms: they show by id', async () => {
    const w = await world();
    const [a] = w.realms as [string];
    const { call } = await w.computer();
    okData(await call('vault.setup', { passphrase: PASSPHRASE }));
    okData(await call('vault.nameRealm', { realmId: a, name: 'Prod' }));
    w.faults().add({ method: 'GET', path: `/api/v1/vault/keys/${REALM_NAMES_KEY}`, status: 403, times: 1 });
    expect(okData(await call('vault.realms'))).toMatchObject({ realms: expect.arrayContaining([a]), globalAllowed: true, names: {}, namesWritable: false });
    expect(okData(await call('vault.realms')).names).toEqual({ [a]: 'Prod' });
  });

  it('cannot be read or set with a token limited to realms (the names live in the global scope)', async () => {
    const w = await world();
    const [a] = w.realms as [string];
    const full = await w.computer();
    okData(await full.call('vault.setup', { passphrase: PASSPHRASE }));
    okData(await full.call('vault.nameRealm', { realmId: a, name: 'Prod' }));
    // A write in the realm puts the vault's keyring there, which the limited token unlocks with.
    okData(await full.call('vault.save', { realmId: a, key: 'k', value: 'v', notes: '', mode: 'create' }));

    const limited = w.admin().createApiToken({ userId: w.userId, vaultAccess: true, allowedRealmIds: [a] });
    const core = await createCore({ dataDir: await tempDir(), mode: 'serve', version: 't', keychain: await realKeychain(), argon2: MIN_ARGON2, engine: { sleep: async () => {} } });
    cleanups.push(() => core.close());
    okData(await core.call('accounts.signInWithToken', { serverUrl: w.url(), token: limited.token }));
    okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
    expect(okData(await core.call('vault.realms'))).toMatchObject({ realms: [a], globalAllowed: false, names: {}, namesWritable: false });
    expect(await core.call('vault.nameRealm', { realmId: a, name: 'Mine' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('global scope') } });
  });
});
