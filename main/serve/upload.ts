import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Result } from '../../common/errors.js';
import { invalidInput } from '../../common/validation.js';
import { fileInputs } from '../../common/vault-files.js';
import type { VaultItem } from '../../common/vault.js';
import { CoreError, toAppError, type FileSource } from '../core/index.js';

// Serve mode's file upload: the browser POSTs a file's bytes with the operation's input in the
// query string. The bytes stream into the core as they arrive (sealed there, never kept plain);
// the query passes the same contract schema as `vault.uploadFile` before anything is read.

/** What the serve host needs of the core's file service (uploads come in as HTTP bodies here). */
export interface ServeFiles {
  store(input: { realmId: string; key: string; notes?: string; uploadId: string }, source: FileSource): Promise<VaultItem>;
  /** Throws QUOTA_EXCEEDED when a file of this size cannot fit in what the account has left. */
  checkRoom(realmId: string, size: number): Promise<void>;
  takeDownload(token: string): Promise<{ filename: string; contentType: string; size: number; chunks: AsyncIterable<Uint8Array> } | undefined>;
}


/**
 * `vault.uploadFile`'s own schema, with the browser's File standing in for the `fileId` that
 * Electron's registry hands out: its name and type travel beside the bytes. An empty `notes` is
 * how the bridge says "none".
 */
export const uploadQuerySchema = fileInputs.uploadFile.omit({ fileId: true }).extend({
  name: z.string().min(1, { error: 'must name the file' }).max(1024, { error: 'must be at most 1024 characters' }),
  type: z.string().max(255, { error: 'must be at most 255 characters' }).optional(),
});
export type UploadQuery = z.output<typeof uploadQuerySchema>;

/** The query as one object; a name given twice is refused rather than silently choosing one. */
export function parseUploadQuery(params: URLSearchParams): Result<UploadQuery> {
  const query = new Map<string, string>();
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (query.has(name)) fields[name] = 'must be given once';
    query.set(name, value);
  }
  if (query.get('notes') === '') query.delete('notes');
  if (query.get('type') === '') query.delete('type');
  if (Object.keys(fields).length > 0) return { ok: false, error: { code: 'INVALID_INPUT', message: `${Object.keys(fields).join(', ')} must be given once.`, fields } };
  const parsed = uploadQuerySchema.safeParse(Object.fromEntries(query));
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: invalidInput(parsed.error.issues) };
}

/** Far past any vault's quota: refused without asking the core (a vault is tens of megabytes). */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;

export interface UploadHandlerOptions {
  files?: ServeFiles;
  log: (message: string) => void;
}

export function createUploadHandler(options: UploadHandlerOptions): (req: IncomingMessage, res: ServerResponse, params: URLSearchParams) => Promise<void> {
  const onUnexpected = (where: string, error: unknown) => options.log(`${where} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);

  return async function handleUpload(req, res, params) {
    const answer = (status: number, result: Result<unknown>) => {
      // The body is not read on a refusal: drain it, so the browser gets the answer, not a reset.
      if (!result.ok) req.resume();
      const body = JSON.stringify(result);
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
    };
    if (!options.files) return answer(404, { ok: false, error: { code: 'NOT_AVAILABLE', message: 'Uploads are not available here.' } });
    const query = parseUploadQuery(params);
    if (!query.ok) return answer(400, query);
    const size = Number(req.headers['content-length']);
    if (!Number.isSafeInteger(size) || size < 0) return answer(411, { ok: false, error: { code: 'INVALID_INPUT', message: 'The upload needs a Content-Length.' } });
    const { name, type, notes, realmId, key, uploadId } = query.data;
    if (size > MAX_UPLOAD_BYTES) {
      // Refused before a byte is read; the connection closes so the rest of the body is not awaited.
      res.shouldKeepAlive = false;
      return answer(413, { ok: false, error: { code: 'QUOTA_EXCEEDED', message: 'This file is larger than any vault can hold.', fields: { value: 'is too large' } } });
    }
    // Below that, the cap is what the account has left, as the core finds it (a fixed cap refused
    // files the vault had room for). Any refusal here (no room, locked, signed out, offline) is
    // answered before a byte of the body is read.
    const refused = await options.files.checkRoom(realmId, size).then(
      () => undefined,
      (error: unknown) => toAppError(error, 'upload', onUnexpected),
    );
    if (refused) {
      res.shouldKeepAlive = false;
      return answer(refused.code === 'QUOTA_EXCEEDED' ? 413 : 200, { ok: false, error: refused });
    }
    let used = false;
    const source: FileSource = {
      name,
      type: type ?? 'application/octet-stream',
      size,
      replayable: false,
      open: () => {
        if (used) throw new CoreError('NETWORK', 'The upload cannot be read twice; try again.');
        used = true;
        return req;
      },
    };
    try {
      const item = await options.files.store({ realmId, key, uploadId, ...(notes ? { notes } : {}) }, source);
      answer(200, { ok: true, data: item });
    } catch (error) {
      answer(200, { ok: false, error: toAppError(error, 'upload', onUnexpected) });
    }
  };
}
