import { stat } from 'node:fs/promises';
import type { VaultEntry } from '../../../common/hoody-types.js';
import { isStatus } from '../api/errors.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { isFileValue } from '../crypto/file-stream.js';
import { plainSizeOf, plainSizeOfShape } from '../files/verified-download.js';
import { mapLimit } from '../util/concurrency.js';
import { BULK_CONCURRENCY } from './bulk-fetch.js';
import { CopyFileError, type CopyFileStore } from './copy-file-store.js';
import { CoreError } from '../core-error.js';
import type { CopiedFile, ScopeCopy } from './local-copy-store.js';

/**
 * A folder listing taken this soon after the folder last changed is not reused: a change made just
 * after it, in the same tick of the file system's clock (2 s on FAT), would leave the folder's time as it was.
 */
const SETTLED_LISTING_MS = 2_000;

/** Values this big are read from the API as they arrive (files' are tens of megabytes; secrets' a few KB). */
const STREAM_FROM_BYTES = 256 * 1024;

// The files of a scope's copy, as the scope mirror sees them: which values go into a sealed file of
// their own (every well-formed sealed file value), fetching them straight into it, finding them
// again, and removing those the index no longer names. The index (ScopeCopy) says which file holds
// which key's value; everything here keeps the two in step.

/** A file's value in this computer's copy: read from its own sealed file, a chunk at a time. */
export interface CopiedFileValue {
  /** Characters of the stored value. */
  length: number;
  /** The file's plaintext size (from the value's length when it was stored, and checked again as it is read). */
  size: number;
  pieces(): AsyncIterable<string>;
  text(): Promise<string>;
}

export interface CopiedValue {
  value: string | CopiedFileValue;
  metadata: unknown;
}

/** The plaintext size of a value kept in a file of its own; undefined for every other value (kept in the index). */
export function storedFileSize(value: string): number | undefined {
  return isFileValue(value) ? plainSizeOf(value) : undefined;
}

/** A copied file that does not open (or is gone) is reported as the app reports any value that does not open. */
async function* refusedAsUnreadable(pieces: AsyncIterable<string>): AsyncGenerator<string> {
  try {
    yield* pieces;
  } catch (error) {
    if (!(error instanceof CopyFileError)) throw error;
    throw error.message === 'missing'
      ? new CoreError('NOT_FOUND', "This file is no longer in this computer's copy (it was removed outside the app); it is fetched again at the next sync.")
      : new CoreError('UNREADABLE', "This computer's copy of this file does not open with your vault key: it was changed or replaced outside the app. It was removed, and is fetched again at the next sync.");
  }
}

export class CopyFiles {
  /** File names already worked out (a keyed hash each), by scope, key and version: a no-change sync hashes nothing. */
  readonly #names = new Map<string, string>();

  constructor(
    private readonly store: CopyFileStore,
    private readonly isOpen: () => boolean,
  ) {}

  /** Each scope's folder as last listed, with the folder's time then and when it was listed. */
  readonly #listed = new Map<string, { stamp: string; changedAt: number; listedAt: number; names: ReadonlySet<string> }>();

  /**
   * The names of the scope's files on disk. Listing a folder of a thousand files takes milliseconds
   * (most of a no-change sync), so the listing is reused while the folder's time is the one it had
   * then: a file added, removed or renamed there (by the app or not) changes it, and the next sync
   * lists the folder again. A copy: the caller adds the names it writes.
   */
  async names(realmId: string): Promise<Set<string>> {
    const folder = await stat(this.store.dirFor(realmId)).catch(() => undefined);
    if (!folder) return new Set();
    const stamp = `${folder.ino}:${folder.mtimeMs}`;
    const known = this.#listed.get(realmId);
    if (known && known.stamp === stamp && known.listedAt - known.changedAt > SETTLED_LISTING_MS) return new Set(known.names);
    const listedAt = Date.now();
    const names = await this.store.names(realmId);
    this.#listed.set(realmId, { stamp, changedAt: folder.mtimeMs, listedAt, names: new Set(names) });
    return names;
  }

  async nameOf(realmId: string, key: string, updatedAt: string): Promise<string> {
    return (await this.namer(realmId))(key, updatedAt);
  }

  /**
   * Names the scope's files without an await each: a sync or a prune that goes through every kept
   * file awaits once (libsodium loaded), then names each from the cache, or hashes it there and then.
   */
  async namer(realmId: string): Promise<(key: string, updatedAt: string) => string> {
    const hash = await this.store.namer();
    return (key, updatedAt) => {
      const id = `${realmId}\n${key}\n${updatedAt}`;
      let name = this.#names.get(id);
      if (name === undefined) this.#names.set(id, (name = hash(realmId, key, updatedAt)));
      return name;
    };
  }

  /** A copy written before format 1.2 holds files' values inline. */
  holdsInline(copy: ScopeCopy): boolean {
    return copy.entries.some((entry) => {
      const value = copy.values[entry.key];
      return value !== undefined && storedFileSize(value) !== undefined;
    });
  }

  /** The copy with each inline file value moved into its own sealed file (the caller writes the index). */
  async migrate(copy: ScopeCopy): Promise<ScopeCopy> {
    const values: Record<string, string> = {};
    const files: Record<string, CopiedFile> = { ...copy.files };
    const onDisk = await this.names(copy.realmId);
    const updatedAt = new Map(copy.entries.map((e) => [e.key, e.updated_at]));
    for (const [key, value] of Object.entries(copy.values)) {
      const at = updatedAt.get(key);
      if (at === undefined) values[key] = value;
      else await this.keep(copy.realmId, key, at, value, values, files, onDisk);
    }
    return { ...copy, values, files };
  }

  /**
   * Keeps one value of the copy: a file's in its own sealed file (written unless `onDisk` says it is
   * there already), any other in the index's `values`.
   */
  async keep(realmId: string, key: string, updatedAt: string, value: string, values: Record<string, string>, files: Record<string, CopiedFile>, onDisk?: Set<string>): Promise<void> {
    const size = storedFileSize(value);
    if (size === undefined) {
      values[key] = value;
      return;
    }
    const name = await this.nameOf(realmId, key, updatedAt);
    if (!onDisk?.has(name)) {
      // The files' keys are wiped on lock: nothing is sealed with them after it.
      if (!this.isOpen()) throw new Error('the vault was locked');
      await this.store.write(realmId, key, updatedAt, value);
      onDisk?.add(name);
    }
    files[key] = { updated_at: updatedAt, length: value.length, size };
  }

  /**
   * Fetches the values of `entries` (overlapping requests; the API has no batch read) and keeps each
   * as it arrives. A big value (a file's) is read from the answer as it comes and sealed to disk on
   * the way, so it is never held whole: only the requests in flight, a chunk each, are in memory.
   * Gone meanwhile (404): left out.
   */
  async fetchInto(client: HoodyClient, realmId: string, entries: readonly VaultEntry[], values: Record<string, string>, files: Record<string, CopiedFile>, onDisk: Set<string>): Promise<void> {
    await mapLimit(entries, BULK_CONCURRENCY, async (entry) => {
      try {
        if (entry.size_bytes >= STREAM_FROM_BYTES) {
          const kept = await client.getKeyValue(entry.key, realmId || undefined, (pieces) => this.#keepStreamed(realmId, entry, pieces, files, onDisk));
          if (kept) return;
        }
        // Small values, and a big one that is not a well-formed file's: read whole.
        const { value } = await client.getKey(entry.key, realmId || undefined);
        await this.keep(realmId, entry.key, entry.updated_at, value, values, files, onDisk);
      } catch (error) {
        if (!isStatus(error, 404)) throw error;
      }
    });
  }

  /**
   * A value as the API sends it, in pieces: a file's is sealed to disk as it comes (true); any other
   * value (false) is left for a plain read. Its size is worked out from its length, as plainSizeOf
   * would from the whole string, and the file is dropped if the value is malformed.
   */
  async #keepStreamed(realmId: string, entry: VaultEntry, pieces: AsyncIterable<string>, files: Record<string, CopiedFile>, onDisk: Set<string>): Promise<boolean> {
    const iterator = pieces[Symbol.asyncIterator]();
    let head = '';
    while (!head.includes('"s":"') && head.length < 40) {
      const next = await iterator.next();
      if (next.done) break;
      head += next.value;
    }
    const shape = /^\{"hv":1,"f":(\d+),"s":"/.exec(head);
    if (!shape) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        // drained: read again whole, below
      }
      return false;
    }
    if (!this.isOpen()) throw new Error('the vault was locked');
    let length = 0;
    let tail = '';
    async function* counted(): AsyncGenerator<string> {
      for (let next: IteratorResult<string> = { done: false, value: head }; !next.done; next = await iterator.next()) {
        length += next.value.length;
        tail = (tail + next.value.slice(-8)).slice(-8);
        yield next.value;
      }
    }
    const { name } = await this.store.write(realmId, entry.key, entry.updated_at, counted());
    const padding = /(={0,2})"\}$/.exec(tail)?.[1]?.length ?? 0;
    const size = tail.endsWith('"}') ? plainSizeOfShape(Number(shape[1]), length - shape[0].length - 2, padding) : undefined;
    if (size === undefined) {
      await this.store.remove(realmId, name);
      return false;
    }
    onDisk.add(name);
    files[entry.key] = { updated_at: entry.updated_at, length, size };
    return true;
  }

  /** A value of the copy, with its entry's metadata: a file's read from its own sealed file when asked. */
  valueOf(copy: ScopeCopy, key: string): CopiedValue | undefined {
    const metadata = copy.entries.find((e) => e.key === key)?.metadata;
    const inline = copy.values[key];
    if (inline !== undefined) return { value: inline, metadata };
    const file = copy.files?.[key];
    if (!file) return undefined;
    const { realmId } = copy;
    return {
      metadata,
      value: {
        length: file.length,
        size: file.size,
        pieces: () => refusedAsUnreadable(this.store.read(realmId, key, file.updated_at, file.length)),
        text: async () => {
          const parts: string[] = [];
          for await (const part of refusedAsUnreadable(this.store.read(realmId, key, file.updated_at, file.length))) parts.push(part);
          return parts.join('');
        },
      },
    };
  }

  /**
   * Removes the scope's files the index does not name. With `onDisk` (the names a sync saw and
   * wrote), nothing is listed again when there is nothing to remove.
   */
  async prune(copy: ScopeCopy, onDisk?: ReadonlySet<string>): Promise<void> {
    const nameOf = await this.namer(copy.realmId);
    const keep = new Set(Object.entries(copy.files ?? {}).map(([key, file]) => nameOf(key, file.updated_at)));
    if (onDisk && [...onDisk].every((name) => keep.has(name))) return;
    await this.store.prune(copy.realmId, keep);
  }
}
