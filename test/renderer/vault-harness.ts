import type { Core } from '../../main/core/core.js';
import type { Sandbox } from '../../sandbox/server.js';
import { useAccounts } from '../../renderer/src/stores/accounts.js';
import { useNavigation } from '../../renderer/src/stores/navigation.js';
import { useNotices } from '../../renderer/src/stores/notices.js';
import { useProfile } from '../../renderer/src/stores/profile.js';
import { useSettings } from '../../renderer/src/stores/settings.js';
import { useUsers } from '../../renderer/src/stores/users.js';
import { useVault } from '../../renderer/src/stores/vault.js';
import { installBridge, type Intercept } from './bridge.js';

// The window over the real core (real validation, real accounts, the sandbox over real HTTP), with
// every store back at its start: each test begins as a fresh window.

export function resetStores(): void {
  useNavigation.setState({ view: 'vault' });
  useSettings.setState({ settings: undefined, info: undefined, loadError: undefined });
  useAccounts.setState({ state: undefined, error: undefined });
  useProfile.getState().reset();
  useVault.getState().reset();
  useNotices.getState().dismiss();
  useUsers.setState({ accountId: undefined, user: undefined, error: undefined, busy: false, recent: [], seen: [] });
  window.localStorage.clear();
}

export async function windowOverCore(dataDir: string, intercept?: Intercept): Promise<Core> {
  return installBridge(dataDir, intercept, { engine: { sleep: async () => {} }, log: (level, message) => level === 'error' && console.error(message) });
}

/** A new sandbox user signed in (session only) with a vault token; returns what a test needs of them. */
export async function signedInUser(core: Core, sandbox: Sandbox, options: Parameters<Sandbox['admin']['createUser']>[0] = {}, token?: Partial<Parameters<Sandbox['admin']['createApiToken']>[0]>) {
  const user = await sandbox.admin.createUser(options);
  const created = sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true, ...token });
  const result = await core.dispatch('accounts.signInWithToken', { serverUrl: sandbox.url, token: created.token, sessionOnly: true });
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.message}`);
  return { user, token: created.token };
}
