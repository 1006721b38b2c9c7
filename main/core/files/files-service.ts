import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open as openFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { METADATA_MAX_BYTES } from '../../../common/rules.js';
import { entryKeySchema, type VaultItem } from '../../../common/vault.js';
import type { FilePreview } from '../../../common/contract.js';
import type { UploadProgress } from '../../../common/vault-files.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { isStatus } from '../api/errors.js';
import { CoreError } from '../core-error.js';
import { sealMetadata, type SealedMeta } from '../crypto/envelope.js';
import { FILE_VALUE_SUFFIX, fileValueLength, fileValuePrefix, sealFileValue } from '../crypto/file-stream.js';
import { openVerifiedFile, type FileValueText } from './verified-download.js';
import { validateInput } from '../validate.js';
import type { FileRegistry } from './file-registry.js';
import type { HoodyClient } from '../api/hoody-client.js';
import type { OpenVault } from '../vault/vault-part.js';
import { readAhead } from './read-ahead.js';

// Files in the vault: sealed in main a chunk at a time and streamed to the server as they are
// sealed, so a file never sits in memory whole; opened the same way for preview and saving.

const PREVIEW_TEXT_BYTES = 512 * 1024;
const PREVIEW_IMAGE_BYTES = 10 * 1024 * 1024;
const DOWNLOAD_TTL_MS = 60_000;
/** Sealed pieces (about 87 KB of base64 each) read and sealed ahead of the socket: about 0.7 MB. */
const READ_AHEAD = 8;

export interface FileSource {
  name: string;
  type: string;
  size: number;
  /** A fresh read of the bytes (called again on a retry when `replayable`). */
  open(): AsyncIterable<Uint8Array>;
  replayable: boolean;
}

export interface StoreFileInput {
  realmId: string;
  key: string;
  notes?: string | undefined;
  uploadId: string;
}


interface Opened {
  meta: SealedMeta;
  size: number;
  chunks: AsyncIterable<Uint8Array>;
}

interface Upload {
  controller: AbortController;
  /** Every byte of the body has been produced: the server may store it whatever happens next. */
  bodyComplete: boolean;
  cancelRequested: boolean;
}

/** What files need of the vault: its keys, the keyring check before a first write, the quota, a stored value. */
export interface FilesVaultPort {
  openVault(): OpenVault;
  ensureKeyring(client: HoodyClient, realmId: string): Promise<void>;
  checkQuota(client: HoodyClient, realmId: string, growth: number): Promise<void>;
  storedValue(realmId: string, key: string): Promise<{ value: string; metadata: unknown }>;
  /** The same; offline a file's value streams from this computer's copy instead of being read whole. */
  storedFile?(realmId: string, key: string): Promise<{ value: string | FileValueText; metadata: unknown }>;
}

export class FilesService {
  readonly #uploads = new Map<string, Upload>();
  readonly #downloads = new Map<string, { realmId: string; key: string; expiresAt: number }>();

  constructor(
    private readonly vault: FilesVaultPort,
    private readonly accounts: AccountsService,
    private readonly registry: FileRegistry,
    private readonly onProgress: (progress: UploadProgress) => void,
  ) {}

  /** A file the preload registered (Electron): main reads it from disk itself. */
  uploadRegistered(input: StoreFileInput & { fileId: string }): Promise<VaultItem> {
    const file = this.registry.resolve(input.fileId);
    const source: FileSource = {
      name: file.name,
      type: file.type,
      size: file.size,
      replayable: true,
      open: () => createReadStream(file.path, { highWaterMark: 64 * 1024 }),
    };
    return this.store(input, source).finally(() => this.registry.forget(input.fileId));
  }

  /**
   * While the body is still streaming, cancelling aborts it: the server never gets a whole body,
   * so it stores nothing. Once the whole body is out, aborting could not stop the store, so the
   * upload finishes and the new entry is deleted again.
   */
  cancel(uploadId: string): boolean {
    const upload = this.#uploads.get(uploadId);
    if (!upload) return false;
    upload.cancelRequested = true;
    if (!upload.bodyComplete) upload.controller.abort();
    return true;
  }

  /**
   * Seals and stores one file. The quota and the metadata limit are checked before a byte is sent;
   * the request streams with its exact length, so the server stores all of it or (cancelled,
   * failed) none of it.
   */
  async store(input: StoreFileInput, source: FileSource): Promise<VaultItem> {
    const { keys } = this.vault.openVault();
    const key = validateInput(entryKeySchema, input.key, 'key');
    const { realmId, uploadId } = input;
    const client = this.accounts.client();
    const report = (state: UploadProgress['state'], sent: number, error?: string) =>
      this.onProgress({ uploadId, key, name: source.name, sent, total: source.size, state, ...(error ? { error } : {}) });
    const controller = new AbortController();
    const upload: Upload = { controller, bodyComplete: false, cancelRequested: false };
    this.#uploads.set(uploadId, upload);
    const cancelled = () => new CoreError('CONFLICT', `Storing ${source.name} was cancelled; nothing was kept on the server.`);
    try {
      const existing = await client.getKey(key, realmId || undefined).then(
        () => true,
        (error: unknown) => {
          if (isStatus(error, 404)) return false;
          throw error;
        },
      );
      if (existing) throw new CoreError('CONFLICT', `“${key}” already exists in this scope. Choose another name.`, { fields: { key: 'already exists in this scope' } });

      // The metadata's length must be known before the value streams (the request has an exact
      // length), and its SHA-256 only after: a same-length placeholder measures it.
      const sealedMeta = (sha256: string) =>
        sealMetadata(keys, realmId, key, 'file', source.size, { notes: input.notes ?? '', filename: source.name, content_type: source.type, sha256 });
      const placeholder = JSON.stringify(await sealedMeta('0'.repeat(64)));
      const metaBytes = Buffer.byteLength(placeholder);
      if (metaBytes > METADATA_MAX_BYTES) {
        throw new CoreError('INVALID_INPUT', 'The file name and notes are too long to store.', { fields: { notes: `make the notes shorter (${Math.ceil(metaBytes / 1024)} KB of ${METADATA_MAX_BYTES / 1024} KB)` } });
      }
      const valueLength = fileValueLength(source.size);
      await this.vault.checkQuota(client, realmId, valueLength + metaBytes);
      await this.vault.ensureKeyring(client, realmId);

      // The body is `{"value":"<the value, JSON-escaped>","metadata":{…}}`, known to the byte. Only
      // the value's prefix and suffix hold characters JSON escapes (quotes); base64 never does.
      const escaped = (text: string) => JSON.stringify(text).slice(1, -1);
      const prefix = fileValuePrefix();
      const escapeGrowth = escaped(prefix).length - prefix.length + escaped(FILE_VALUE_SUFFIX).length - FILE_VALUE_SUFFIX.length;
      const bodyHead = '{"value":"';
      const bodyLength = bodyHead.length + valueLength + escapeGrowth + '","metadata":'.length + metaBytes + '}'.length;
      let lastReport = 0;
      const body = async function* (this: void): AsyncGenerator<string> {
        const digest: { sha256?: string } = {};
        yield bodyHead;
        const pieces = sealFileValue(keys, realmId, key, source.open(), source.size, (n) => {
          if (n === source.size || n - lastReport >= 256 * 1024) {
            lastReport = n;
            report('uploading', n);
          }
        }, digest);
        for await (const piece of readAhead(pieces, READ_AHEAD)) {
          yield piece === prefix || piece === FILE_VALUE_SUFFIX ? escaped(piece) : piece;
        }
        const meta = JSON.stringify(await sealedMeta(digest.sha256!));
        if (Buffer.byteLength(meta) !== metaBytes) throw new CoreError('INTERNAL', 'The sealed metadata changed length.');
        upload.bodyComplete = true;
        yield `","metadata":${meta}}`;
      };
      report('uploading', 0);
      await client.setKeyStream(key, { length: bodyLength, open: body, replayable: source.replayable }, realmId || undefined, controller.signal);
      if (upload.cancelRequested) {
        await client.deleteKey(key, realmId || undefined);
        report('cancelled', 0);
        throw cancelled();
      }
      report('done', source.size);
      const now = new Date().toISOString();
      return { key, realmId, kind: 'file', format: 'hv1', notes: input.notes ?? '', filename: source.name, contentType: source.type, size: source.size, storedBytes: valueLength + metaBytes, createdAt: now, updatedAt: now };
    } catch (error) {
      if (upload.cancelRequested) {
        if (controller.signal.aborted) report('cancelled', 0);
        throw cancelled();
      }
      report('failed', 0, error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      this.#uploads.delete(uploadId);
    }
  }

  /**
   * Refuses, before a byte of it is read, a file whose sealed value cannot fit in what the account
   * has left in its vault (serve mode asks this of an upload's length). `store` checks again, to the
   * byte with the metadata, before it sends anything.
   */
  async checkRoom(realmId: string, size: number): Promise<void> {
    this.vault.openVault();
    await this.vault.checkQuota(this.accounts.client(), realmId, fileValueLength(size));
  }

  async #open(realmId: string, key: string): Promise<Opened> {
    const { keys } = this.vault.openVault();
    // Offline, files come from this computer's copy like every other value.
    // Size, kind and bytes all authenticated before anything is delivered (verified-download.ts).
    return openVerifiedFile(keys, realmId, key, await (this.vault.storedFile ?? this.vault.storedValue)(realmId, key));
  }

  /** Text (the first 512 KB) and images (up to 10 MB) are shown inside the app; other types are saved. */
  async preview(realmId: string, key: string): Promise<FilePreview> {
    const opened = await this.#open(realmId, key);
    const type = opened.meta.content_type ?? 'application/octet-stream';
    const isImage = /^image\/(png|jpeg|gif|webp|svg\+xml)$/.test(type);
    const isText = /^text\/|^application\/(json|xml|yaml|x-pem-file|javascript)/.test(type);
    if (!isImage && !isText) return { kind: 'none', reason: `Files of type ${type} cannot be shown here; save it to open it with another program.` };
    if (isImage && opened.size > PREVIEW_IMAGE_BYTES) return { kind: 'none', reason: 'This image is too large to preview; save it instead.' };
    const limit = isImage ? PREVIEW_IMAGE_BYTES : PREVIEW_TEXT_BYTES;
    const parts: Uint8Array[] = [];
    let bytes = 0;
    for await (const chunk of opened.chunks) {
      parts.push(chunk);
      bytes += chunk.length;
      if (bytes >= limit) break;
    }
    const all = Buffer.concat(parts);
    if (isImage) return { kind: 'image', dataUrl: `data:${type};base64,${all.toString('base64')}` };
    const text = new TextDecoder('utf-8', { fatal: false }).decode(all.subarray(0, PREVIEW_TEXT_BYTES));
    return { kind: 'text', text, truncated: opened.size > PREVIEW_TEXT_BYTES };
  }

  /** Electron: writes the decrypted file where the user chose, atomically (nothing half-written). */
  async saveTo(realmId: string, key: string, choosePath: (name: string) => Promise<string | undefined>): Promise<{ saved: string | null }> {
    const opened = await this.#open(realmId, key);
    const target = await choosePath(opened.meta.filename ?? key);
    if (!target) return { saved: null };
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.part`);
    const handle = await openFile(temp, 'wx', 0o600);
    try {
      for await (const chunk of opened.chunks) await handle.write(chunk);
      await handle.sync();
      await handle.close();
      await rename(temp, target);
    } catch (error) {
      await handle.close().catch(() => {});
      await rm(temp, { force: true });
      throw error;
    }
    return { saved: target };
  }

  /** Serve mode: a one-time token the window fetches the decrypted file with (a download). */
  prepareDownload(realmId: string, key: string): { token: string } {
    this.vault.openVault();
    const token = randomUUID();
    this.#downloads.set(token, { realmId, key, expiresAt: Date.now() + DOWNLOAD_TTL_MS });
    return { token };
  }

  /** For the serve host: the decrypted bytes of a prepared download, once. */
  async takeDownload(token: string): Promise<{ filename: string; contentType: string; size: number; chunks: AsyncIterable<Uint8Array> } | undefined> {
    const ticket = this.#downloads.get(token);
    this.#downloads.delete(token);
    if (!ticket || ticket.expiresAt < Date.now()) return undefined;
    const opened = await this.#open(ticket.realmId, ticket.key);
    return { filename: opened.meta.filename ?? ticket.key, contentType: opened.meta.content_type ?? 'application/octet-stream', size: opened.size, chunks: opened.chunks };
  }
}

