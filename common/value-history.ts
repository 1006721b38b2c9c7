import { z } from 'zod';
import type { OperationName } from './operations.js';
import { KEY_NAME_MAX } from './rules.js';
import { entryKeySchema, scopeSchema, type VaultItem } from './vault.js';

// A secret's earlier values (kept sealed in its metadata, docs/vault-format.md "Value history") and
// renaming a key: the IPC contract of the operations the Edit dialog and the CLI use.

type HistoryOperation = Extract<OperationName, 'vault.history' | 'vault.revealHistoryValue' | 'vault.copyHistoryValue' | 'vault.restoreValue' | 'vault.renameKey'>;

/** How many earlier values a secret keeps; fewer when they would not fit the API's metadata limit. */
export const HISTORY_MAX = 10;

/** One earlier value as the window lists it: never the value itself, which comes on request. */
export interface HistoryItem {
  /** Its place, newest first (0). */
  index: number;
  /** When that value was stored (the entry's `updated_at` then): also how the value is named. */
  at: string;
  /** Its length in UTF-8 bytes. */
  size: number;
}

export interface ValueHistory {
  key: string;
  realmId: string;
  /** Newest first. */
  items: HistoryItem[];
  max: number;
}

export interface RenameResult {
  item: VaultItem;
  /** Offline (or behind other waiting changes): the copy and the deletion wait in the outbox. */
  pending: boolean;
  /** An earlier rename had stored the copy but not deleted the old key: this run only finished it. */
  resumed: boolean;
}

const entryKey = z.string().min(1).max(KEY_NAME_MAX);
const at = z.string({ error: 'must be the date of one of the earlier values' }).min(1).max(64);
/** Its place in the history (0: the newest): two values saved within the same instant stay apart. */
const index = z.number({ error: `must be a whole number from 0 to ${HISTORY_MAX - 1}` }).int({ error: `must be a whole number from 0 to ${HISTORY_MAX - 1}` }).min(0, { error: `must be a whole number from 0 to ${HISTORY_MAX - 1}` }).max(HISTORY_MAX - 1, { error: `must be a whole number from 0 to ${HISTORY_MAX - 1}` });
const earlierValue = z.strictObject({ realmId: scopeSchema, key: entryKey, index, at });

export const historyInputSchemas = {
  'vault.history': z.strictObject({ realmId: scopeSchema, key: entryKey }),
  /** An earlier value is named by its place and its date: if a save moved it meanwhile, the date no longer matches. */
  'vault.revealHistoryValue': earlierValue,
  'vault.copyHistoryValue': earlierValue,
  'vault.restoreValue': earlierValue,
  /** The new name follows the API's key rules (and is not one of the app's reserved names). */
  'vault.renameKey': z.strictObject({ realmId: scopeSchema, key: entryKey, newKey: entryKeySchema }),
} satisfies Record<HistoryOperation, z.ZodType>;

export interface HistoryResults {
  'vault.history': ValueHistory;
  'vault.revealHistoryValue': { value: string; at: string };
  'vault.copyHistoryValue': { by: 'main' | 'renderer'; value?: string; clearAfterSeconds: number };
  'vault.restoreValue': VaultItem;
  'vault.renameKey': RenameResult;
}
