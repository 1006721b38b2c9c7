import type { AppInfo, AppMode } from '../../common/contract.js';
import { AccountsService } from './accounts/accounts-service.js';
import { accountsHandlers } from './accounts/handlers.js';
import { probeKeychain, type SecretStore } from './accounts/secret-store.js';
import { activityHandlers, createActivityService } from './activity/handlers.js';
import type { EngineOptions } from './api/http.js';
import { appHandlers } from './app/handlers.js';
import { BackupService } from './backup/backup-service.js';
import { backupHandlers } from './backup/handlers.js';
import type { Argon2Params } from './crypto/kdf.js';
import { LocalSandbox } from './dev/local-sandbox.js';
import { createDispatcher, typedCall, type Call, type Dispatch } from './dispatch.js';
import { EventBus } from './event-bus.js';
import { FileRegistry } from './files/file-registry.js';
import { FilesService } from './files/files-service.js';
import { filesHandlers, type SaveDialog } from './files/handlers.js';
import { profileHandlers } from './profile/handlers.js';
import { ProfileService } from './profile/profile-service.js';
import { TwoFactorService } from './profile/two-factor-service.js';
import { settingsHandlers } from './settings/handlers.js';
import { SettingsStore } from './settings/settings-store.js';
import type { ClipboardPort } from './vault/clipboard.js';
import { vaultHandlers } from './vault/handlers.js';
import { VaultSessionStore } from './vault/session-store.js';
import { VaultService } from './vault/vault-service.js';

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
  /** The system clipboard, where main can reach it (Electron); serve mode copies in the window. */
  clipboard?: ClipboardPort;
  /** A native save dialog (Electron): exports and files are written by main to the chosen file. */
  saveDialog?: SaveDialog;
  /** Argon2id cost for new keyrings (tests lower it; the default is DEFAULT_ARGON2). */
  argon2?: Argon2Params;
  /** While offline, how often the server is asked whether it is back (tests shorten it). */
  probeMs?: number;
  /** While the vault is open, how often a background check makes sure the server still answers (tests shorten it). */
  heartbeatMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface Core {
  /** For the transports: untyped input from IPC or a socket. */
  dispatch: Dispatch;
  /** The same, typed by the contract, for callers inside the app. */
  call: Call;
  events: EventBus;
  settings: SettingsStore;
  accounts: AccountsService;
  vault: VaultService;
  files: FilesService;
  /** Electron: paths of files the user dropped or picked, registered by the preload only. */
  fileRegistry: FileRegistry;
  close(): Promise<void>;
}

/** Assembles the Electron-free core: the same object behind the Electron window, serve mode and the CLI. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? (() => {});
  const events = new EventBus();
  // Settings and accounts are made before the vault, whose lock timer and lock-on-switch they drive.
  const late: { vault?: VaultService } = {};
  const settings = new SettingsStore({
    dataDir: options.dataDir,
    onChange: (value) => {
      late.vault?.session.setAutoLockMinutes(value.autoLockMinutes);
      events.emit('settings.changed', value);
    },
    onWarning: (message) => log('warn', message),
  });
  await settings.load();

  const keychain = await resolveKeychain(options.keychain);
  if (!keychain.store) log('warn', `keychain unavailable: ${keychain.reason}`);
  const accounts = new AccountsService({
    dataDir: options.dataDir,
    keychain: keychain.store,
    ...(keychain.reason ? { keychainProblem: keychain.reason } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    onChange: (state) => {
      late.vault?.session.accountsChanged();
      events.emit('accounts.changed', state);
    },
    log: (message) => log('info', message),
  });
  await accounts.load();
  const profile = new ProfileService(accounts);
  const twoFactor = new TwoFactorService(accounts);
  const vault = new VaultService({
    accounts,
    autoLockMinutes: settings.get().autoLockMinutes,
    onChange: (status) => events.emit('vault.changed', status),
    onSynced: (sync) => events.emit('vault.synced', sync),
    pendingSigningKey: (id) => profile.pendingSigningKey(id),
    clearPendingSigningKey: () => profile.clearPendingSigningKey(),
    ...(options.clipboard ? { clipboard: options.clipboard } : {}),
    ...(options.argon2 ? { argon2: options.argon2 } : {}),
    ...(options.probeMs ? { probeMs: options.probeMs } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    sessions: new VaultSessionStore(options.dataDir),
    log: (message) => log('info', message),
  });
  late.vault = vault;
  const fileRegistry = new FileRegistry();
  const files = new FilesService(
    { openVault: () => vault.session.openVault(), ensureKeyring: (client, realmId) => vault.session.ensureKeyring(client, realmId), checkQuota: (client, realmId, growth) => vault.entries.checkQuota(client, realmId, growth), storedValue: (realmId, key) => vault.entries.storedValue(realmId, key), storedFile: (realmId, key) => vault.entries.storedFile(realmId, key) },
    accounts,
    fileRegistry,
    (progress) => events.emit('vault.upload', progress),
  );
  const activity = createActivityService({ accounts, events, ...(options.saveDialog ? { saveDialog: options.saveDialog } : {}) });
  const backup = new BackupService({
    vault: {
      openVault: () => vault.session.openVault(),
      realms: () => vault.listings.realms(),
      list: (realmId) => vault.listings.list(realmId),
      reveal: (realmId, key) => vault.entries.reveal(realmId, key),
      storedValue: (realmId, key) => vault.entries.storedValue(realmId, key),
      secret: (realmId, key) => vault.history.secret(realmId, key),
      save: (input, extra) => vault.entries.save(input, extra),
      storeFile: (input, source) => files.store(input, source),
      client: () => accounts.client(),
      register: (part) => vault.session.register(part),
    },
    files: fileRegistry,
    progress: (event) => events.emit('backup.progress', event),
    saveDialog: options.saveDialog,
    argon2: options.argon2,
  });
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
      ...appHandlers(info, sandbox),
      ...settingsHandlers(settings),
      ...accountsHandlers(accounts),
      ...profileHandlers(profile, twoFactor),
      ...vaultHandlers(vault, accounts, { forWindow: options.mode !== 'cli' }),
      ...filesHandlers(files, options.saveDialog),
      ...activityHandlers(accounts, activity),
      ...backupHandlers(backup),
    },
    { onUnexpected: (op, error) => log('error', `${op} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) },
  );

  return {
    dispatch,
    call: typedCall(dispatch),
    events,
    settings,
    accounts,
    vault,
    files,
    fileRegistry,
    close: async () => {
      activity.cancelAll();
      backup.cancelAll();
      await vault.close();
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
