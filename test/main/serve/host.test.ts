import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../main/core/core.js';
import { MAX_CALLS_IN_FLIGHT, startServeHost, type ServeFiles, type ServeHost } from '../../../main/serve/host.js';
import { CoreError } from '../../../main/core/index.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir();
let host: ServeHost | undefined;
let core: Core | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(files?: ServeFiles): Promise<ServeHost> {
  const dataDir = await tempDir();
  const rendererDir = join(dataDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  await writeFile(join(rendererDir, 'app.js'), 'console.log(1)');
  core = await createCore({ dataDir, mode: 'serve', version: '1.0.0' });
  host = await startServeHost({ dispatch: core.dispatch, events: core.events, rendererDir, ...(files ? { files } : {}) });
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

  it('answers an upgrade to // (what any web page can send) with a refusal, and keeps serving', async () => {
    const h = await start();
    for (const path of ['//', '///', '//evil.example/bridge']) {
      const result = await openSocket(`ws://127.0.0.1:${h.port}${path}`, { origin: h.origin });
      expect(result.status).toBe(401);
    }
    expect((await get(h, `/${h.secret}/`)).status).toBe(200);
  });

  describe('the upload query', () => {
    function post(h: ServeHost, query: string, body = 'hello'): Promise<{ status: number; body: unknown }> {
      return new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: h.port, path: `/${h.secret}/upload?${query}`, method: 'POST', headers: { host: `127.0.0.1:${h.port}`, origin: h.origin, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += String(chunk)));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    }
    const uploadId = '0b9c4c1e-3a53-4c38-9d4e-5b3f2d1a0c77';

    it("passes vault.uploadFile's schema first, and hands the core what the schema made of it", async () => {
      const stored: unknown[] = [];
      const files: ServeFiles = {
        checkRoom: async () => {},
        store: async (input, source) => {
          let bytes = 0;
          for await (const chunk of source.open()) bytes += chunk.length;
          stored.push({ input, name: source.name, type: source.type, bytes });
          throw new CoreError('LOCKED', 'The vault is locked.');
        },
        takeDownload: async () => undefined,
      };
      const h = await start(files);
      // An upper-case realm id is the same realm: the schema lower-cases it, as for every operation.
      const upper = await post(h, `realmId=ABCDEF0123456789ABCDEF01&key=a.txt&uploadId=${uploadId}&name=a.txt&notes=`);
      expect(upper).toEqual({ status: 200, body: { ok: false, error: { code: 'LOCKED', message: 'The vault is locked.' } } });
      expect(stored).toEqual([{ input: { realmId: 'abcdef0123456789abcdef01', key: 'a.txt', uploadId }, name: 'a.txt', type: 'application/octet-stream', bytes: 5 }]);

      for (const [query, field] of [
        [`realmId=nope&key=a.txt&uploadId=${uploadId}&name=a.txt`, 'realmId'],
        [`realmId=&key=&uploadId=${uploadId}&name=a.txt`, 'key'],
        [`realmId=&key=a.txt&uploadId=1&name=a.txt`, 'uploadId'],
        [`realmId=&key=a.txt&uploadId=${uploadId}`, 'name'],
        [`realmId=&key=a.txt&uploadId=${uploadId}&name=a.txt&fileId=${uploadId}`, 'fileId'],
        [`realmId=&key=a.txt&uploadId=${uploadId}&name=a.txt&constructor=1`, 'constructor'],
        [`realmId=&key=a.txt&key=b.txt&uploadId=${uploadId}&name=a.txt`, 'key'],
      ]) {
        const refused = (await post(h, query!)) as { status: number; body: { ok: false; error: { code: string; fields: Record<string, string> } } };
        expect(refused.status, query).toBe(400);
        expect(refused.body.error.code).toBe('INVALID_INPUT');
        expect(Object.keys(refused.body.error.fields), query).toEqual([field]);
      }
      expect(stored).toHaveLength(1);
    });

    it('reports an unexpected failure as INTERNAL and writes it to the log, as dispatch does', async () => {
      const logged: string[] = [];
      const dataDir = await tempDir();
      const files: ServeFiles = {
        checkRoom: async () => {},
        store: async () => {
          throw new Error('disk on fire at /home/someone/secret-path');
        },
        takeDownload: async () => undefined,
      };
      core = await createCore({ dataDir, mode: 'serve', version: '1.0.0' });
      host = await startServeHost({ dispatch: core.dispatch, events: core.events, rendererDir: dataDir, files, log: (line) => logged.push(line) });
      const answer = await post(host, `realmId=&key=a.txt&uploadId=${uploadId}&name=a.txt`);
      expect(answer.body).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the app. The details were written to its log.' } });
      expect(logged.join('\n')).toContain('disk on fire');
    });
  });

  it('stops reading a socket that has too many calls running, and answers them all once they finish', async () => {
    const dataDir = await tempDir();
    core = await createCore({ dataDir, mode: 'serve', version: '1.0.0' });
    let running = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    const dispatch = async (op: unknown) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running -= 1;
      return { ok: true as const, data: op };
    };
    host = await startServeHost({ dispatch, events: core.events, rendererDir: dataDir });
    const { ws } = await openSocket(`ws://127.0.0.1:${host.port}/${host.secret}/bridge`, { origin: host.origin });
    const answers: unknown[] = [];
    ws!.on('message', (data) => answers.push(JSON.parse(String(data))));
    // 100 KiB each: a read from the socket holds at most one whole message, so the pause shows.
    const calls = 200;
    const padding = 'x'.repeat(100 * 1024);
    for (let id = 1; id <= calls; id += 1) ws!.send(JSON.stringify({ id, op: 'app.info', input: { padding } }));
    await expect.poll(() => running).toBeGreaterThanOrEqual(MAX_CALLS_IN_FLIGHT);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(peak).toBeLessThanOrEqual(MAX_CALLS_IN_FLIGHT + 1);
    // Release calls as they arrive until every one is answered.
    const drain = setInterval(() => release.splice(0).forEach((resolve) => resolve()), 5);
    await expect.poll(() => answers.length, { timeout: 30_000 }).toBe(calls);
    clearInterval(drain);
    expect(peak).toBeLessThanOrEqual(MAX_CALLS_IN_FLIGHT + 1);
    ws!.close();
  });
});
