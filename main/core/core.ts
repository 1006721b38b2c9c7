import type { AppInfo, AppMode } from '../../common/contract.js';
import { AccountsService } from './accounts/accounts-service.js';
import { activityHandlers, createActivityService, type ActivityDeps } from './activity/handlers.js';
import { probeKeychain, type SecretStore } from './accounts/secret-store.js';
import type { EngineOptions } from './api/http.js';
import { createDispatcher, type Dispatch } from './dispatch.js';
import { EventBus } from './event-bus.js';
import { CoreError } from './core-error.js';
import { LOCAL_SANDBOX_MISSING, LocalSandbox } from './dev/local-sandbox.js';
import { ProfileService } from './profile/profile-service.js';
import { SettingsStore } from './settings/settings-store.js';
import { VaultService, type ClipboardPort } from './vault/vault-service.js';
import { FileRegistry } from './files/file-registry.js';
import { FilesService } from './files/files-service.js';
import type { Argon2Params } from './crypto/kdf.js';
import { refuseWeakPassphrase, warmPassphraseFloor } from './util/passphrase-floor.js';

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
  /** A native save dialog (Electron): exports are written by main to the chosen file. */
  saveDialog?: ActivityDeps['saveDialog'];
  /** Argon2id cost for new keyrings (tests lower it; the default is DEFAULT_ARGON2). */
  argon2?: Argon2Params;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  settings: SettingsStore;
  accounts: AccountsService;
  vault: VaultService;
  files: FilesService;
  /** Electron: paths of files the user dropped or picked, registered by the preload only. */
  fileRegistry: FileRegistry;
  close(): Promise<void>;
}

/** Assembles the Electron-free core: the same object behind the Electron window and serve mode. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? (() => {});
  const events = new EventBus();
  // Settings and accounts are made before the vault, whose lock timer and lock-on-switch they drive.
  const late: { vault?: VaultService } = {};
  const settings = new SettingsStore({
    dataDir: options.dataDir,
    onChange: (value) => {
      late.vault?.setAutoLockMinutes(value.autoLockMinutes);
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
      late.vault?.accountsChanged();
      events.emit('accounts.changed', state);
    },
    log: (message) => log('info', message),
  });
  await accounts.load();
  const profile = new ProfileService(accounts);
  const v = new VaultService({
    accounts,
    autoLockMinutes: settings.get().autoLockMinutes,
    onChange: (status) => events.emit('vault.changed', status),
    onSynced: (sync) => events.emit('vault.synced', sync),
    pendingSigningKey: (id) => profile.pendingSigningKey(id),
    clearPendingSigningKey: () => profile.clearPendingSigningKey(),
    ...(options.clipboard ? { clipboard: options.clipboard } : {}),
    ...(options.argon2 ? { argon2: options.argon2 } : {}),
    log: (message) => log('info', message),
  });
  late.vault = v;
  const fileRegistry = new FileRegistry();
  const files = new FilesService(v, accounts, fileRegistry, (progress) => events.emit('vault.upload', progress));
  const saveDialog = options.saveDialog;
  const activity = createActivityService({ accounts, events, ...(saveDialog ? { saveDialog } : {}) });
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
      'vault.status': async () => {
        const status = await v.status();
        if (status.state === 'not-set-up') warmPassphraseFloor();
        return status;
      },
      'vault.setup': async ({ passphrase }) => {
        await refuseWeakPassphrase('passphrase', passphrase);
        return v.setup(passphrase);
      },
      'vault.prepareUnlock': () => v.prepareUnlock(),
      'vault.unlock': (input) => v.unlock(input),
      'vault.lock': () => v.lock('manual'),
      'vault.changePassphrase': async ({ currentPassphrase, newPassphrase }) => {
        await refuseWeakPassphrase('newPassphrase', newPassphrase);
        return v.changePassphrase(newPassphrase, currentPassphrase);
      },
      'vault.activity': () => {
        v.touch();
        return null;
      },
      'vault.realms': () => v.realms(),
      'vault.list': ({ realmId }) => v.list(realmId),
      'vault.reveal': ({ realmId, key, password }) => v.reveal(realmId, key, password),
      'vault.copy': ({ realmId, key }) => v.copy(realmId, key),
      'vault.save': (input) => v.save(input),
      'vault.delete': ({ realmId, key }) => v.delete(realmId, key),
      'vault.clear': ({ realmId, confirmation }) => v.clear(realmId, confirmation),
      'vault.encrypt': ({ realmId, key, password }) => v.encrypt(realmId, key, password),
      'vault.storeSigningKey': ({ realmId, key }) => v.storeSigningKey(realmId, key),
      'vault.uploadFile': ({ fileId, realmId, key, notes, uploadId }) => files.uploadRegistered({ fileId, realmId, key, notes, uploadId }),
      'vault.cancelUpload': ({ uploadId }) => ({ cancelled: files.cancel(uploadId) }),
      'vault.previewFile': ({ realmId, key }) => files.preview(realmId, key),
      'vault.saveFile': ({ realmId, key }) => {
        if (!saveDialog) throw new CoreError('NOT_AVAILABLE', 'Saving through a dialog is for the desktop app; the window downloads the file instead.');
        return files.saveTo(realmId, key, saveDialog);
      },
      'vault.prepareDownload': ({ realmId, key }) => files.prepareDownload(realmId, key),
      'vault.resolveConflict': ({ opId, choice }) => v.resolveConflict(opId, choice),
      'vault.checkConnection': () => v.checkConnection(),
      ...activityHandlers(accounts, activity),
    },
    { onUnexpected: (op, error) => log('error', `${op} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) },
  );

  return {
    dispatch,
    events,
    settings,
    accounts,
    vault: v,
    files,
    fileRegistry,
    close: async () => {
      activity.cancelAll();
      await v.lock('quit');
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
