import { createHash } from 'node:crypto';
import { base64Length, FILE_CHUNK, FILE_VALUE_SUFFIX, fileValueLength, fileValuePrefix, sealedFileBytes } from '../../../common/vault-files.js';
import { CoreError } from '../core-error.js';
import { utf8 } from './bytes.js';
import { loadSodium, releaseStreamState } from './sodium.js';
import { startStreamSeal } from './stream-sealer.js';
import type { VaultKeys } from './vault-keys.js';

// Files are sealed as a stream (docs/vault-format.md, "A sealed file"): libsodium's secretstream
// (XChaCha20-Poly1305) over 64 KiB chunks, under the file subkey, each chunk bound to the realm and
// key name. The vault value is `{"hv":1,"f":<chunk size>,"s":"<b64(header ‖ chunk 1 ‖ …)>"}`.
// Everything here works a chunk at a time, so memory stays bounded whatever the file's size.


export { base64Length, FILE_CHUNK, FILE_VALUE_SUFFIX, fileValueLength, fileValuePrefix, sealedFileBytes };
const HEADER = 24;
const ABYTES = 17;

const fileAd = (realmId: string, key: string) => utf8(`hoody-vault/file/v1\n${realmId}\n${key}`);

/** Re-cuts a stream of buffers of any size into chunks of exactly `size` bytes (the last may be shorter). */
async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      const take = Math.min(size - pendingBytes, piece.length - offset);
      pending.push(piece.subarray(offset, offset + take));
      pendingBytes += take;
      offset += take;
      if (pendingBytes === size) {
        yield concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield concat(pending, pendingBytes);
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!.slice();
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Base64 of a byte stream, emitted as it goes (each output piece is whole base64 quads). */
async function* base64Stream(source: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let carry = new Uint8Array(0);
  for await (const piece of source) {
    const joined = carry.length ? concat([carry, piece], carry.length + piece.length) : piece;
    const whole = joined.length - (joined.length % 3);
    if (whole) yield Buffer.from(joined.buffer, joined.byteOffset, whole).toString('base64');
    carry = joined.slice(whole);
  }
  if (carry.length) yield Buffer.from(carry).toString('base64');
}

export interface SealProgress {
  (plaintextBytes: number): void;
}

/**
 * The sealed stream of a file: header, then each 64 KiB chunk (the last tagged FINAL). It checks the
 * file is exactly `size` bytes and returns its SHA-256 through `digest` once the stream ends.
 */
async function* sealChunks(keys: VaultKeys, realmId: string, key: string, source: AsyncIterable<Uint8Array>, size: number, onProgress: SealProgress | undefined, digest: { sha256?: string }): AsyncGenerator<Uint8Array> {
  const sealer = await startStreamSeal(keys.file, fileAd(realmId, key));
  try {
    const hash = createHash('sha256');
    yield sealer.header;
    let read = 0;
    let previous: Uint8Array | undefined;
    // One chunk of look-ahead: a chunk is tagged FINAL only once the stream is known to have ended.
    for await (const chunk of rechunk(source, FILE_CHUNK)) {
      if (previous) yield sealer.push(previous, false);
      hash.update(chunk);
      read += chunk.length;
      onProgress?.(read);
      if (read > size) throw new CoreError('CONFLICT', 'The file grew while it was being stored. Try again.');
      previous = chunk;
    }
    if (read !== size) throw new CoreError('CONFLICT', 'The file changed size while it was being stored. Try again.');
    yield sealer.push(previous ?? new Uint8Array(0), true);
    digest.sha256 = hash.digest('hex');
  } finally {
    // The stream's state holds its key: wiped whichever way the stream ends.
    await sealer.release();
  }
}

/** The stored value of a file, as a stream of text pieces (prefix, base64 quads, suffix). */
export async function* sealFileValue(
  keys: VaultKeys,
  realmId: string,
  key: string,
  source: AsyncIterable<Uint8Array>,
  size: number,
  onProgress?: SealProgress,
  digest: { sha256?: string } = {},
): AsyncGenerator<string> {
  yield fileValuePrefix();
  yield* base64Stream(sealChunks(keys, realmId, key, source, size, onProgress, digest));
  yield FILE_VALUE_SUFFIX;
}

export function isFileValue(value: string): boolean {
  return value.startsWith('{"hv":1,"f":');
}

/** Opens a stored file value into its chunks of plaintext, checking every tag and the FINAL one. */
export async function* openFileValue(keys: VaultKeys, realmId: string, key: string, value: string): AsyncGenerator<Uint8Array> {
  const sodium = await loadSodium();
  const match = /^\{"hv":1,"f":(\d+),"s":"([A-Za-z0-9+/]*={0,2})"\}$/.exec(value);
  const chunk = Number(match?.[1]);
  if (!match || !Number.isInteger(chunk) || chunk < 1 || chunk > 16 * 1024 * 1024) throw unreadable();
  const b64 = match[2]!;
  const ad = fileAd(realmId, key);
  // Decode base64 a slice at a time (slices of whole quads), so a big file is never doubled in memory.
  const sealedChunk = chunk + ABYTES;
  let buffered: Uint8Array = new Uint8Array(0);
  let state: ReturnType<typeof sodium.crypto_secretstream_xchacha20poly1305_init_pull> | undefined;
  let finished = false;
  try {
    // A multiple of 4 characters (whole base64 quads), about four sealed chunks' worth.
    const step = base64Length(sealedChunk * 4);
    for (let at = 0; at < b64.length || buffered.length > 0; ) {
      if (at < b64.length) {
        const piece = new Uint8Array(Buffer.from(b64.slice(at, at + step), 'base64'));
        at += step;
        buffered = buffered.length ? concat([buffered, piece], buffered.length + piece.length) : piece;
      }
      if (!state) {
        if (buffered.length < HEADER) {
          if (at >= b64.length) throw unreadable();
          continue;
        }
        try {
          state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(buffered.subarray(0, HEADER), keys.file);
        } catch {
          throw unreadable();
        }
        buffered = buffered.slice(HEADER);
      }
      while (buffered.length >= sealedChunk || (at >= b64.length && buffered.length > 0)) {
        if (finished) throw unreadable();
        const take = Math.min(sealedChunk, buffered.length);
        const result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, buffered.subarray(0, take), ad);
        if (!result) throw unreadable();
        buffered = buffered.slice(take);
        if (result.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) finished = true;
        yield result.message;
      }
      if (at >= b64.length && buffered.length === 0) break;
    }
    // A stream cut short (no FINAL chunk) is refused: truncation is tampering too.
    if (!finished) throw unreadable();
  } finally {
    await releaseStreamState(state);
  }
}

function unreadable(): CoreError {
  return new CoreError('UNREADABLE', 'This file does not open with your vault key: it is damaged, truncated, or was moved from another name.');
}
