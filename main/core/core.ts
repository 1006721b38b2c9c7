import type { AppInfo, AppMode } from '../../common/contract.js';
import { Accounts } from './accounts/accounts.js';
import { probeKeychain, type SecretStore } from './accounts/secret-store.js';
import type { EngineOptions } from './api/http.js';
import { createDispatcher, type Dispatch } from './dispatch.js';
import { EventBus } from './event-bus.js';
import { CoreError } from './core-error.js';
import { LOCAL_SANDBOX_MISSING, LocalSandbox } from './local-sandbox.js';
import { ProfileService } from './profile.js';
import { SettingsStore } from './settings-store.js';

export interface CoreOptions {
  dataDir: string;
  mode: AppMode;
  version: string;
  versions?: AppInfo['versions'];
  /** The source checkout the app runs from, when it does (enables the local sandbox). */
  appRoot?: string;
  /**
   * Where tokens are kept. By default the OS keychain, probed at start-up; `{unavailable}` says
   * why there is none (tests use it to exercise the session-only path).
   */
  keychain?: SecretStore | { unavailable: string };
  engine?: Omit<EngineOptions, 'baseUrl'>;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  settings: SettingsStore;
  accounts: Accounts;
  close(): Promise<void>;
}

/** Assembles the Electron-free core: the same object behind the Electron window and serve mode. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? (() => {});
  const events = new EventBus();
  const settings = new SettingsStore({
    dataDir: options.dataDir,
    onChange: (value) => events.emit('settings.changed', value),
    onWarning: (message) => log('warn', message),
  });
  await settings.load();

  const keychain = await resolveKeychain(options.keychain);
  if (!keychain.store) log('warn', `keychain unavailable: ${keychain.reason}`);
  const accounts = new Accounts({
    dataDir: options.dataDir,
    keychain: keychain.store,
    ...(keychain.reason ? { keychainProblem: keychain.reason } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    onChange: (state) => events.emit('accounts.changed', state),
    log: (message) => log('info', message),
  });
  await accounts.load();
  const profile = new ProfileService(accounts);
  const sandbox = options.appRoot ? new LocalSandbox(options.appRoot, options.dataDir) : undefined;

  const info: AppInfo = {
    name: 'Hoody Vault',
    version: options.version,
    mode: options.mode,
    platform: process.platform,
    versions: options.versions ?? { node: process.versions.node },
    dataDir: options.dataDir,
    localSandbox: sandbox?.available() ?? false,
  };

  const dispatch = createDispatcher(
    {
      'app.info': () => info,
      'settings.get': () => settings.get(),
      'settings.update': (patch) => settings.update(patch),
      'accounts.list': () => accounts.state(),
      'accounts.signInWithToken': (input) => accounts.signInWithToken(input),
      'accounts.signInWithPassword': (input) => accounts.signInWithPassword(input),
      'accounts.verifyTwoFactor': (input) => accounts.verifyTwoFactor(input),
      'accounts.switch': ({ id }) => accounts.switchTo(id),
      'accounts.signOut': ({ id }) => accounts.signOut(id),
      'sandbox.start': () => {
        if (!sandbox?.available()) throw new CoreError('NOT_AVAILABLE', LOCAL_SANDBOX_MISSING);
        return sandbox.start();
      },
      'profile.get': () => profile.get(),
      'profile.update': (change) => profile.update(change),
      'profile.changePassword': (input) => profile.changePassword(input),
      'profile.generateKeyPair': () => profile.generateKeyPair(),
      'profile.retrySetup': ({ region }) => profile.retrySetup(region),
      'users.get': ({ id }) => profile.getUser(id),
      'users.update': (input) => profile.updateUser(input),
    },
    { onUnexpected: (op, error) => log('error', `${op} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) },
  );

  return {
    dispatch,
    events,
    settings,
    accounts,
    close: async () => {
      await sandbox?.stop();
    },
  };
}

async function resolveKeychain(option: CoreOptions['keychain']): Promise<{ store?: SecretStore; reason?: string }> {
  if (option && 'unavailable' in option) return { reason: option.unavailable };
  if (option) return { store: option };
  const probe = await probeKeychain();
  return probe.available ? { store: probe.store } : { reason: probe.reason };
}
