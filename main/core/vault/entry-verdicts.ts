import type { VaultEntry } from '../../../common/hoody-types.js';
import { base64Length, fileValueLength } from '../../../common/vault-files.js';
import type { VaultItem } from '../../../common/vault.js';
import { isEntryMetadata, openValue, valueFormat } from '../crypto/envelope.js';
import { isFileValue } from '../crypto/file-stream.js';
import type { VaultKeys } from '../crypto/vault-keys.js';
import type { OpenVault, VaultPart } from './vault-part.js';

// Labels that tell the truth. A listing has each entry's metadata but not its value, so it first
// checks what needs no request: metadata missing, or a stored size that cannot be the value the
// sealed metadata describes. What that cannot settle is settled the first time the value itself is
// opened (a reveal, a classification fetch, this computer's copy) and the verdict is kept for that
// version of the entry, so a value that cannot open is badged "Cannot open" in the list, not only
// when revealed.

export const PROBLEMS = {
  size: 'Its stored size does not match its sealed description: the value was replaced or changed outside this app.',
  noMetadata: 'It is sealed, but its description (metadata) is missing: it was copied here by another tool, and it does not open under this name.',
  opens: 'It does not open with your vault key: it was changed outside this app, moved from another name, or sealed by another vault.',
  shape: 'Its description says this app sealed it, but the value is not sealed the way that description says.',
} as const;

/** The copy of the keyring's recovery wrapping a secret's value carries: `,"kr":{…}` (16-, 24- and 48-byte fields). */
const KEYRING_HINT_BYTES = `,"kr":{"id":"${'A'.repeat(24)}","n":"${'A'.repeat(32)}","w":"${'A'.repeat(64)}"}`.length;

/** The revision field's lengths a secret's value may carry: none (before revisions), or `,"r":` and 1 to 16 digits. */
const REVISION_BYTES = { min: ',"r":'.length + 1, max: ',"r":'.length + 16 };

/** What a value sealed by this app may take on the server, from the plaintext size in its metadata. */
export function expectedValueBytes(kind: 'secret' | 'file', size: number): number[] {
  if (kind === 'file') return [fileValueLength(size)];
  // `{"hv":1,"n":"<32>","c":"<b64(size + 16)>"}`, then a revision `,"r":<1 to 16 digits>` (absent
  // before revisions), then, or not, the keyring hint before the `}`.
  const bare = 54 + base64Length(size + 16);
  const revisions = [0, ...Array.from({ length: REVISION_BYTES.max - REVISION_BYTES.min + 1 }, (_, i) => REVISION_BYTES.min + i)];
  return revisions.flatMap((r) => [bare + r, bare + r + KEYRING_HINT_BYTES]);
}

/** Characters a server may add when it re-serialises the metadata (a space after each `:` and `,`). */
function serialisationSlack(json: string): number {
  let slack = 0;
  let inString = false;
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    if (c === 92 /* backslash */) i += 1;
    else if (c === 34 /* " */) inString = !inString;
    else if (!inString && (c === 58 /* : */ || c === 44 /* , */)) slack += 1;
  }
  return slack;
}

/** Whether some value length in `expectedValueBytes` falls in [lo, hi]: the same answer, without making the list (run for every entry of every listing). */
function someExpectedIn(kind: 'secret' | 'file', size: number, lo: number, hi: number): boolean {
  if (kind === 'file') {
    const bytes = fileValueLength(size);
    return bytes >= lo && bytes <= hi;
  }
  const bare = 54 + base64Length(size + 16);
  for (const base of [bare, bare + KEYRING_HINT_BYTES]) {
    if (base >= lo && base <= hi) return true;
    // The revision's lengths are one contiguous run: do [base + min, base + max] and [lo, hi] meet?
    if (base + REVISION_BYTES.min <= hi && base + REVISION_BYTES.max >= lo) return true;
  }
  return false;
}

/**
 * Whether an entry's stored size (value plus metadata, as the API counts it) fits the value its
 * metadata describes. Other programs' and older files' chunk sizes differ, so only secrets and the
 * app's own file chunking are held to it.
 */
export function fitsStoredSize(entry: VaultEntry): boolean {
  if (!isEntryMetadata(entry.metadata)) return true;
  const meta = JSON.stringify(entry.metadata);
  const metaBytes = Buffer.byteLength(meta, 'utf8');
  const slack = serialisationSlack(meta);
  // rest = size_bytes - valueBytes must lie in [metaBytes, metaBytes + slack].
  return someExpectedIn(entry.metadata.kind, entry.metadata.size, entry.size_bytes - metaBytes - slack, entry.size_bytes - metaBytes);
}

/** Opens a value to judge it: undefined when it opens as its metadata says, else the problem. */
export async function judgeValue(keys: VaultKeys, realmId: string, entry: Pick<VaultEntry, 'key' | 'metadata'>, value: string): Promise<string | undefined> {
  if (!isEntryMetadata(entry.metadata)) {
    if (isFileValue(value)) return PROBLEMS.noMetadata;
    return (await openValue(keys, realmId, entry.key, value)) === undefined ? PROBLEMS.noMetadata : undefined;
  }
  if (entry.metadata.kind === 'file') return isFileValue(value) ? undefined : PROBLEMS.shape;
  if (valueFormat(value) !== 'hv1' || isFileValue(value)) return PROBLEMS.shape;
  return (await openValue(keys, realmId, entry.key, value)) === undefined ? PROBLEMS.opens : undefined;
}

interface Verdict {
  updatedAt: string;
  problem: string | undefined;
}

export class EntryVerdicts implements VaultPart {
  #open: OpenVault | undefined;
  /** By scope, then key: a listing looks up 10,000 of them, with no key string built for each. */
  readonly #verdicts = new Map<string, Map<string, Verdict>>();
  /** Verdicts kept or changed so far, so a listing's labels are made again only when some came since. */
  #noted = 0;

  onUnlock(open: OpenVault): void {
    this.#open = open;
    this.#verdicts.clear();
  }

  /** Changes whenever a verdict is kept or changed (in any scope): labels made at the same count still hold. */
  get noted(): number {
    return this.#noted;
  }

  /** Verdicts name which values open: dropped with everything else on lock. */
  clearOnLock(): void {
    this.#open = undefined;
    this.#verdicts.clear();
  }

  /** Keeps what opening this version of an entry showed. */
  note(open: OpenVault, realmId: string, key: string, updatedAt: string, problem: string | undefined): void {
    if (this.#open !== open) return;
    let scope = this.#verdicts.get(realmId);
    if (!scope) {
      scope = new Map();
      this.#verdicts.set(realmId, scope);
    }
    const before = scope.get(key);
    if (before && before.updatedAt === updatedAt && before.problem === problem) return;
    scope.set(key, { updatedAt, problem });
    this.#noted += 1;
  }

  /**
   * Labels a listing: sizes first (no request), then kept verdicts, then, for entries not judged yet,
   * the value as this computer's copy holds it for the same version (`copyValue`). Items are shared
   * between listings (opened-items.ts): one labelled differently is replaced in `items` by a copy.
   */
  async label(
    open: OpenVault,
    realmId: string,
    items: VaultItem[],
    entries: ReadonlyMap<string, VaultEntry>,
    copyValue: (key: string, updatedAt: string) => string | undefined,
    /** The listing checks each version's size once and passes what it found. */
    fits: (key: string, entry: VaultEntry) => boolean = (_key, entry) => fitsStoredSize(entry),
  ): Promise<void> {
    const scope = this.#verdicts.get(realmId);
    // One plain pass over every entry (no await inside it: at 10,000 entries a loop that may await
    // ran several times slower); only entries with a value to judge wait for it, after.
    const toJudge: Array<{ index: number; entry: VaultEntry; value: string }> = [];
    for (let i = 0; i < items.length; i += 1) {
      const item = items[i]!;
      if (item.pending) continue;
      const entry = entries.get(item.key);
      if (!entry) continue;
      if (item.format === 'hv1' && !fits(item.key, entry)) {
        items[i] = { ...item, format: 'unreadable', problem: PROBLEMS.size };
        continue;
      }
      const verdict = scope?.get(item.key);
      if (verdict !== undefined && verdict.updatedAt === item.updatedAt) {
        if (verdict.problem) items[i] = { ...item, format: 'unreadable', problem: verdict.problem };
        else if (item.format === 'foreign') items[i] = { ...item, format: 'hv1' };
        continue;
      }
      const value = item.format === 'hv1' ? copyValue(item.key, item.updatedAt) : undefined;
      if (value !== undefined) toJudge.push({ index: i, entry, value });
    }
    for (const { index, entry, value } of toJudge) {
      const item = items[index]!;
      const problem = await judgeValue(open.keys, realmId, entry, value);
      this.note(open, realmId, item.key, item.updatedAt, problem);
      if (problem) items[index] = { ...item, format: 'unreadable', problem };
    }
  }
}
