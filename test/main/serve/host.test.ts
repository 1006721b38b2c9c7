import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../main/core/core.js';
import { startServeHost, type ServeHost } from '../../../main/serve/host.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir();
let host: ServeHost | undefined;
let core: Core | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(): Promise<ServeHost> {
  const dataDir = await tempDir();
  const rendererDir = join(dataDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  await writeFile(join(rendererDir, 'app.js'), 'console.log(1)');
  core = await createCore({ dataDir, mode: 'serve', version: '1.0.0' });
  host = await startServeHost({ dispatch: core.dispatch, events: core.events, rendererDir });
  return host;
}

/** A raw HTTP GET, so that Host and Origin can be anything a hostile page or rebinding DNS would send. */
function get(h: ServeHost, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.port, path, method: 'GET', headers: { host: `127.0.0.1:${h.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      ws.terminate();
    });
    ws.once('error', () => resolve({}));
  });
}

describe('serve host', () => {
  it('prints a URL that carries the secret on 127.0.0.1, and serves the app with its CSP and the bridge first', async () => {
    const h = await start();
    expect(h.url).toBe(`http://127.0.0.1:${h.port}/${h.secret}/`);
    expect(h.secret.length).toBeGreaterThanOrEqual(32);
    const page = await get(h, `/${h.secret}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`ws://127.0.0.1:${h.port}`);
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    expect(page.body).toMatch(/^<!doctype html><html><head>\s*<script type="module" src=".\/serve-bridge.js"><\/script>\s*<meta name="style-nonce" content="([^"]+)" \/><title>/);
    const nonce = /content="([^"]+)"/.exec(page.body)![1]!;
    expect(page.headers['content-security-policy']).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect((await get(h, `/${h.secret}/`)).body).not.toContain(nonce);
    expect((await get(h, `/${h.secret}/app.js`)).body).toBe('console.log(1)');
  });

  it('gives each run its own secret', async () => {
    const a = await start();
    const first = a.secret;
    await a.close();
    const b = await start();
    expect(b.secret).not.toBe(first);
  });

  it.each([
    ['no secret', '/'],
    ['no secret, asset path', '/app.js'],
    ['wrong secret', '/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/'],
    ['secret prefix only', 'PREFIX'],
    ['secret in the query', 'QUERY'],
  ])('refuses HTTP with %s (401)', async (_name, path) => {
    const h = await start();
    const actual = path === 'PREFIX' ? `/${h.secret.slice(0, -1)}/` : path === 'QUERY' ? `/?k=${h.secret}` : path;
    const res = await get(h, actual);
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('serve-bridge');
  });

  it.each([
    ['a foreign Host (DNS rebinding)', { host: 'evil.example:80' }],
    ['localhost instead of 127.0.0.1', { host: 'localhost:PORT' }],
    ['another port', { host: '127.0.0.1:1' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a null Origin', { origin: 'null' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses HTTP with %s (403), even with the secret', async (_name, headers) => {
    const h = await start();
    const fixed = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(h.port))]));
    const res = await get(h, `/${h.secret}/`, fixed);
    expect(res.status).toBe(403);
  });

  it('answers operations over the WebSocket and pushes events', async () => {
    const h = await start();
    const { ws } = await openSocket(`ws://127.0.0.1:${h.port}/${h.secret}/bridge`, { origin: h.origin });
    expect(ws).toBeDefined();
    const messages: unknown[] = [];
    ws!.on('message', (data) => messages.push(JSON.parse(String(data))));
    ws!.send(JSON.stringify({ id: 7, op: 'settings.update', input: { theme: 'dark' } }));
    await expect.poll(() => messages.length).toBe(2);
    expect(messages).toContainEqual({ event: 'settings.changed', payload: expect.objectContaining({ theme: 'dark' }) });
    expect(messages).toContainEqual({ id: 7, result: { ok: true, data: expect.objectContaining({ theme: 'dark' }) } });
    ws!.send(JSON.stringify({ id: 8, op: 'settings.update', input: { theme: 'neon' } }));
    await expect.poll(() => messages.length).toBe(3);
    expect(messages[2]).toMatchObject({ id: 8, result: { ok: false, error: { code: 'INVALID_INPUT', fields: { theme: expect.any(String) } } } });
    ws!.close();
  });

  it.each([
    ['without the secret', (h: ServeHost) => [`ws://127.0.0.1:${h.port}/bridge`, { origin: h.origin }], 401],
    ['with a wrong secret', (h: ServeHost) => [`ws://127.0.0.1:${h.port}/${'B'.repeat(32)}/bridge`, { origin: h.origin }], 401],
    ['without an Origin', (h: ServeHost) => [`ws://127.0.0.1:${h.port}/${h.secret}/bridge`, {}], 403],
    ['from a foreign Origin', (h: ServeHost) => [`ws://127.0.0.1:${h.port}/${h.secret}/bridge`, { origin: 'https://evil.example' }], 403],
    ['with a foreign Host', (h: ServeHost) => [`ws://127.0.0.1:${h.port}/${h.secret}/bridge`, { origin: h.origin, host: 'evil.example' }], 403],
  ] as const)('closes a WebSocket %s', async (_name, make, status) => {
    const h = await start();
    const [url, headers] = make(h) as [string, Record<string, string>];
    const result = await openSocket(url, headers);
    expect(result.ws).toBeUndefined();
    expect(result.status).toBe(status);
  });

  it('closes the socket on a malformed message', async () => {
    const h = await start();
    const { ws } = await openSocket(`ws://127.0.0.1:${h.port}/${h.secret}/bridge`, { origin: h.origin });
    const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
    ws!.send('not json');
    expect(await closed).toBe(1008);
  });
});
