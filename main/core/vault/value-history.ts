import { jsonByteLength, METADATA_MAX_BYTES } from '../../../common/rules.js';
import { HISTORY_MAX } from '../../../common/value-history.js';
import { CoreError } from '../core-error.js';
import { utf8 } from '../crypto/bytes.js';
import { checkMetadata, isEntryMetadata, openValueText, sealMetadata, valueFormat, type EntryMetadata, type SealedHistoryEntry, type SealedMeta } from '../crypto/envelope.js';
import { isFileValue } from '../crypto/file-stream.js';
import type { VaultKeys } from '../crypto/vault-keys.js';
import { sameJson } from '../util/same-json.js';

// A secret's earlier values ride inside its sealed metadata (docs/vault-format.md, "Value history"):
// nothing new on the server, sealed under the same key and bound to the same realm and key name.
// A save that changes the value moves the value it replaces, with its date, to the front; the
// oldest go first beyond HISTORY_MAX, or when the metadata would pass the API's 256 KB limit.

/** An entry as a save builds on it: its value when this app can read it, and what its metadata seals. */
export interface PriorEntry {
  /** The value as text (sealed by this app, or plain text another tool wrote); undefined when it cannot be read here. */
  value: string | undefined;
  /** When it was stored: the server's `updated_at`, or when a change waiting offline was made. */
  at: string | undefined;
  /** The sealed descriptive fields (notes, file name, …), without kind, size and history. */
  described: SealedMeta;
  history: SealedHistoryEntry[];
  /** False when metadata that says it is this app's does not open: nothing of it can be carried on. */
  opened: boolean;
  /**
   * The sealed revision of a value this app sealed, opened under this realm and key (0: sealed before
   * revisions existed); undefined when it is not such a value or does not open. A save takes its new
   * revision above it without opening the value again.
   */
  revision?: number | undefined;
}

/** Only well-formed items are carried on: a value and its date, both text. */
function wellFormed(history: unknown): SealedHistoryEntry[] {
  if (!Array.isArray(history)) return [];
  return history.filter((h): h is SealedHistoryEntry => typeof h === 'object' && h !== null && typeof (h as SealedHistoryEntry).value === 'string' && typeof (h as SealedHistoryEntry).at === 'string');
}

/**
 * Opens what a stored entry holds, for a save to build on (never throws for a value it cannot read).
 * The value is opened here once: its text and its revision come from the same open.
 */
export async function readPrior(keys: VaultKeys, realmId: string, key: string, stored: { value: string; metadata: unknown; at?: string | undefined }): Promise<PriorEntry> {
  let described: SealedMeta = {};
  let history: SealedHistoryEntry[] = [];
  let opened = true;
  if (isEntryMetadata(stored.metadata)) {
    const checked = await checkMetadata(keys, realmId, key, stored.metadata);
    if (checked) {
      const { history: sealedHistory, ...rest } = checked.sealed;
      described = rest;
      history = wellFormed(sealedHistory);
    } else {
      opened = false;
    }
  }
  const format = valueFormat(stored.value);
  let value: string | undefined;
  let revision: number | undefined;
  // A file's value (tens of megabytes) is never history, and carries no revision: it is not opened.
  // Plain text under metadata that says "sealed" was swapped in by someone else: never kept as history.
  if (format === 'hv1' && !isFileValue(stored.value)) {
    const sealed = await openValueText(keys, realmId, key, stored.value);
    value = sealed?.value;
    revision = sealed?.revision;
  } else if (format === 'plain' && !isEntryMetadata(stored.metadata)) {
    value = stored.value;
  }
  return { value, at: stored.at, described, history, opened, revision };
}

/** An entry's value and metadata as a caller read them, with what readPrior opened of them under this realm and key. */
export interface OpenedEntry {
  realmId: string;
  key: string;
  value: string;
  metadata: unknown;
  prior: PriorEntry;
}

/**
 * What a save builds on: `opened`'s prior when it was opened from this very value and metadata under
 * this realm and key (a restore read it just before), so the value is not opened twice; else opened
 * here. The date is always the one `stored` gives (a waiting change's is when it was made).
 */
export async function priorOf(keys: VaultKeys, realmId: string, key: string, stored: { value: string; metadata: unknown; at?: string | undefined }, opened?: OpenedEntry): Promise<PriorEntry> {
  const same = opened !== undefined && opened.realmId === realmId && opened.key === key && opened.value === stored.value && sameJson(opened.metadata, stored.metadata);
  return same ? { ...opened.prior, at: stored.at } : readPrior(keys, realmId, key, stored);
}

/**
 * The history a new value is saved with: `carried` (a rename's) or the entry's own, with the value
 * being replaced in front when it changes. A value saved again unchanged adds nothing.
 */
export function historyAfter(prior: PriorEntry | undefined, carried: SealedHistoryEntry[] | undefined, value: string): SealedHistoryEntry[] {
  const history = carried ?? prior?.history ?? [];
  if (!prior || prior.value === undefined || prior.at === undefined || prior.value === value) return history.slice(0, HISTORY_MAX);
  return [{ value: prior.value, at: prior.at }, ...history].slice(0, HISTORY_MAX);
}

/**
 * Seals a secret's metadata with as much of its history as the API takes: the oldest earlier values
 * are dropped until the metadata's JSON is within METADATA_MAX_BYTES. Refused only when the notes
 * alone are too long.
 */
export async function sealSecretMetadata(keys: VaultKeys, realmId: string, key: string, value: string, described: SealedMeta, history: SealedHistoryEntry[]): Promise<EntryMetadata> {
  const size = utf8(value).length;
  let kept = history.slice(0, HISTORY_MAX);
  for (;;) {
    const metadata = await sealMetadata(keys, realmId, key, 'secret', size, kept.length ? { ...described, history: kept } : described);
    const bytes = jsonByteLength(metadata);
    if (bytes <= METADATA_MAX_BYTES) return metadata;
    if (kept.length === 0) {
      throw new CoreError('INVALID_INPUT', 'The notes are too long to store.', { fields: { notes: `are too long once sealed (${Math.ceil(bytes / 1024)} KB of the ${METADATA_MAX_BYTES / 1024} KB allowed)` } });
    }
    kept = kept.slice(0, -1);
  }
}

/**
 * A waiting change sent over a newer version on the server ("keep mine" in a conflict): the value
 * that version holds joins the change's history first, so choosing mine loses nothing either.
 */
export async function keepReplaced(keys: VaultKeys, realmId: string, key: string, change: { value: string; metadata: EntryMetadata }, replaced: { value: string; metadata: unknown; updated_at: string }): Promise<EntryMetadata> {
  const mine = await readPrior(keys, realmId, key, { value: change.value, metadata: change.metadata });
  if (!mine.opened || mine.value === undefined) return change.metadata;
  const theirs = await readPrior(keys, realmId, key, { value: replaced.value, metadata: replaced.metadata, at: replaced.updated_at });
  return sealSecretMetadata(keys, realmId, key, mine.value, mine.described, historyAfter(theirs, mine.history, mine.value));
}
