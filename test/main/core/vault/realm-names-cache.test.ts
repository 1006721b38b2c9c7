import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import { REALM_NAMES_KEY } from '../../../../main/core/vault/realm-names.js';
import { startSandbox } from '../../../../sandbox/server.js';
import { okData } from '../../../support/core.js';
import { realKeychain } from '../../../support/keychain.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The scope list asks for the realm names at each return to the vault and each Refresh: the names
// opened from the stored entry are kept for the open session by its version, so a call that finds
// the same version opens nothing; another computer's rename is still picked up at the next call.
// What is opened is counted at the envelope (every open of the names goes through openValueText,
// which still does the real work); what is asked of the server, in the sandbox's activity log.

const opened = vi.hoisted(() => ({ keys: [] as string[] }));
vi.mock('../../../../main/core/crypto/envelope.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../main/core/crypto/envelope.js')>();
  return {
    ...actual,
    openValueText: (...args: Parameters<typeof actual.openValueText>) => {
      opened.keys.push(args[2]);
      return actual.openValueText(...args);
    },
  };
});

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const PASSPHRASE = 'realm names cache passphrase';

async function world() {
  const sandbox = await startSandbox({ dataDir: await tempDir() });
  cleanups.push(() => sandbox.close());
  const user = await sandbox.admin.createUser();
  const { token } = sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  const realm = sandbox.admin.createRealm({ ownerId: user.id }).id.toLowerCase();
  const computer = async () => {
    const core: Core = await createCore({ dataDir: await tempDir(), mode: 'serve', version: 't', keychain: await realKeychain(), argon2: MIN_ARGON2, engine: { sleep: async () => {}, timeoutMs: 15_000 } });
    cleanups.push(() => core.close());
    okData(await core.call('accounts.signInWithToken', { serverUrl: sandbox.url, token }));
    return core.call;
  };
  /** How many times the stored names were read from the server (GET of the reserved key). */
  const namesRead = async () => {
    const log = await fetch(`${sandbox.apiUrl}/users/auth/activity?method=GET&limit=100`, { headers: { Authorization: `Bearer ${token}` } });
    return ((await log.json()) as { data: Array<{ path: string }> }).data.filter((r) => r.path.endsWith(`/vault/keys/${REALM_NAMES_KEY}`)).length;
  };
  /** The revision sealed in the stored names (the envelope's `r`, readable without the key). */
  const storedRevision = async () => {
    const answer = await fetch(`${sandbox.apiUrl}/vault/keys/${REALM_NAMES_KEY}`, { headers: { Authorization: `Bearer ${token}` } });
    return (JSON.parse(((await answer.json()) as { data: { value: string } }).data.value) as { r: number }).r;
  };
  return { realm, computer, namesRead, storedRevision };
}

const opens = () => opened.keys.filter((key) => key === REALM_NAMES_KEY).length;

describe('realm names in the scope list', () => {
  it('are opened once per version of the stored names: the same version opens nothing, a rename elsewhere is picked up', async () => {
    const w = await world();
    const here = await w.computer();
    okData(await here('vault.setup', { passphrase: PASSPHRASE }));
    okData(await here('vault.nameRealm', { realmId: w.realm, name: 'Production' }));
    const elsewhere = await w.computer();
    okData(await elsewhere('vault.unlock', { passphrase: PASSPHRASE }));

    expect(okData(await here('vault.realms')).names).toEqual({ [w.realm]: 'Production' });
    const [readBefore, opensBefore] = [await w.namesRead(), opens()];
    // The same version again: still asked of the server (another computer may have renamed), opened no more.
    for (let i = 0; i < 3; i += 1) expect(okData(await here('vault.realms')).names).toEqual({ [w.realm]: 'Production' });
    // (At least: the other computer's background sync of the global scope may read it too.)
    await expect.poll(w.namesRead).toBeGreaterThanOrEqual(readBefore + 3);
    expect(opens()).toBe(opensBefore);

    // Another computer renames the realm: the next call finds a new version, opens it, and shows it.
    okData(await elsewhere('vault.nameRealm', { realmId: w.realm, name: 'Live' }));
    const opensElsewhere = opens();
    expect(okData(await here('vault.realms')).names).toEqual({ [w.realm]: 'Live' });
    expect(opens()).toBe(opensElsewhere + 1);
    expect(okData(await here('vault.realms')).names).toEqual({ [w.realm]: 'Live' });
    expect(opens()).toBe(opensElsewhere + 1);

    // Locking drops the opened names: after the next unlock they are opened again.
    okData(await here('vault.lock'));
    okData(await here('vault.unlock', { passphrase: PASSPHRASE }));
    const opensUnlocked = opens();
    expect(okData(await here('vault.realms')).names).toEqual({ [w.realm]: 'Live' });
    expect(opens()).toBe(opensUnlocked + 1);
  });

  it('a rename opens no names it knows already: the revision of the names it replaces is the one read just before, and the names it wrote are not opened again at the read-back', async () => {
    const w = await world();
    const here = await w.computer();
    okData(await here('vault.setup', { passphrase: PASSPHRASE }));
    okData(await here('vault.nameRealm', { realmId: w.realm, name: 'Production' }));
    expect(okData(await here('vault.realms')).names).toEqual({ [w.realm]: 'Production' });

    // Renamed here, over the names this computer read last: nothing opened, the names still asked
    // of the server (read, then read back twice).
    const [opensBefore, readBefore] = [opens(), await w.namesRead()];
    expect(okData(await here('vault.nameRealm', { realmId: w.realm, name: 'Live' })).names).toEqual({ [w.realm]: 'Live' });
    expect(opens()).toBe(opensBefore);
    await expect.poll(w.namesRead).toBeGreaterThanOrEqual(readBefore + 3);
    const mine = await w.storedRevision();

    // Renamed elsewhere: the next rename here opens that version once (to merge it), and writes over
    // it with a revision above the one sealed in it.
    const elsewhere = await w.computer();
    okData(await elsewhere('vault.unlock', { passphrase: PASSPHRASE }));
    okData(await elsewhere('vault.nameRealm', { realmId: w.realm, name: 'Staging' }));
    const theirs = await w.storedRevision();
    expect(theirs).toBeGreaterThan(mine);
    const opensElsewhere = opens();
    expect(okData(await here('vault.nameRealm', { realmId: w.realm, name: 'Prod' })).names).toEqual({ [w.realm]: 'Prod' });
    expect(opens()).toBe(opensElsewhere + 1);
    expect(await w.storedRevision()).toBeGreaterThan(theirs);
    expect(okData(await elsewhere('vault.realms')).names).toEqual({ [w.realm]: 'Prod' });
  });
});
