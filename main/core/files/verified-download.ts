import { createHash } from 'node:crypto';
import { CoreError } from '../core-error.js';
import { checkMetadata, isEntryMetadata, type SealedMeta } from '../crypto/envelope.js';
import { isFileValue, openFileValue } from '../crypto/file-stream.js';
import type { VaultKeys } from '../crypto/vault-keys.js';

// Opening a stored file for the user: nothing the server could edit decides what is delivered.
// The size comes from the sealed value itself (its length fixes the plaintext's exactly) and must
// agree with the sealed metadata; the bytes are held one chunk back, so the last one leaves only
// once every tag, the stream's FINAL tag, the byte count and the SHA-256 have all checked out. A
// consumer that stops on an error (the serve download cuts its connection) never ends complete.

const HEADER = 24;
const ABYTES = 17;

export interface VerifiedFile {
  meta: SealedMeta;
  /** The plaintext size, authenticated: what a Content-Length may say. */
  size: number;
  chunks: AsyncIterable<Uint8Array>;
}

/** The plaintext size a sealed file value must open to, from its length alone; undefined if malformed. */
export function plainSizeOf(value: string): number | undefined {
  const match = /^\{"hv":1,"f":(\d+),"s":"([A-Za-z0-9+/]*)(={0,2})"\}$/.exec(value);
  if (!match) return undefined;
  return plainSizeOfShape(Number(match[1]), match[2]!.length + match[3]!.length, match[3]!.length);
}

/** The same, from the chunk size, the number of base64 characters and how many of them are `=` padding. */
export function plainSizeOfShape(chunk: number, chars: number, padding: number): number | undefined {
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 16 * 1024 * 1024) return undefined;
  if (chars % 4 !== 0 || padding > 2) return undefined;
  const sealed = (chars / 4) * 3 - padding - HEADER;
  if (sealed < ABYTES) return undefined;
  const chunks = Math.ceil(sealed / (chunk + ABYTES));
  const size = sealed - ABYTES * chunks;
  // A last sealed chunk of fewer than 17 bytes cannot be: the value is malformed.
  return size >= 0 && sealed - (chunks - 1) * (chunk + ABYTES) >= ABYTES ? size : undefined;
}

const unreadable = (why: string) => new CoreError('UNREADABLE', `This file does not open with your vault key: ${why}. Nothing of it was kept.`);

/**
 * A file's value kept in this computer's copy, read from disk in pieces: its size was read from the
 * value's length when the copy stored it (under the copy's seal), and is checked again here as the
 * value is opened.
 */
export interface FileValueText {
  size: number;
  pieces(): AsyncIterable<string>;
}

export async function openVerifiedFile(keys: VaultKeys, realmId: string, key: string, entry: { value: string | FileValueText; metadata: unknown }): Promise<VerifiedFile> {
  const { value } = entry;
  if ((typeof value === 'string' && !isFileValue(value)) || !isEntryMetadata(entry.metadata)) throw new CoreError('INVALID_INPUT', `“${key}” is not a file stored by this app.`);
  const checked = await checkMetadata(keys, realmId, key, entry.metadata);
  if (!checked) throw unreadable('its metadata was changed outside this app');
  if (checked.kind !== 'file') throw unreadable('its sealed metadata is not a file’s');
  const size = typeof value === 'string' ? plainSizeOf(value) : value.size;
  if (size === undefined) throw unreadable('it is malformed');
  if (checked.size !== undefined && checked.size !== size) throw unreadable('its size does not match its sealed size');
  return { meta: checked.sealed, size, chunks: verifiedChunks(openFileValue(keys, realmId, key, typeof value === 'string' ? value : value.pieces()), size, checked.sealed.sha256) };
}

async function* verifiedChunks(source: AsyncIterable<Uint8Array>, size: number, sha256: string | undefined): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let held: Uint8Array | undefined;
  let bytes = 0;
  for await (const chunk of source) {
    bytes += chunk.length;
    if (bytes > size) throw unreadable('it is longer than its size');
    hash.update(chunk);
    if (held) yield held;
    held = chunk;
  }
  // openFileValue has thrown already on a bad tag, a missing FINAL tag, or a chunk after it.
  if (bytes !== size) throw unreadable('it is shorter than its size');
  if (sha256 !== undefined && hash.digest('hex') !== sha256) throw unreadable('its content does not match its sealed SHA-256');
  if (held) yield held;
}
