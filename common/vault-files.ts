import { z } from 'zod';
import { KEY_NAME_MAX, KEY_NAME_PATTERN } from './rules.js';
import { notesSchema, RESERVED_PREFIX, scopeSchema } from './vault.js';

// Files in the vault, as the renderer sees them.

export interface DroppedFile {
  fileId: string;
  name: string;
  size: number;
  type: string;
}

export interface UploadProgress {
  uploadId: string;
  key: string;
  name: string;
  /** Plaintext bytes read and sealed so far. */
  sent: number;
  total: number;
  state: 'uploading' | 'done' | 'failed' | 'cancelled';
  error?: string;
}

/**
 * A key for a file, derived from its name: the characters the key rule refuses become hyphens,
 * and it is kept within the length limit. The user can edit it before the upload.
 */
export function keyFromFileName(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  const key = (cleaned || 'file').slice(0, KEY_NAME_MAX);
  return key.startsWith(RESERVED_PREFIX) ? `file-${key}`.slice(0, KEY_NAME_MAX) : key;
}

/** The key, or with -2, -3… before its extension, so it is not one of `taken`. */
export function uniqueKey(key: string, taken: ReadonlySet<string>): string {
  if (!taken.has(key)) return key;
  const dot = key.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [key.slice(0, dot), key.slice(dot)] : [key, ''];
  for (let n = 2; ; n += 1) {
    const candidate = `${stem.slice(0, KEY_NAME_MAX - ext.length - String(n).length - 1)}-${n}${ext}`;
    if (!taken.has(candidate) && KEY_NAME_PATTERN.test(candidate)) return candidate;
  }
}

// The stored size of a sealed file is known from its plaintext size alone (docs/vault-format.md):
// secretstream's 24-byte header, a 17-byte tag per 64 KiB chunk, base64, and the JSON around it.
export const FILE_CHUNK = 64 * 1024;
const STREAM_HEADER = 24;
const CHUNK_TAG = 17;

export function sealedFileBytes(size: number, chunk = FILE_CHUNK): number {
  return STREAM_HEADER + size + CHUNK_TAG * Math.max(1, Math.ceil(size / chunk));
}

export const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);
export const fileValuePrefix = (chunk = FILE_CHUNK): string => `{"hv":1,"f":${chunk},"s":"`;
export const FILE_VALUE_SUFFIX = '"}';

/** The exact length of a stored file value (what the server counts) for a file of `size` bytes. */
export const fileValueLength = (size: number, chunk = FILE_CHUNK): number =>
  fileValuePrefix(chunk).length + base64Length(sealedFileBytes(size, chunk)) + FILE_VALUE_SUFFIX.length;

/** Sealed metadata of a file (name, type, checksum, notes) stays well under this. */
export const FILE_METADATA_ALLOWANCE = 1024;

export const fileInputs = {
  uploadFile: z.strictObject({ fileId: z.string().uuid(), realmId: scopeSchema, key: z.string().min(1).max(KEY_NAME_MAX), notes: notesSchema.optional(), uploadId: z.string().uuid() }),
  cancelUpload: z.strictObject({ uploadId: z.string().uuid() }),
  registerFiles: z.strictObject({ paths: z.array(z.string().min(1).max(4096)).min(1).max(100) }),
};
