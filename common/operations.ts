// Names only, without schemas: the preload imports this file and must stay tiny (no zod in it).
// `contract.ts` maps every name here to its schema, and the compiler keeps the two lists equal.
import { ACTIVITY_EVENTS, ACTIVITY_OPERATIONS } from './activity-operations.js';

export const OPERATIONS = [
  'app.info',
  'settings.get',
  'settings.update',
  'accounts.list',
  'accounts.signInWithToken',
  'accounts.signInWithPassword',
  'accounts.verifyTwoFactor',
  'accounts.switch',
  'accounts.signOut',
  'sandbox.start',
  'profile.get',
  'profile.update',
  'profile.changePassword',
  'profile.generateKeyPair',
  'profile.retrySetup',
  'users.get',
  'users.update',
  'vault.status',
  'vault.setup',
  'vault.prepareUnlock',
  'vault.unlock',
  'vault.lock',
  'vault.changePassphrase',
  'vault.activity',
  'vault.realms',
  'vault.list',
  'vault.reveal',
  'vault.copy',
  'vault.save',
  'vault.delete',
  'vault.clear',
  'vault.encrypt',
  'vault.storeSigningKey',
  'vault.uploadFile',
  'vault.cancelUpload',
  'vault.previewFile',
  'vault.saveFile',
  'vault.prepareDownload',
  'vault.resolveConflict',
  'vault.checkConnection',
  'vault.listLocked',
  'vault.openSession',
  'vault.unlockWithSession',
  ...ACTIVITY_OPERATIONS,
] as const;
export type OperationName = (typeof OPERATIONS)[number];

export const EVENTS = ['settings.changed', 'accounts.changed', 'vault.changed', 'vault.upload', 'vault.synced', ...ACTIVITY_EVENTS] as const;

/** Electron only, not an operation: the preload registers dropped files' paths (see main/core/vault/file-registry.ts). */
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
