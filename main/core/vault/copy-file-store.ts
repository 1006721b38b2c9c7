import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { scopeName } from '../../../common/vault.js';
import { utf8 } from '../crypto/bytes.js';
import { loadSodium, releaseStreamState, scrubStack } from '../crypto/sodium.js';
import { startStreamSeal } from '../crypto/stream-sealer.js';
import { syncDir } from '../storage/atomic-file.js';

// The files of a scope's local copy, each in its own sealed file beside the scope's index
// (docs/vault-format.md, "Files of a copy"): a file's stored value is tens of megabytes, so it is
// written once, a chunk at a time, and read back the same way, never as part of the index. The name
// of each file is a keyed hash of its key and `updated_at`: a new version of the key is a new file,
// an unchanged one is found by name alone (no read, no decryption), and no key name shows on disk.
// Each chunk is bound to the account, the scope, the key and its `updated_at`, so a file put under
// another name, another version or another scope does not open.

const MAGIC = utf8('HVF1');
const HEADER = 24;
const ABYTES = 17;
/** Characters of the stored value per sealed chunk (file values are ASCII: one byte each). */
export const COPY_FILE_CHUNK = 64 * 1024;
/** Chunks written to disk per write call. */
const CHUNKS_PER_WRITE = 16;
/** A temporary file left this long is from a write that died (another process's may still be running). */
const STALE_TEMP_MS = 60 * 60_000;

export interface CopyFileKeys {
  /** Seals the files (secretstream): KDF(Kc, "hvcfile1"). */
  seal: Uint8Array;
  /** Names the files (keyed BLAKE2b): KDF(Kc, "hvcname1"). */
  name: Uint8Array;
}

export async function deriveCopyFileKeys(cacheKey: Uint8Array): Promise<CopyFileKeys> {
  const sodium = await loadSodium();
  const keys = { seal: sodium.crypto_kdf_derive_from_key(32, 1, 'hvcfile1', cacheKey), name: sodium.crypto_kdf_derive_from_key(32, 1, 'hvcname1', cacheKey) };
  scrubStack(sodium);
  return keys;
}

export async function wipeCopyFileKeys(keys: CopyFileKeys): Promise<void> {
  const sodium = await loadSodium();
  sodium.memzero(keys.seal);
  sodium.memzero(keys.name);
  // libsodium's own copies (wasm stack slots left by the derivation and the keyed hashes) go too.
  scrubStack(sodium);
}

export class CopyFileError extends Error {}

export class CopyFileStore {
  constructor(
    private readonly accountDir: string,
    private readonly accountId: string,
    private readonly keys: CopyFileKeys,
  ) {}

  /** `copies/<scope>.files`: the scope's files, beside `copies/<scope>.hvs`. */
  dirFor(realmId: string): string {
    return join(this.accountDir, 'copies', `${scopeName(realmId)}.files`);
  }

  /** `<hex(BLAKE2b-128(key = Kn, realm_id ‖ "\n" ‖ key ‖ "\n" ‖ updated_at))>.hvf` */
  async nameOf(realmId: string, key: string, updatedAt: string): Promise<string> {
    return (await this.namer())(realmId, key, updatedAt);
  }

  /** The same naming, as a plain function once libsodium is loaded: many files are named with one await, not one each. */
  async namer(): Promise<(realmId: string, key: string, updatedAt: string) => string> {
    const sodium = await loadSodium();
    return (realmId, key, updatedAt) => `${sodium.to_hex(sodium.crypto_generichash(16, utf8(`${realmId}\n${key}\n${updatedAt}`), this.keys.name))}.hvf`;
  }

  #ad(realmId: string, key: string, updatedAt: string): Uint8Array {
    return utf8(`hoody-vault/copy-file/v1\n${this.accountId}\n${realmId}\n${key}\n${updatedAt}`);
  }

  /** The names of the files the scope holds now (one folder listing: how a sync knows what it has). */
  async names(realmId: string): Promise<Set<string>> {
    const names = await readdir(this.dirFor(realmId)).catch(() => [] as string[]);
    return new Set(names.filter((name) => name.endsWith('.hvf')));
  }

  /**
   * Writes one stored value (ASCII: a file's value; the caller skips those already there, by name).
   * Sealed a chunk at a time into a temporary file, flushed, then renamed into place: a
   * reader sees the whole file or none.
   */
  async write(realmId: string, key: string, updatedAt: string, value: string | AsyncIterable<string>): Promise<{ name: string; length: number }> {
    const name = await this.nameOf(realmId, key, updatedAt);
    const dir = this.dirFor(realmId);
    const path = join(dir, name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    const sealer = await startStreamSeal(this.keys.seal, this.#ad(realmId, key, updatedAt));
    let length = 0;
    try {
      let batch: Uint8Array[] = [MAGIC, sealer.header];
      let pending = '';
      // One buffer for every chunk's plaintext and one for a batch of sealed chunks, reused: a big
      // file makes no native allocation per chunk, which the allocator would keep afterwards.
      const input = Buffer.allocUnsafe(COPY_FILE_CHUNK);
      const output = Buffer.allocUnsafe(CHUNKS_PER_WRITE * (COPY_FILE_CHUNK + ABYTES));
      let used = 0;
      const seal = (text: string, final: boolean) => {
        const plain = input.subarray(0, input.write(text, 0, 'latin1'));
        const sealed = sealer.push(plain, final, output.subarray(used, used + plain.length + ABYTES));
        used += sealed.length;
        return sealed;
      };
      const flush = async () => {
        if (batch.length) await handle.writev(batch);
        batch = [];
        used = 0;
      };
      for await (const piece of typeof value === 'string' ? [value] : value) {
        length += piece.length;
        pending = pending ? pending + piece : piece;
        while (pending.length > COPY_FILE_CHUNK) {
          batch.push(seal(pending.slice(0, COPY_FILE_CHUNK), false));
          pending = pending.slice(COPY_FILE_CHUNK);
          if (batch.length >= CHUNKS_PER_WRITE) await flush();
        }
      }
      // The last chunk (possibly empty) is tagged FINAL: a file cut short does not open.
      batch.push(seal(pending, true));
      await flush();
      await handle.sync();
      await handle.close();
      await rename(temp, path);
    } catch (error) {
      await handle.close().catch(() => {});
      await rm(temp, { force: true }).catch(() => {});
      throw error;
    } finally {
      await sealer.release();
    }
    await syncDir(dir);
    return { name, length };
  }

  /**
   * The stored value, a chunk at a time, each chunk checked before it is given out; the stream
   * must end with its FINAL chunk and hold exactly `length` characters. A file that does not open
   * is removed (the next sync fetches the value again) and the read fails with CopyFileError.
   */
  async *read(realmId: string, key: string, updatedAt: string, length: number): AsyncGenerator<string> {
    const path = join(this.dirFor(realmId), await this.nameOf(realmId, key, updatedAt));
    const sodium = await loadSodium();
    let handle;
    try {
      handle = await open(path, 'r');
    } catch {
      throw new CopyFileError('missing');
    }
    let state: ReturnType<typeof sodium.crypto_secretstream_xchacha20poly1305_init_pull> | undefined;
    const damaged = async (why: string) => {
      await handle.close().catch(() => {});
      await rm(path, { force: true }).catch(() => {});
      return new CopyFileError(why);
    };
    try {
      const head = new Uint8Array(MAGIC.length + HEADER);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      if (bytesRead < head.length || !MAGIC.every((b, i) => head[i] === b)) throw await damaged('not an HVF1 file');
      try {
        state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(head.subarray(MAGIC.length), this.keys.seal);
      } catch {
        throw await damaged('bad header');
      }
      const ad = this.#ad(realmId, key, updatedAt);
      const sealed = new Uint8Array(COPY_FILE_CHUNK + ABYTES);
      let position = head.length;
      let seen = 0;
      for (;;) {
        const read = await handle.read(sealed, 0, sealed.length, position);
        position += read.bytesRead;
        if (read.bytesRead < ABYTES) throw await damaged('truncated');
        const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(state, sealed.subarray(0, read.bytesRead), ad);
        if (!opened) throw await damaged('a chunk does not open');
        seen += opened.message.length;
        if (seen > length) throw await damaged('longer than its length');
        const final = opened.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        if (final) {
          const after = await handle.read(new Uint8Array(1), 0, 1, position);
          if (after.bytesRead !== 0) throw await damaged('data after the final chunk');
          if (seen !== length) throw await damaged('shorter than its length');
        } else if (read.bytesRead < sealed.length) throw await damaged('truncated');
        if (opened.message.length) yield fromLatin1(opened.message);
        if (final) break;
      }
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    } finally {
      await releaseStreamState(state);
    }
  }

  async remove(realmId: string, name: string): Promise<void> {
    await rm(join(this.dirFor(realmId), name), { force: true });
  }

  /**
   * Removes every file of the scope the index does not name (an older version of a key, a deleted
   * key, a write that died): run after the index is written, so the index never names a removed file.
   */
  async prune(realmId: string, keep: ReadonlySet<string>): Promise<void> {
    const dir = this.dirFor(realmId);
    const names = await readdir(dir).catch(() => [] as string[]);
    const now = Date.now();
    for (const name of names) {
      if (keep.has(name)) continue;
      const path = join(dir, name);
      if (name.endsWith('.tmp')) {
        const made = await stat(path).then((s) => s.mtimeMs, () => now);
        if (now - made < STALE_TEMP_MS) continue;
      }
      await rm(path, { force: true }).catch(() => {});
    }
  }
}

const fromLatin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
