import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

// The command line's transport under the core's request engine (CoreOptions.engine.fetch): the
// requests a command makes, over node:http(s) instead of Node's fetch. A run makes two or three
// requests and ends; the first request through Node's fetch (undici: its classes, its HTTP parser
// in WebAssembly) cost a process about 100 ms of CPU here, node:http about 10 (bench/cli.bench.ts).
//
// It answers what main/core/api/http.ts reads of a response: ok, status, headers.get, text() and
// json(), and the body as a web stream (read a piece at a time, or cancelled), with fetch's
// failures: a TypeError "fetch failed" whose cause carries the socket's code (ECONNREFUSED…), the
// signal's reason when aborted, and an error for any redirect (the engine asks redirect: 'error').
// The engine sends a streamed body (a file being sealed) over node:http itself (stream-send.ts), so
// requests come here with a text body or none; any other body is handed to Node's fetch.

type Http = typeof import('node:http');
type Transport = { request: Http['request']; agent: InstanceType<Http['Agent']> };
const transports = new Map<string, Transport>();

/**
 * node:http or node:https, loaded by the first request that needs it (TLS only for an https
 * server, neither for `--help`), with a connection kept open for the run's next request, as fetch does.
 */
function transportFor(protocol: 'http:' | 'https:'): Transport {
  let transport = transports.get(protocol);
  if (!transport) {
    const module = createRequire(import.meta.url)(protocol === 'https:' ? 'node:https' : 'node:http') as Http;
    transport = { request: module.request, agent: new module.Agent({ keepAlive: true }) };
    transports.set(protocol, transport);
  }
  return transport;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export const commandLineFetch = ((input: string | URL, init: RequestInit = {}): Promise<Response> => {
  if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') return globalThis.fetch(input, init);
  const url = new URL(String(input));
  const signal = init.signal ?? undefined;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
  if (signal?.aborted) return Promise.reject(signal.reason);
  const method = (init.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { 'user-agent': 'node', ...lowerCased(init.headers as Record<string, string> | undefined) };
  const body = init.body as string | undefined;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

  return new Promise<Response>((resolve, reject) => {
    const { request: send, agent } = transportFor(url.protocol as 'http:' | 'https:');
    const request = send(url, { method, headers, agent });
    const onAbort = () => request.destroy(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    request.on('error', (error) => {
      done();
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    request.on('response', (message) => {
      const status = message.statusCode ?? 0;
      if (status >= 300 && status < 400 && message.headers.location && init.redirect !== 'manual') {
        message.resume();
        done();
        reject(new TypeError('fetch failed', { cause: new Error(`unexpected redirect to ${message.headers.location}`) }));
        return;
      }
      message.once('close', done);
      resolve(responseOf(message, url, method === 'HEAD' || NULL_BODY_STATUSES.has(status) ? null : message, signal));
    });
    request.end(body);
  });
}) as typeof fetch;

function lowerCased(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

/** The parts of a fetch Response the core's engine reads, over a node:http answer. */
function responseOf(message: IncomingMessage, url: URL, stream: IncomingMessage | null, signal: AbortSignal | undefined): Response {
  // A connection lost mid-body reaches whoever reads the body; unread, it must not end the process.
  message.on('error', () => {});
  if (!stream) message.resume();
  const status = message.statusCode ?? 0;
  let body: ReadableStream<Uint8Array> | null | undefined;
  let used = false;
  const webBody = (): ReadableStream<Uint8Array> | null => (body ??= stream ? (Readable.toWeb(stream) as ReadableStream<Uint8Array>) : null);
  const bytes = async (): Promise<Buffer> => {
    if (used) throw new TypeError('Body is unusable: Body has already been read');
    used = true;
    if (!stream) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch (error) {
      throw signal?.aborted ? signal.reason : new TypeError('terminated', { cause: error });
    }
    return Buffer.concat(chunks);
  };
  const text = async () => new TextDecoder().decode(await bytes());
  const response = {
    ok: status >= 200 && status < 300,
    status,
    statusText: message.statusMessage ?? '',
    url: url.href,
    redirected: false,
    type: 'basic',
    headers: {
      get: (name: string) => {
        const value = message.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
      },
      has: (name: string) => message.headers[name.toLowerCase()] !== undefined,
    },
    get body() {
      return webBody();
    },
    get bodyUsed() {
      return used;
    },
    text,
    json: async () => JSON.parse(await text()) as unknown,
    arrayBuffer: async () => {
      const buffer = await bytes();
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    },
  };
  return response as unknown as Response;
}
