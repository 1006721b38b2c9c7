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

/**
 * Opens a stored file value into its chunks of plaintext, checking every tag and the FINAL one. The
 * value is the whole string (as the API gives it) or its text in pieces of any size (as this
 * computer's copy reads it back from disk), so a big file is never held whole to be opened.
 */
export async function* openFileValue(keys: VaultKeys, realmId: string, key: string, value: string | AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const sodium = await loadSodium();
  const { chunk, sealed } = typeof value === 'string' ? splitValue(value) : await splitPieces(value);
  const ad = fileAd(realmId, key);
  const sealedChunk = chunk + ABYTES;
  let buffered: Uint8Array = new Uint8Array(0);
  let state: ReturnType<typeof sodium.crypto_secretstream_xchacha20poly1305_init_pull> | undefined;
  let finished = false;
  const pull = (take: number) => {
    if (finished) throw unreadable();
    const result = sodium.crypto_secretstream_xchacha20poly1305_pull(state!, buffered.subarray(0, take), ad);
    if (!result) throw unreadable();
    buffered = buffered.slice(take);
    if (result.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) finished = true;
    return result.message;
  };
  try {
    for await (const piece of sealed) {
      buffered = buffered.length ? concat([buffered, piece], buffered.length + piece.length) : piece;
      if (!state) {
        if (buffered.length < HEADER) continue;
        try {
          state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(buffered.subarray(0, HEADER), keys.file);
        } catch {
          throw unreadable();
        }
        buffered = buffered.slice(HEADER);
      }
      while (buffered.length >= sealedChunk) yield pull(sealedChunk);
    }
    if (!state) throw unreadable();
    while (buffered.length > 0) yield pull(Math.min(sealedChunk, buffered.length));
    // A stream cut short (no FINAL chunk) is refused: truncation is tampering too.
    if (!finished) throw unreadable();
  } finally {
    await releaseStreamState(state);
  }
}

const MAX_CHUNK = 16 * 1024 * 1024;
const HEAD = /^\{"hv":1,"f":(\d+),"s":"$/;
const BASE64_BODY = /^[A-Za-z0-9+/]*$/;
const BASE64_LAST = /^[A-Za-z0-9+/]*={0,2}$/;

function chunkOf(digits: string | undefined): number {
  const chunk = Number(digits);
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > MAX_CHUNK) throw unreadable();
  return chunk;
}

/** A whole value: its chunk size, and its sealed bytes decoded a slice at a time (never doubled in memory). */
function splitValue(value: string): { chunk: number; sealed: Iterable<Uint8Array> } {
  const match = /^\{"hv":1,"f":(\d+),"s":"([A-Za-z0-9+/]*={0,2})"\}$/.exec(value);
  if (!match) throw unreadable();
  const chunk = chunkOf(match[1]);
  const b64 = match[2]!;
  // A multiple of 4 characters (whole base64 quads), about four sealed chunks' worth.
  const step = base64Length((chunk + ABYTES) * 4);
  function* slices(): Generator<Uint8Array> {
    for (let at = 0; at < b64.length; at += step) yield new Uint8Array(Buffer.from(b64.slice(at, at + step), 'base64'));
  }
  return { chunk, sealed: slices() };
}

/**
 * A value in pieces: the head (`{"hv":1,"f":<chunk>,"s":"`) is read first, then the base64 is decoded
 * as it comes, whole quads at a time, checked as strictly as the whole value's pattern: base64
 * characters, padding only at the very end, then exactly `"}`.
 */
async function splitPieces(pieces: AsyncIterable<string>): Promise<{ chunk: number; sealed: AsyncIterable<Uint8Array> }> {
  const iterator = pieces[Symbol.asyncIterator]();
  let head = '';
  let at: number;
  for (;;) {
    at = head.indexOf('"s":"');
    if (at >= 0 || head.length > 40) break;
    const next = await iterator.next();
    if (next.done) break;
    head += next.value;
  }
  const match = at >= 0 ? HEAD.exec(head.slice(0, at + 5)) : null;
  if (!match) {
    await iterator.return?.();
    throw unreadable();
  }
  const chunk = chunkOf(match[1]);
  const first = head.slice(at + 5);
  async function* sealed(): AsyncGenerator<Uint8Array> {
    let text = first;
    let padded = false;
    let ended = false;
    // The last two characters are held back: at the end they must be the closing `"}`.
    const decode = (body: string, last: boolean) => {
      const whole = last ? body.length : body.length - (body.length % 4);
      const quads = body.slice(0, whole);
      if (quads.length && padded) throw unreadable();
      if (!(last ? BASE64_LAST : BASE64_BODY).test(quads)) {
        if (!BASE64_LAST.test(quads)) throw unreadable();
        padded = true;
      }
      if (last && quads.length % 4 !== 0) throw unreadable();
      return { bytes: new Uint8Array(Buffer.from(quads, 'base64')), rest: body.slice(whole) };
    };
    try {
      while (!ended) {
        const next = await iterator.next();
        if (next.done) ended = true;
        else text += next.value;
        if (ended) {
          if (!text.endsWith(FILE_VALUE_SUFFIX)) throw unreadable();
          const { bytes } = decode(text.slice(0, -FILE_VALUE_SUFFIX.length), true);
          if (bytes.length) yield bytes;
        } else if (text.length > 2 + 4 * 1024) {
          const { bytes, rest } = decode(text.slice(0, -2), false);
          text = rest + text.slice(-2);
          if (bytes.length) yield bytes;
        }
      }
    } finally {
      if (!ended) await iterator.return?.();
    }
  }
  return { chunk, sealed: sealed() };
}

function unreadable(): CoreError {
  return new CoreError('UNREADABLE', 'This file does not open with your vault key: it is damaged, truncated, or was moved from another name.');
}
