import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../../common/operations.js';
import { CoreError, type Dispatch, type EventBus, type FileSource } from '../core/index.js';
import { serveRendererFile } from '../web/renderer-files.js';
import { parseClientMessage, type ServerMessage } from '../../common/serve-protocol.js';
import type { Result } from '../../common/errors.js';
import type { VaultItem } from '../../common/vault.js';

/** What the serve host needs of the core's file service (uploads come in as HTTP bodies here). */
export interface ServeFiles {
  store(input: { realmId: string; key: string; notes?: string; uploadId: string }, source: FileSource): Promise<VaultItem>;
  /** Throws QUOTA_EXCEEDED when a file of this size cannot fit in what the account has left. */
  checkRoom(realmId: string, size: number): Promise<void>;
  takeDownload(token: string): Promise<{ filename: string; contentType: string; size: number; chunks: AsyncIterable<Uint8Array> } | undefined>;
}

export interface ServeHostOptions {
  dispatch: Dispatch;
  events: EventBus;
  files?: ServeFiles;
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Fixed only in tests; a fresh random secret otherwise. */
  secret?: string;
  log?: (message: string) => void;
}

export interface ServeHost {
  url: string;
  origin: string;
  port: number;
  secret: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Loads the WebSocket bridge first in the head: module scripts run in document order, so `window.hoody` exists before the app starts, as the preload guarantees in Electron. */
const BRIDGE_TAG = '<script type="module" src="./serve-bridge.js"></script>';

/**
 * Serves the built renderer and the bridge on loopback. Every request must carry the per-run secret
 * as the first path segment (401 otherwise) and name this exact host in `Host` and, when sent, in
 * `Origin` (403 otherwise): a web page in the user's browser can neither guess the secret nor reach
 * the host through DNS rebinding. No CORS headers are ever sent.
 */
export async function startServeHost(options: ServeHostOptions): Promise<ServeHost> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const secretBytes = Buffer.from(secret);
  const log = options.log ?? (() => {});
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const server: Server = createServer();
  let port = 0;

  const hostHeader = () => `${LOOPBACK}:${port}`;
  const origin = () => `http://${hostHeader()}`;

  /** 0 when the request may proceed, else the status to refuse it with. */
  function refusal(req: IncomingMessage, requireOrigin: boolean): 0 | 401 | 403 {
    if (req.headers.host !== hostHeader()) return 403;
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined ? requestOrigin !== origin() : requireOrigin) return 403;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return 403;
    return hasSecret(req.url ?? '') ? 0 : 401;
  }

  function hasSecret(url: string): boolean {
    const segment = Buffer.from(url.split('/')[1] ?? '');
    return segment.length === secretBytes.length && timingSafeEqual(segment, secretBytes);
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', origin()).pathname.slice(secret.length + 1);
    // A POST must name this page as its Origin: a form on another site cannot forge an upload.
    const status = refusal(req, req.method !== 'GET' && req.method !== 'HEAD');
    if (status !== 0) return sendPlain(res, status, status === 401 ? 'Unauthorized\n' : 'Forbidden\n');
    if (req.method === 'POST' && path === '/upload') return handleUpload(req, res);
    if (req.method === 'GET' && path.startsWith('/download/')) return handleDownload(path.slice('/download/'.length), res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendPlain(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
    // The bare secret path redirects to the folder form, so relative asset URLs resolve under it.
    if (path === '') return sendPlain(res, 308, '', { Location: `/${secret}/` });
    const file = await serveRendererFile(options.rendererDir, path, { connect: [`ws://${hostHeader()}`], headTags: `${BRIDGE_TAG}\n    ` });
    if (!file) return sendPlain(res, 404, 'Not Found\n');
    res.writeHead(200, { ...file.headers, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  /** The browser's file bytes, streamed into the core as they arrive: sealed there, never kept plain. */
  async function handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URL(req.url ?? '/', origin()).searchParams;
    const size = Number(req.headers['content-length']);
    const answer = (status: number, result: Result<unknown>) => {
      const body = JSON.stringify(result);
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
    };
    if (!options.files) return answer(404, { ok: false, error: { code: 'NOT_AVAILABLE', message: 'Uploads are not available here.' } });
    if (!Number.isSafeInteger(size) || size < 0) return answer(411, { ok: false, error: { code: 'INVALID_INPUT', message: 'The upload needs a Content-Length.' } });
    // The cap is what the account has left, as the core finds it: a fixed cap refused files the
    // vault had room for. Any other failure here (offline, locked) is left to the store to report.
    const refused = await options.files.checkRoom(params.get('realmId') ?? '', size).then(
      () => undefined,
      (error: unknown) => (error instanceof CoreError && error.code === 'QUOTA_EXCEEDED' ? error : undefined),
    );
    if (refused) {
      req.resume();
      return answer(413, { ok: false, error: refused.toAppError() });
    }
    let used = false;
    const source: FileSource = {
      name: params.get('name') || 'file',
      type: params.get('type') || 'application/octet-stream',
      size,
      replayable: false,
      open: () => {
        if (used) throw new CoreError('NETWORK', 'The upload cannot be read twice; try again.');
        used = true;
        return req;
      },
    };
    try {
      const notes = params.get('notes') ?? '';
      const item = await options.files.store({ realmId: params.get('realmId') ?? '', key: params.get('key') ?? '', uploadId: params.get('uploadId') ?? '', ...(notes ? { notes } : {}) }, source);
      answer(200, { ok: true, data: item });
    } catch (error) {
      req.resume();
      answer(200, { ok: false, error: error instanceof CoreError ? error.toAppError() : { code: 'INTERNAL', message: 'The upload failed inside the app.' } });
    }
  }

  /** A prepared download: the decrypted bytes, always as an attachment (never shown as a page). */
  async function handleDownload(token: string, res: ServerResponse): Promise<void> {
    const download = options.files ? await options.files.takeDownload(token).catch(() => undefined) : undefined;
    if (!download) return sendPlain(res, 404, 'This download has expired. Ask for it again.\n');
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': download.size,
      'Content-Disposition': `attachment; filename="${download.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(download.filename)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    try {
      for await (const chunk of download.chunks) if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      res.end();
    } catch {
      // A damaged file stops mid-way: cut the connection so the browser marks the download failed.
      res.destroy();
    }
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const status = refusal(req, true);
    const path = new URL(req.url ?? '/', origin()).pathname;
    if (status !== 0 || path !== `/${secret}/bridge`) {
      const code = status || 404;
      socket.end(`HTTP/1.1 ${code} ${code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachBridge(ws));
  }

  function attachBridge(ws: WebSocket): void {
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = options.events.subscribe((event: EventName, payload: unknown) => send({ event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', async (raw, isBinary) => {
      const message = isBinary ? undefined : parseClientMessage(raw.toString());
      if (!message) {
        ws.close(1008, 'malformed message');
        return;
      }
      send({ id: message.id, result: await options.dispatch(message.op, message.input) });
    });
  }

  server.on('request', (req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      log(`serve: ${(error as Error).message}`);
      if (!res.headersSent) sendPlain(res, 500, 'Internal Server Error\n');
      else res.destroy();
    });
  });
  server.on('upgrade', handleUpgrade);

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `${origin()}/${secret}/`,
    origin: origin(),
    port,
    secret,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

function sendPlain(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(body);
}
