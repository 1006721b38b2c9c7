import { hash } from 'node:crypto';
import { join } from 'node:path';
import type { VaultEntry } from '../../../common/hoody-types.js';
import { scopeName, type VaultItem } from '../../../common/vault.js';
import { isEntryMetadata } from '../crypto/envelope.js';
import { readSealedJson, writeSealedJson } from '../storage/sealed-file.js';

// The entries of a scope as this computer last opened them, sealed under the vault's cache subkey
// like the scope's local copy, so that the first listing after an unlock does not open every
// entry's sealed metadata again (at 10,000 entries a quarter of a second or more: most of what stood
// between the key derivation and the list). Each is kept with a digest of what the server said of
// it (`entryDigest`): an entry the server now describes otherwise in any way is opened again. The
// file is a cache: one that is missing, damaged or sealed by another vault is simply rewritten.

/**
 * What the file keeps of the server's listing entry an item was opened from: the SHA-256 of its
 * stamp, the text `updated_at + "\n" + size_bytes + "\n"` then, for the app's own metadata, `"hv\n" +
 * kind + "\n" + size + "\n" + sealed` (the four fields an opened item is made of), for any other
 * `"json\n" + JSON.stringify(metadata)`. The first listing after an unlock takes 10,000 of them:
 * built from the fields, they cost a third of the whole metadata serialised, and one-shot `hash`
 * is 3-4× faster than a Hash object each.
 */
export function entryDigest(entry: VaultEntry): string {
  const { metadata } = entry;
  const described = isEntryMetadata(metadata) ? `hv\n${metadata.kind}\n${metadata.size}\n${metadata.sealed}` : `json\n${JSON.stringify(metadata)}`;
  return hash('sha256', `${entry.updated_at}\n${entry.size_bytes}\n${described}`, 'base64');
}

export interface OpenedItem {
  item: VaultItem;
  /** Whether its stored size fits its metadata (entry-verdicts.ts), checked when it was opened. */
  fits: boolean;
}

/**
 * One opened entry as the file keeps it: its item's fields in a fixed order (the realm is the file's
 * own), then whether its size fits, its digest, and an object with the item's file name and content
 * type when it has them. Rows, not objects: at 10,000 entries the file is a third smaller and opens
 * faster, and it is read between the key derivation and the first list.
 */
type Row = [key: string, kind: VaultItem['kind'], format: VaultItem['format'], notes: string, size: number, storedBytes: number, createdAt: string, updatedAt: string, fits: boolean, digest: string, file?: { filename?: string; contentType?: string }];

/** 2 since entries are rows and the stamp is built from the metadata's fields (1: objects, the whole metadata serialised; ignored, rewritten). */
interface OpenedFile {
  v: 2;
  items: Row[];
}

const KINDS: ReadonlySet<unknown> = new Set(['secret', 'file']);
const FORMATS: ReadonlySet<unknown> = new Set(['hv1', 'hoody-enc1', 'plain', 'foreign', 'unreadable']);

/** The row's entry, or undefined for a row not of this shape (the file is only a cache: such a row is opened again). */
function fromRow(row: unknown, realmId: string): (OpenedItem & { digest: string }) | undefined {
  if (!Array.isArray(row) || row.length < 10) return undefined;
  const [key, kind, format, notes, size, storedBytes, createdAt, updatedAt, fits, digest, file] = row as Row;
  if (typeof key !== 'string' || !KINDS.has(kind) || !FORMATS.has(format) || typeof notes !== 'string' || typeof size !== 'number' || typeof storedBytes !== 'number') return undefined;
  if (typeof createdAt !== 'string' || typeof updatedAt !== 'string' || typeof fits !== 'boolean' || typeof digest !== 'string') return undefined;
  const item: VaultItem = { key, realmId, kind, format, notes, size, storedBytes, createdAt, updatedAt };
  if (typeof file?.filename === 'string') item.filename = file.filename;
  if (typeof file?.contentType === 'string') item.contentType = file.contentType;
  return { item, fits, digest };
}

function toRow({ item, fits, digest }: OpenedItem & { digest: string }): Row {
  const row: Row = [item.key, item.kind, item.format, item.notes, item.size, item.storedBytes, item.createdAt, item.updatedAt, fits, digest];
  if (item.filename !== undefined || item.contentType !== undefined) row.push({ ...(item.filename !== undefined ? { filename: item.filename } : {}), ...(item.contentType !== undefined ? { contentType: item.contentType } : {}) });
  return row;
}

export class OpenedItemsStore {
  constructor(
    private readonly accountDir: string,
    private readonly accountId: string,
  ) {}

  #path(realmId: string): string {
    return join(this.accountDir, 'opened', `${scopeName(realmId)}.hvi`);
  }

  #ad(realmId: string): string {
    return `hoody-vault/opened/v1\n${this.accountId}\n${realmId}`;
  }

  /** The entries kept for the scope, by key, each with the digest of its stamp; none when there is no readable file. */
  async read(cacheKey: Uint8Array, realmId: string): Promise<Map<string, OpenedItem & { digest: string }>> {
    const read = await readSealedJson<OpenedFile>(this.#path(realmId), cacheKey, this.#ad(realmId));
    const kept = new Map<string, OpenedItem & { digest: string }>();
    if (read.state !== 'ok' || read.value.v !== 2 || !Array.isArray(read.value.items)) return kept;
    for (const row of read.value.items) {
      const entry = fromRow(row, realmId);
      if (entry) kept.set(entry.item.key, entry);
    }
    return kept;
  }

  async write(cacheKey: Uint8Array, realmId: string, items: Array<OpenedItem & { digest: string }>): Promise<void> {
    const file: OpenedFile = { v: 2, items: items.map(toRow) };
    await writeSealedJson(this.#path(realmId), cacheKey, this.#ad(realmId), file);
  }
}
