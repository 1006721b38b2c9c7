import { z } from 'zod';
import { KEY_NAME_MAX, KEY_NAME_PATTERN, METADATA_MAX_BYTES, RULES, realmIdSchema } from './rules.js';

// The vault as the renderer sees it: states, entries with their decrypted notes, and the rules for
// what may be saved. Values reach the renderer only when the user reveals or copies one.

export const RESERVED_PREFIX = '_hv.';
export const PASSPHRASE_MIN = 10;
export const PASSPHRASE_MAX = 1024;
export const NOTES_MAX = 10_000;

export const PASSPHRASE_RULE = `must be ${PASSPHRASE_MIN} to ${PASSPHRASE_MAX} characters; a few unrelated words make a strong one`;
export const RESERVED_RULE = `must not start with ${RESERVED_PREFIX} (reserved for this app)`;
export const NOTES_RULE = `must be at most ${NOTES_MAX} characters`;
export const GLOBAL_SCOPE_NAME = 'global';
export const SESSION_MINUTES_MAX = 24 * 60;
export const SESSION_MINUTES_RULE = `must be a whole number of minutes from 1 to ${SESSION_MINUTES_MAX}`;
export const SESSION_RULE = 'must be the value `vault unlock` printed (hvs1.…)';

export type VaultState =
  /** No account is signed in. */
  | 'signed-out'
  /** The account has no vault key yet: the user sets a passphrase. */
  | 'not-set-up'
  | 'locked'
  | 'unlocked'
  /** The server cannot be asked and this computer has no copy of the keyring yet. */
  | 'unavailable'
  /**
   * The account holds entries sealed by this app but no keyring (another tool deleted it) and this
   * computer has no copy: setting up would make a second vault, so the keyring is restored instead.
   */
  | 'keyring-missing';

export interface VaultStatus {
  state: VaultState;
  accountId: string | null;
  /** Why the vault is unavailable, or what locked it last. */
  reason?: string;
  /** Wrong passphrases in a row, and when the next try is allowed (ms since epoch). */
  failures: number;
  retryAt: number;
  /** Realms the account's token is limited to (none: every scope is open). */
  allowedRealms: string[] | null;
  /** False while the server cannot be reached: the vault is read from this computer's copy. */
  online: boolean;
  /** Changes made offline, waiting to be sent, in order. */
  pendingChanges: number;
  /** A waiting change the user must decide about before the rest are sent. */
  conflict?: OutboxConflict;
  /** An outbox that could not be opened was kept aside here (its changes could not be sent). */
  outboxProblem?: string;
  /** What the keyring checks found, per scope: a keyring put back, or one that is not this vault's. */
  keyring?: KeyringNotice[];
  /**
   * This computer's copy of a scope, or the outbox, was found older than the last one the app wrote
   * (or the outbox deleted): put back from elsewhere. Checked against counters in the keychain.
   */
  localRollback?: string;
}

/** One vault's keyring, as the user can tell two apart: when it was made and last changed. */
export interface KeyringDates {
  vaultId: string;
  createdAt: string;
  updatedAt: string;
}

export interface KeyringNotice {
  realmId: string;
  /**
   * restored: it was missing on the server and was put back from this computer's copy;
   * foreign: the scope holds another vault's keyring (or only another vault's entries), so writes
   * there are stopped until the user chooses; damaged: the server's newer copy did not open with the
   * key in hand, so this computer kept its own.
   */
  kind: 'restored' | 'foreign' | 'damaged';
  message: string;
  at: string;
  ours: KeyringDates;
  /** The server's keyring, when there is one. */
  theirs?: KeyringDates;
  /** foreign: how many entries in the scope open with this computer's vault, and how many do not. */
  entries?: { ours: number; theirs: number };
}

export type KeyringChoice = 'dismiss' | 'ours' | 'theirs';

export interface OutboxConflict {
  opId: string;
  realmId: string;
  key: string;
  change: 'save' | 'delete';
  /** changed: edited on the server since; deleted: gone from the server; exists: created there meanwhile; refused: the server said no. */
  reason: 'changed' | 'deleted' | 'exists' | 'refused';
  message: string;
  /** When the waiting change was made here, and when the server's version was written. */
  mineMadeAt?: string;
  theirsUpdatedAt?: string;
}

/** One side of a conflict, opened for the user to compare before choosing (null: deleted, or not openable here). */
export interface ConflictSide {
  value: string | null;
  format: ValueFormat | null;
  at: string | null;
}

export type ConflictChoice = 'mine' | 'theirs' | 'both';

export type ValueFormat = 'hv1' | 'hoody-enc1' | 'plain' | 'foreign' | 'unreadable';

export interface VaultItem {
  key: string;
  realmId: string;
  kind: 'secret' | 'file';
  /** hv1: sealed by this app; hoody-enc1: Hoody SDK's `_enc` format; plain: not encrypted; foreign: not yet looked at. */
  format: ValueFormat;
  notes: string;
  filename?: string;
  contentType?: string;
  /** Size of the plaintext when known, else of what is stored. */
  size: number;
  storedBytes: number;
  createdAt: string;
  updatedAt: string;
  /** Made offline and not yet confirmed by the server. */
  pending?: 'save' | 'delete';
  /** unreadable: why the value cannot open (found by its size, or when it was first opened). */
  problem?: string;
}

export interface VaultStatsView {
  keys: number;
  scopeBytes: number;
  accountUsedBytes: number;
  accountLimitBytes: number;
  usedPercentage: number;
  remainingBytes: number;
}

export interface VaultListing {
  realmId: string;
  entries: VaultItem[];
  stats: VaultStatsView;
  /** Set when the server could not be reached and this is this computer's copy. */
  offline?: { syncedAt: string };
  /** This computer's copy of the scope: when it was last synced, or that it was damaged (and is being repaired). */
  copy: { state: 'ok' | 'missing' | 'damaged'; syncedAt?: string };
  /** This listing's version in the core's session: `vault.listChanges` sends only what changed since it. */
  version?: string;
}

/**
 * A listing for a window that may hold one already (`vault.listChanges`): the whole listing
 * (`entries`), or, when the window's version is known, only the entries added or changed since it
 * (`changes.upserted`, whole) and the keys gone (`changes.removed`). Either way with the current
 * figures, state and version.
 */
export type VaultListingChanges = Omit<VaultListing, 'entries' | 'version'> & { version: string } & (
    | { entries: VaultItem[]; changes?: undefined }
    | { entries?: undefined; changes: { since: string; upserted: VaultItem[]; removed: string[] } }
  );

export const scopeSchema = z.union([z.literal(''), realmIdSchema], { error: RULES.objectId });

export const entryKeySchema = z
  .string()
  .min(1, { error: RULES.keyName })
  .max(KEY_NAME_MAX, { error: RULES.keyName })
  .regex(KEY_NAME_PATTERN, { error: RULES.keyName })
  .refine((key) => !key.startsWith(RESERVED_PREFIX), { error: RESERVED_RULE });

export const passphraseSchema = z
  .string()
  .min(PASSPHRASE_MIN, { error: PASSPHRASE_RULE })
  .max(PASSPHRASE_MAX, { error: PASSPHRASE_RULE })
  .refine((p) => new Set(p).size > 2, { error: 'must not repeat the same one or two characters' });

export const notesSchema = z.string().max(NOTES_MAX, { error: NOTES_RULE });

export const vaultInputs = {
  /** The strength floor (common/passphrase-strength.ts) is checked in main's handler: it loads zxcvbn only when needed. */
  setup: z.strictObject({ passphrase: passphraseSchema }),
  unlock: z.union([z.strictObject({ passphrase: z.string().min(1).max(PASSPHRASE_MAX) }), z.strictObject({ recoveryKey: z.string().min(1).max(200) })], {
    error: 'needs the passphrase or the recovery key',
  }),
  /** The current passphrase is asked again: a window left unlocked must not be enough to change it. */
  changePassphrase: z.strictObject({
    currentPassphrase: z.string({ error: 'must be your current vault passphrase' }).min(1, { error: 'must be your current vault passphrase' }).max(PASSPHRASE_MAX),
    newPassphrase: passphraseSchema,
  }),
  list: z.strictObject({ realmId: scopeSchema }),
  /** `since`: the version of the listing the window holds (from `vault.list` or this). */
  listChanges: z.strictObject({ realmId: scopeSchema, since: z.string().max(200, { error: 'must be a listing version the app gave' }).optional() }),
  entry: z.strictObject({ realmId: scopeSchema, key: z.string().min(1).max(KEY_NAME_MAX) }),
  reveal: z.strictObject({ realmId: scopeSchema, key: z.string().min(1).max(KEY_NAME_MAX), password: z.string().max(PASSPHRASE_MAX).optional() }),
  save: z.strictObject({
    realmId: scopeSchema,
    key: entryKeySchema,
    /** Omitted when only the notes change. */
    value: z.string().optional(),
    notes: notesSchema,
    mode: z.enum(['create', 'update']),
  }),
  clear: z.strictObject({ realmId: scopeSchema, confirmation: z.string().max(100) }),
  storeSigningKey: z.strictObject({ realmId: scopeSchema, key: entryKeySchema }),
  resolveConflict: z.strictObject({ opId: z.string().uuid(), choice: z.enum(['mine', 'theirs', 'both']) }),
  revealConflict: z.strictObject({ opId: z.string().uuid(), side: z.enum(['mine', 'theirs']) }),
  /** Without the vault key (the command line, locked): names, kinds and sizes; `stats` adds the scope's figures. */
  listLocked: z.strictObject({ realmId: scopeSchema, stats: z.boolean().optional() }),
  /** Command-line vault sessions (main/core/vault/session-store.ts). */
  openSession: z.strictObject({
    minutes: z.number({ error: SESSION_MINUTES_RULE }).int({ error: SESSION_MINUTES_RULE }).min(1, { error: SESSION_MINUTES_RULE }).max(SESSION_MINUTES_MAX, { error: SESSION_MINUTES_RULE }).optional(),
  }),
  unlockWithSession: z.strictObject({ session: z.string().trim().min(1, { error: SESSION_RULE }).max(200, { error: SESSION_RULE }) }),
  /** dismiss: a notice read; ours: put this computer's keyring in the scope; theirs: switch this computer to the server's vault. */
  resolveKeyring: z.strictObject({ realmId: scopeSchema, choice: z.enum(['dismiss', 'ours', 'theirs']) }),
  restoreKeyring: z.strictObject({ recoveryKey: z.string().min(1).max(200), passphrase: passphraseSchema }),
} as const;

/** What the user types to confirm deleting everything in a scope: its name. */
export const scopeName = (realmId: string): string => realmId || GLOBAL_SCOPE_NAME;
export { METADATA_MAX_BYTES };
