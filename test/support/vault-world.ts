import { createCore, type Core } from '../../main/core/core.js';
import { MIN_ARGON2 } from '../../main/core/crypto/kdf.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { okData } from './core.js';
import { realKeychain } from './keychain.js';

// A sandbox that can be stopped and started again on the same port and data, a user with a token,
// and cores on one user-data folder with the real keychain (one service per world), so a restarted
// core finds the account, its keychain entries and its files as the app would.

/** `shuffleKeys`: the sandbox lists keys in a new random order each time (as a server may). */
export async function vaultWorld(tempDir: () => Promise<string>, cleanups: Array<() => Promise<unknown>>, { shuffleKeys = false }: { shuffleKeys?: boolean } = {}) {
  const sandboxDir = await tempDir();
  let sandbox: Sandbox = await startSandbox({ dataDir: sandboxDir, faults: true, shuffleKeys });
  const port = Number(new URL(sandbox.url).port);
  const user = await sandbox.admin.createUser();
  const { token } = sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  const appDir = await tempDir();
  const keychainService = `hoody-vault-test-${Math.random().toString(16).slice(2, 10)}`;
  const keychain = await realKeychain(keychainService);
  let running = true;
  cleanups.push(async () => running && sandbox.close());
  const openCore = async () => {
    const core: Core = await createCore({ dataDir: appDir, mode: 'serve', version: 't', keychain, argon2: MIN_ARGON2, engine: { sleep: async () => {}, timeoutMs: 2000 } });
    cleanups.push(() => core.close());
    return core;
  };
  const api = (method: string, key: string, body?: unknown) =>
    fetch(`${sandbox.url}/api/v1/vault/keys/${key}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  /** The entry as the server stores it: what a malicious server can rewrite at will. */
  const stored = async (key: string) => ((await (await api('GET', key)).json()) as { data: { value: string; metadata: Record<string, unknown> | null } }).data;
  return {
    token,
    appDir,
    keychainService,
    url: () => sandbox.url,
    /** The running sandbox's injected failures (test/e2e and core tests use them to fail one request). */
    faults: () => sandbox.faults,
    /** The running sandbox's admin side (realms, users) and the world's user. */
    admin: () => sandbox.admin,
    userId: user.id,
    openCore,
    api,
    stored,
    stopServer: async () => {
      await sandbox.close();
      running = false;
    },
    startServer: async () => {
      sandbox = await startSandbox({ dataDir: sandboxDir, port, faults: true, shuffleKeys });
      running = true;
    },
  };
}

export type VaultWorld = Awaited<ReturnType<typeof vaultWorld>>;

/**
 * A world with one core signed in and its vault set up with `passphrase`: where most vault suites
 * start. `sessionOnly`: the token is kept for this session only (not in the keychain).
 */
export async function unlockedVaultWorld(
  tempDir: () => Promise<string>,
  cleanups: Array<() => Promise<unknown>>,
  passphrase: string,
  { shuffleKeys = false, sessionOnly = false }: { shuffleKeys?: boolean; sessionOnly?: boolean } = {},
): Promise<{ w: VaultWorld; core: Core }> {
  const w = await vaultWorld(tempDir, cleanups, { shuffleKeys });
  const core = await w.openCore();
  okData(await core.call('accounts.signInWithToken', { serverUrl: w.url(), token: w.token, ...(sessionOnly ? { sessionOnly } : {}) }));
  okData(await core.call('vault.setup', { passphrase }));
  return { w, core };
}
