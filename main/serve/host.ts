import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../../common/operations.js';
import type { Dispatch, EventBus } from '../core/index.js';
import { serveRendererFile } from '../web/renderer-files.js';
import { parseClientMessage, type ServerMessage } from '../../common/serve-protocol.js';
import { createUploadHandler, type ServeFiles } from './upload.js';

export type { ServeFiles } from './upload.js';

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
/**
 * The largest WebSocket message. Files never travel over the socket (they are HTTP bodies), so an
 * operation's input is a few fields and at most a secret's value: 4 MiB is generous, and a larger
 * message is refused (close 1009) before it is buffered, so no peer can make the host hold much.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Calls one socket may have running at once; past this the host stops reading from it until some finish. */
export const MAX_CALLS_IN_FLIGHT = 32;
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
  const handleUpload = createUploadHandler({ files: options.files, log });
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

  /** The path of a request URL, without parsing it as a URL: `//`, `///` and worse never throw. */
  function pathOf(url: string): string {
    const end = url.search(/[?#]/);
    return end === -1 ? url : url.slice(0, end);
  }

  function hasSecret(url: string): boolean {
    const segment = Buffer.from(url.split('/')[1] ?? '');
    return segment.length === secretBytes.length && timingSafeEqual(segment, secretBytes);
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A POST must name this page as its Origin: a form on another site cannot forge an upload.
    const status = refusal(req, req.method !== 'GET' && req.method !== 'HEAD');
    if (status !== 0) return sendPlain(res, status, status === 401 ? 'Unauthorized\n' : 'Forbidden\n');
    const url = req.url ?? '/';
    const path = pathOf(url).slice(secret.length + 1);
    if (req.method === 'POST' && path === '/upload') return handleUpload(req, res, new URLSearchParams(url.slice(pathOf(url).length + 1)));
    if (req.method === 'GET' && path.startsWith('/download/')) return handleDownload(path.slice('/download/'.length), res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendPlain(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
    // The bare secret path redirects to the folder form, so relative asset URLs resolve under it.
    if (path === '') return sendPlain(res, 308, '', { Location: `/${secret}/` });
    const file = await serveRendererFile(options.rendererDir, path, { connect: [`ws://${hostHeader()}`], headTags: `${BRIDGE_TAG}\n    ` });
    if (!file) return sendPlain(res, 404, 'Not Found\n');
    res.writeHead(200, { ...file.headers, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
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

  /**
   * The upgrade path runs outside the HTTP server's own error handling (Node hands over the bare
   * socket), so nothing here may throw or leave the socket without an error listener: whatever a
   * peer sends, it gets a status line and a closed socket, and the host stays up.
   */
  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    try {
      const status = refusal(req, true);
      if (status !== 0) return refuseUpgrade(socket, status);
      if (pathOf(req.url ?? '/') !== `/${secret}/bridge`) return refuseUpgrade(socket, 404);
      wss.handleUpgrade(req, socket, head, (ws) => attachBridge(ws));
    } catch (error) {
      log(`serve: refused a malformed WebSocket upgrade (${(error as Error).message})`);
      refuseUpgrade(socket, 400);
    }
  }

  function attachBridge(ws: WebSocket): void {
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    // A protocol error (bad frame, oversized or invalid UTF-8 message…) ends this socket only: ws
    // has already answered it with the right close code; without a listener it would end the host.
    ws.on('error', (error) => log(`serve: closed a WebSocket after a protocol error (${error.message})`));
    const unsubscribe = options.events.subscribe((event: EventName, payload: unknown) => send({ event, payload }));
    ws.on('close', unsubscribe);
    let inFlight = 0;
    ws.on('message', (raw, isBinary) => {
      const message = isBinary ? undefined : parseClientMessage(raw.toString());
      if (!message) {
        ws.close(1008, 'malformed message');
        return;
      }
      // Backpressure, not refusal: past the limit the host stops reading this socket (what was
      // already read still runs), so a flood of calls waits in the peer's socket, not in our memory.
      if (++inFlight === MAX_CALLS_IN_FLIGHT) ws.pause();
      void options
        .dispatch(message.op, message.input)
        .then((result) => send({ id: message.id, result }))
        .catch((error: unknown) => log(`serve: could not answer ${message.op} (${(error as Error).message})`))
        .finally(() => {
          if (inFlight-- === MAX_CALLS_IN_FLIGHT) ws.resume();
        });
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

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

function refuseUpgrade(socket: Duplex, status: number): void {
  if (!socket.writable) return void socket.destroy();
  // As ws does: destroy once the status line is out, so the peer reads it rather than a reset.
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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
