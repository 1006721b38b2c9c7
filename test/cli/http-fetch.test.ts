import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../main/core/core-error.js';
import { HttpEngine } from '../../main/core/api/http.js';
import { commandLineFetch } from '../../main/cli/http-fetch.js';

// The command line's transport (node:http instead of Node's fetch) answers as fetch does for what
// the core's engine reads: each case runs through both against the same real HTTP server.

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const routes: Record<string, Route> = {
  '/echo': (req, res, body) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'] });
    res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null, length: req.headers['content-length'] ?? null, accept: req.headers.accept ?? null, text: 'café ✓' }));
  },
  '/busy': (_req, res) => {
    res.writeHead(429, { 'Retry-After': '3', 'Content-Type': 'application/json' });
    res.end('{"error":"slow down"}');
  },
  '/empty': (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  '/moved': (_req, res) => {
    res.writeHead(302, { Location: '/echo' });
    res.end();
  },
  '/never': () => {},
  '/api/v1/users/me': (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ data: { username: 'alice', auth: req.headers.authorization } }));
  },
  '/chunks': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.write(Buffer.alloc(1000, 1));
    setTimeout(() => res.end(Buffer.alloc(500, 2)), 20);
  },
  '/cut': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
    res.write('{"partial":');
    setTimeout(() => res.socket?.destroy(), 20);
  },
};

let server: Server;
let base = '';
let closedPort = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => routes[new URL(req.url ?? '/', 'http://x').pathname]?.(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const both = [
  ['fetch', globalThis.fetch],
  ['commandLineFetch', commandLineFetch],
] as const;

type Failure = Omit<Error, 'cause'> & { cause?: { code?: string } };

async function failure(promise: Promise<unknown>): Promise<Failure> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Failure,
  );
}

describe.each(both)('%s', (_name, fetcher) => {
  it('sends the method, headers and body, and reads status, headers and text', async () => {
    const response = await fetcher(new URL(`${base}/echo`), { method: 'POST', headers: { Accept: 'application/json', Authorization: 'Bearer t' }, body: '{"x":"é"}', redirect: 'error' });
    expect([response.ok, response.status]).toEqual([true, 200]);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('X-MULTI')).toBe('a, b');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(JSON.parse(await response.text())).toEqual({ method: 'POST', body: '{"x":"é"}', auth: 'Bearer t', length: '10', accept: 'application/json', text: 'café ✓' });
  });

  it('answers an error status as a response, and 204 with no body', async () => {
    const busy = await fetcher(`${base}/busy`);
    expect([busy.ok, busy.status, busy.headers.get('Retry-After')]).toEqual([false, 429, '3']);
    expect(await busy.json()).toEqual({ error: 'slow down' });
    const empty = await fetcher(`${base}/empty`);
    expect([empty.status, empty.body, await empty.text()]).toEqual([204, null, '']);
  });

  it('streams a body piece by piece', async () => {
    const response = await fetcher(`${base}/chunks`);
    const reader = response.body!.getReader();
    let total = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) total += read.value.byteLength;
    expect(total).toBe(1500);
  });

  it('fails as fetch fails: refused connection, redirect, abort, timeout, a body cut short', async () => {
    const refused = await failure(fetcher(`http://127.0.0.1:${closedPort}/echo`));
    expect([refused.name, refused.message, refused.cause?.code]).toEqual(['TypeError', 'fetch failed', 'ECONNREFUSED']);
    const moved = await failure(fetcher(`${base}/moved`, { redirect: 'error' }));
    expect([moved.name, moved.message]).toEqual(['TypeError', 'fetch failed']);
    const controller = new AbortController();
    controller.abort();
    expect((await failure(fetcher(`${base}/echo`, { signal: controller.signal }))).name).toBe('AbortError');
    expect((await failure(fetcher(`${base}/never`, { signal: AbortSignal.timeout(200) }))).name).toBe('TimeoutError');
    const cut = await fetcher(`${base}/cut`);
    expect((await failure(cut.text())).name).toBe('TypeError');
  });
});

describe('the core engine over commandLineFetch', () => {
  it('reads an answer and tells a refused connection apart (never sent: safe to repeat)', async () => {
    const engine = new HttpEngine({ baseUrl: base, fetch: commandLineFetch, maxRetries: 0 });
    expect((await engine.send({ method: 'GET', path: '/users/me', idempotent: true }, 't0k')).data).toEqual({ username: 'alice', auth: 'Bearer t0k' });
    const refused = new HttpEngine({ baseUrl: `http://127.0.0.1:${closedPort}`, fetch: commandLineFetch, maxRetries: 0 });
    const error = await failure(refused.send({ method: 'GET', path: '/users/me', idempotent: true }));
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('NETWORK');
    expect(error.cause).toEqual({ neverSent: true, code: 'ECONNREFUSED' });
  });
});
