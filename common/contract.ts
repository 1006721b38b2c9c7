import { z } from 'zod';
import {
  accountIdSchema,
  signInWithPasswordSchema,
  signInWithTokenSchema,
  verifyTwoFactorSchema,
  type AccountsState,
  type SignInResult,
} from './accounts.js';
import { backupInputSchemas, type BackupExportResult, type BackupProgress, type ImportOutcome, type ImportPreview } from './backup.js';
import { activityInputSchemas, type ActivityEventPayloads, type ActivityResults } from './activity.js';
import type { RetrySetupResult, User } from './hoody-types.js';
import type { EventName, OperationName } from './operations.js';
import { aliasSchema, currentPasswordSchema, objectIdSchema, passwordSchema, publicKeySchema, regionSchema, RULES } from './rules.js';
import { realmNameInputs, type RealmNamesView } from './realm-names.js';
import { settingsPatchSchema, type Settings } from './settings.js';
import { twoFactorInputSchemas, type TwoFactorResults } from './two-factor.js';
import { historyInputSchemas, type HistoryResults } from './value-history.js';
import { vaultInputs, type ConflictSide, type VaultItem, type VaultListing, type VaultListingChanges, type VaultStatsView, type VaultStatus } from './vault.js';
import { fileInputs, type UploadProgress } from './vault-files.js';

// The IPC contract: for each operation its input schema (checked in main before any handler runs)
// and its result type; for each event its payload type.

const noInput = z.undefined({ error: 'takes no input' }).or(z.strictObject({}));
const metadataObject = z.record(z.string(), z.unknown(), { error: RULES.metadata });

export const profileUpdateSchema = z.strictObject({
  alias: aliasSchema.optional(),
  metadata: metadataObject.optional(),
  public_key: publicKeySchema.optional(),
});

export const passwordChangeSchema = z.strictObject({
  currentPassword: currentPasswordSchema,
  newPassword: passwordSchema,
});

export const adminUserUpdateSchema = z.strictObject({
  id: objectIdSchema,
  alias: aliasSchema.optional(),
  metadata: metadataObject.optional(),
  is_admin: z.boolean().optional(),
  is_banned: z.boolean().optional(),
});

export const inputSchemas = {
  'app.info': noInput,
  'settings.get': noInput,
  'settings.update': settingsPatchSchema,
  'accounts.list': noInput,
  'accounts.signInWithToken': signInWithTokenSchema,
  'accounts.signInWithPassword': signInWithPasswordSchema,
  'accounts.verifyTwoFactor': verifyTwoFactorSchema,
  'accounts.switch': accountIdSchema,
  'accounts.signOut': accountIdSchema,
  'sandbox.start': noInput,
  'profile.get': noInput,
  'profile.update': profileUpdateSchema,
  'profile.changePassword': passwordChangeSchema,
  'profile.generateKeyPair': noInput,
  'profile.retrySetup': z.strictObject({ region: regionSchema.optional() }),
  ...twoFactorInputSchemas,
  ...historyInputSchemas,
  'users.get': z.strictObject({ id: objectIdSchema }),
  'users.update': adminUserUpdateSchema,
  'vault.status': noInput,
  'vault.setup': vaultInputs.setup,
  'vault.prepareUnlock': noInput,
  'vault.unlock': vaultInputs.unlock,
  'vault.lock': noInput,
  'vault.changePassphrase': vaultInputs.changePassphrase,
  'vault.activity': noInput,
  'vault.realms': noInput,
  'vault.nameRealm': realmNameInputs.nameRealm,
  'vault.list': vaultInputs.list,
  'vault.listChanges': vaultInputs.listChanges,
  'vault.reveal': vaultInputs.reveal,
  'vault.copy': vaultInputs.entry,
  'vault.save': vaultInputs.save,
  'vault.delete': vaultInputs.entry,
  'vault.clear': vaultInputs.clear,
  'vault.encrypt': vaultInputs.reveal,
  'vault.storeSigningKey': vaultInputs.storeSigningKey,
  'vault.uploadFile': fileInputs.uploadFile,
  'vault.cancelUpload': fileInputs.cancelUpload,
  'vault.previewFile': vaultInputs.entry,
  'vault.saveFile': vaultInputs.entry,
  'vault.prepareDownload': vaultInputs.entry,
  'vault.resolveConflict': vaultInputs.resolveConflict,
  'vault.revealConflict': vaultInputs.revealConflict,
  'vault.checkConnection': noInput,
  'vault.listLocked': vaultInputs.listLocked,
  'vault.openSession': vaultInputs.openSession,
  'vault.unlockWithSession': vaultInputs.unlockWithSession,
  'vault.resolveKeyring': vaultInputs.resolveKeyring,
  'vault.restoreKeyring': vaultInputs.restoreKeyring,
  ...activityInputSchemas,
  ...backupInputSchemas,
} satisfies Record<OperationName, z.ZodType>;

export type AppMode = 'electron' | 'serve' | 'cli';

export interface AppInfo {
  name: string;
  version: string;
  mode: AppMode;
  platform: string;
  versions: { node: string; electron?: string; chrome?: string };
  dataDir: string;
  /** Whether "local sandbox" can be offered at sign-in (a source checkout only). */
  localSandbox: boolean;
}

export interface LocalSandboxInfo {
  url: string;
  /** Demo accounts; a two-factor one carries its TOTP secret (base32), so the window can offer the current code. */
  users: Array<{ username: string; password: string; isAdmin: boolean; isBanned: boolean; twoFactor: boolean; totpSecret?: string }>;
}

export interface KeyPair {
  /** 64 hex characters, as the profile's `public_key` takes it. */
  publicKey: string;
  /** 128 hex characters (libsodium's 64-byte secret key: seed + public key). Shown once. */
  privateKey: string;
}

export interface OperationResults extends ActivityResults, TwoFactorResults, HistoryResults {
  'app.info': AppInfo;
  'settings.get': Settings;
  'settings.update': Settings;
  'accounts.list': AccountsState;
  'accounts.signInWithToken': SignInResult;
  'accounts.signInWithPassword': SignInResult;
  'accounts.verifyTwoFactor': SignInResult;
  'accounts.switch': AccountsState;
  'accounts.signOut': AccountsState;
  'sandbox.start': LocalSandboxInfo;
  'profile.get': User;
  'profile.update': User;
  'profile.changePassword': User;
  'profile.generateKeyPair': KeyPair;
  'profile.retrySetup': RetrySetupResult;
  'users.get': User;
  'users.update': User;
  'vault.status': VaultStatus;
  'vault.setup': { recoveryKey: string; status: VaultStatus };
  'vault.prepareUnlock': null;
  'vault.unlock': VaultStatus;
  'vault.lock': VaultStatus;
  'vault.changePassphrase': { scopes: number };
  'vault.activity': null;
  /** The scopes to pick from, and the names the user gave realms (sealed in the vault). */
  'vault.realms': { realms: string[]; globalAllowed: boolean } & RealmNamesView;
  'vault.nameRealm': RealmNamesView;
  'vault.list': VaultListing;
  'vault.listChanges': VaultListingChanges;
  'vault.reveal': { value: string; format: 'hv1' | 'hoody-enc1' | 'plain'; warning?: string };
  'vault.copy': { by: 'main' | 'renderer'; value?: string; clearAfterSeconds: number };
  'vault.save': VaultItem;
  'vault.delete': { pending: boolean };
  'vault.clear': { deleted: number };
  'vault.encrypt': VaultItem;
  'vault.storeSigningKey': VaultItem;
  'vault.uploadFile': VaultItem;
  'vault.cancelUpload': { cancelled: boolean };
  'vault.previewFile': FilePreview;
  'vault.saveFile': { saved: string | null };
  'vault.prepareDownload': { token: string };
  'vault.resolveConflict': VaultStatus;
  'vault.revealConflict': ConflictSide;
  'vault.checkConnection': VaultStatus;
  /** Without the vault key: names, kinds and sizes only (no notes). */
  'vault.listLocked': { realmId: string; entries: VaultItem[]; stats?: VaultStatsView };
  'vault.openSession': { session: string; expiresAt: string };
  'vault.unlockWithSession': VaultStatus;
  'vault.resolveKeyring': VaultStatus;
  'vault.restoreKeyring': VaultStatus;
  'backup.export': BackupExportResult;
  'backup.preview': ImportPreview;
  'backup.import': ImportOutcome;
  'backup.cancel': { cancelled: boolean };
}

export type FilePreview = { kind: 'text'; text: string; truncated: boolean } | { kind: 'image'; dataUrl: string } | { kind: 'none'; reason: string };

export interface EventPayloads extends ActivityEventPayloads {
  'settings.changed': Settings;
  'accounts.changed': AccountsState;
  'vault.changed': VaultStatus;
  'vault.upload': UploadProgress;
  'vault.synced': { realmId: string; syncedAt: string; repaired: boolean };
  'backup.progress': BackupProgress;
}

export type OperationInput<K extends OperationName> = z.input<(typeof inputSchemas)[K]>;
export type ParsedInput<K extends OperationName> = z.output<(typeof inputSchemas)[K]>;
export type OperationResult<K extends OperationName> = OperationResults[K];
export type EventPayload<K extends EventName> = EventPayloads[K];

// Compile-time checks that no operation or event lacks a type.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const contractIsComplete: Exact<keyof OperationResults, OperationName> &
  Exact<keyof EventPayloads, EventName> = true;
