import { join } from 'node:path';
import type { VaultEntry } from '../../../common/hoody-types.js';
import { scopeName } from '../../../common/vault.js';
import type { LocalStateGuard } from './local-state-guard.js';
import { sameJson } from '../util/same-json.js';
import { readSealedJson, writeSealedJson, type SealedRead } from '../storage/sealed-file.js';

// This computer's copy of one scope, kept after each sync so the vault can be read offline: the
// entry list as the server gave it and every value as stored (values stay in their own sealed
// envelopes; the copy as a whole is sealed again, which also hides names and notes). Files' values
// are not in it: each is a sealed file of its own (copy-file-store.ts), which the copy names by key,
// version and length; the copy itself (the scope's index) stays small enough to keep in memory.

/** A file's stored value kept beside the index: which version of the key, and its exact length. */
export interface CopiedFile {
  /** The entry's `updated_at` the value belongs to (bound into the sealed file and its name). */
  updated_at: string;
  /** Characters of the stored value (ASCII). */
  length: number;
  /** The file's plaintext size, read from the value's length when it was stored. */
  size: number;
}

export interface ScopeCopy {
  realmId: string;
  syncedAt: string;
  entries: VaultEntry[];
  values: Record<string, string>;
  /** Files' values, kept each in its own sealed file (since format 1.2; absent before: files were in `values`). */
  files?: Record<string, CopiedFile>;
  /**
   * The highest revision seen, per key, of a value this app sealed (0: sealed before revisions
   * existed). Never lowered, and kept after a key is deleted: a server that serves an older value,
   * or plain text where a sealed value was, is noticed. Absent in copies written before.
   */
  revisions?: Record<string, number>;
  /** Raised on every write; the keychain keeps the highest written (local-state-guard.ts). Absent before. */
  generation?: number;
}

/**
 * What a listing may know of a copied value without reading a file: the value itself, or for a file
 * kept on its own the start every sealed file value has (enough to tell its format).
 */
export function copiedValueHint(copy: ScopeCopy | undefined, key: string): string | undefined {
  return copy?.values[key] ?? (copy?.files?.[key] ? '{"hv":1,"f":' : undefined);
}

/**
 * Whether two copies hold the same thing (their times and generations aside): a sync that changes
 * nothing writes nothing. The entries are compared by key, not by place: a server may list them in
 * any order, and one that shuffles them made every sync rewrite the whole copy (70 ms of sealing at
 * 10,000 entries, after a 70 ms comparison through strings).
 */
export function sameCopy(a: ScopeCopy, b: ScopeCopy): boolean {
  if (a.entries.length !== b.entries.length) return false;
  const before = new Map(a.entries.map((entry) => [entry.key, entry]));
  for (const entry of b.entries) if (!sameJson(before.get(entry.key), entry)) return false;
  return sameJson(a.values, b.values) && sameJson(a.files ?? {}, b.files ?? {}) && sameJson(a.revisions ?? {}, b.revisions ?? {});
}

export class LocalCopyStore {
  constructor(
    private readonly accountDir: string,
    private readonly accountId: string,
    private readonly guard?: LocalStateGuard,
  ) {}

  #path(realmId: string): string {
    return join(this.accountDir, 'copies', `${scopeName(realmId)}.hvs`);
  }

  #ad(realmId: string): string {
    return `hoody-vault/copy/v1\n${this.accountId}\n${realmId}`;
  }

  /** A copy older than the last one written here (put back from elsewhere) is refused like a damaged one, and reported. */
  async read(cacheKey: Uint8Array, realmId: string): Promise<SealedRead<ScopeCopy>> {
    const read = await readSealedJson<ScopeCopy>(this.#path(realmId), cacheKey, this.#ad(realmId));
    if (read.state !== 'ok' || !this.guard) return read;
    if (this.guard.check({ copy: realmId }, read.value.generation ?? 0) === 'older') {
      this.guard.report(`This computer's copy of ${scopeName(realmId)} is older than the last one the app wrote (it was put back from elsewhere); it is not used, and the next sync replaces it.`);
      return { state: 'damaged' };
    }
    return read;
  }

  async write(cacheKey: Uint8Array, copy: ScopeCopy): Promise<void> {
    const generation = Math.max(copy.generation ?? 0, this.guard?.expected({ copy: copy.realmId }) ?? 0) + 1;
    await writeSealedJson(this.#path(copy.realmId), cacheKey, this.#ad(copy.realmId), { ...copy, generation });
    copy.generation = generation;
    await this.guard?.advance({ copy: copy.realmId }, generation);
  }

  pathFor(realmId: string): string {
    return this.#path(realmId);
  }
}
