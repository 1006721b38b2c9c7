// Names only, without schemas: the preload imports this file and must stay tiny (no zod in it).
// `contract.ts` maps every name here to its schema, and the compiler keeps the two lists equal.
// Every operation, grouped by the area whose handlers serve it (main/core/<area>/handlers.ts). One
// list for the whole app: a new operation goes into its area here, then the compiler asks for its
// schema (contract.ts) and its handler (the area's handlers.ts).
export const OPERATION_AREAS = {
  app: ['app.info', 'sandbox.start'],
  settings: ['settings.get', 'settings.update'],
  accounts: ['accounts.list', 'accounts.signInWithToken', 'accounts.signInWithPassword', 'accounts.verifyTwoFactor', 'accounts.switch', 'accounts.signOut'],
  profile: [
    'profile.get',
    'profile.update',
    'profile.changePassword',
    'profile.generateKeyPair',
    'profile.retrySetup',
    'profile.twoFactorStatus',
    'profile.twoFactorSetup',
    'profile.twoFactorEnable',
    'profile.twoFactorDisable',
    'profile.twoFactorRegenerateCodes',
    'users.get',
    'users.update',
  ],
  vault: [
    'vault.status',
    'vault.setup',
    'vault.prepareUnlock',
    'vault.unlock',
    'vault.lock',
    'vault.changePassphrase',
    'vault.activity',
    'vault.realms',
    'vault.nameRealm',
    'vault.list',
    'vault.listChanges',
    'vault.reveal',
    'vault.copy',
    'vault.save',
    'vault.delete',
    'vault.clear',
    'vault.encrypt',
    'vault.storeSigningKey',
    'vault.resolveConflict',
    'vault.revealConflict',
    'vault.checkConnection',
    'vault.listLocked',
    'vault.openSession',
    'vault.unlockWithSession',
    'vault.resolveKeyring',
    'vault.restoreKeyring',
    'vault.history',
    'vault.revealHistoryValue',
    'vault.copyHistoryValue',
    'vault.restoreValue',
    'vault.renameKey',
  ],
  // Files are vault entries, so their operations keep the vault's prefix; their handlers are the file service's.
  files: ['vault.uploadFile', 'vault.cancelUpload', 'vault.previewFile', 'vault.saveFile', 'vault.prepareDownload'],
  activity: ['activity.query', 'activity.stats', 'activity.loadFilters', 'activity.saveFilters', 'activity.chart', 'activity.export', 'activity.cancel'],
  backup: ['backup.export', 'backup.preview', 'backup.import', 'backup.cancel'],
} as const;
export type OperationArea = keyof typeof OPERATION_AREAS;
export type AreaOperation<A extends OperationArea> = (typeof OPERATION_AREAS)[A][number];

export const OPERATIONS = [
  ...OPERATION_AREAS.app,
  ...OPERATION_AREAS.settings,
  ...OPERATION_AREAS.accounts,
  ...OPERATION_AREAS.profile,
  ...OPERATION_AREAS.vault,
  ...OPERATION_AREAS.files,
  ...OPERATION_AREAS.activity,
  ...OPERATION_AREAS.backup,
] as const;
export type OperationName = (typeof OPERATIONS)[number];

export const EVENTS = ['settings.changed', 'accounts.changed', 'vault.changed', 'vault.upload', 'vault.synced', 'activity.progress', 'backup.progress'] as const;

/** Electron only, not an operation: the preload registers dropped files' paths (see main/core/files/file-registry.ts). */
export const REGISTER_FILES_CHANNEL = 'hoody:files:register';
export type EventName = (typeof EVENTS)[number];

const operationSet: ReadonlySet<string> = new Set(OPERATIONS);
const eventSet: ReadonlySet<string> = new Set(EVENTS);

export const isOperationName = (value: unknown): value is OperationName =>
  typeof value === 'string' && operationSet.has(value);
export const isEventName = (value: unknown): value is EventName =>
  typeof value === 'string' && eventSet.has(value);

/** IPC channel of one operation: one channel per operation, so each is registered (and audited) on its own. */
export const operationChannel = (op: OperationName): string => `hoody:op:${op}`;
export const EVENT_CHANNEL = 'hoody:event';
