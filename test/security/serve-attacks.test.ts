import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../../main/serve/host.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { useTempDir } from '../support/temp-dir.js';
import { closePayload, frame, openRawSocket, rawRequest, upgradeRequest } from './raw-websocket.js';

// Serve mode attacked from outside, as a web page in the user's browser or another local program
// could: malformed upgrades, WebSocket protocol errors, floods, cross-site sockets, path traversal
// and oversized bodies. The host is the real `npm run serve` process; after every attack it must
// still be running and still answer a real call. Each attack counts as a try; an attack answered
// with a refusal (an HTTP error status or a WebSocket close) counts as refused.

const tempDir = useTempDir();
let serve: ServeProcess;
let port: number;
let secret: string;
let origin: string;
const tally = { tries: 0, refused: 0, up: 0 };

beforeAll(async () => {
  serve = await startServeProcess(['--data', await tempDir()]);
  const url = new URL(serve.url);
  port = Number(url.port);
  secret = url.pathname.split('/')[1]!;
  origin = url.origin;
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  console.log(`serve attack suite: ${tally.tries} tries, ${tally.refused} refused, host up and answering after ${tally.up} checks`);
});

const host = () => `127.0.0.1:${port}`;
const bridge = () => `/${secret}/bridge`;

/** The host process is alive and answers a real call over a fresh, proper socket. */
async function expectHostUp(): Promise<void> {
  expect(serve.child.exitCode, `serve exited; its stderr:\n${serve.stderr()}`).toBeNull();
  expect(serve.child.signalCode).toBeNull();
  const ws = new WebSocket(`ws://${host()}${bridge()}`, { headers: { origin } });
  const answer = await new Promise<unknown>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, op: 'app.info', input: undefined })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (message.id === 1) resolve(message.result);
    });
    ws.once('error', reject);
  });
  ws.close();
  expect(answer).toMatchObject({ ok: true, data: { mode: 'serve' } });
  tally.up += 1;
}

function count(refused: boolean): void {
  tally.tries += 1;
  if (refused) tally.refused += 1;
}

describe('serve mode under attack', () => {
  it('answers malformed WebSocket upgrades with an error status, never by going down', async () => {
    const withSecret = () => `/${secret}`;
    const cases: Array<[string, Record<string, string>]> = [
      ['//', { host: host(), origin }],
      ['///', { host: host(), origin }],
      ['//evil.example/bridge', { host: host(), origin }],
      ['//', {}],
      ['/%', { host: host(), origin }],
      ['/%zz/bridge', { host: host(), origin }],
      ['http://evil.example/bridge', { host: host(), origin }],
      ['*', { host: host(), origin }],
      [`${withSecret()}//bridge`, { host: host(), origin }],
      [`/${withSecret()}/bridge`, { host: host(), origin }],
      [`${withSecret()}/bridge?x=%`, { host: host(), origin: 'null' }],
      [`${withSecret()}/bridge/../bridge`, { host: host(), origin }],
      [`${withSecret()}/bridge`, { host: '[::1', origin }],
      [`${withSecret()}/bridge`, { host: host(), origin: 'http://[' }],
      [`/${'a'.repeat(8000)}`, { host: host(), origin }],
    ];
    for (const [path, headers] of cases) {
      const answer = await rawRequest(port, upgradeRequest(path, headers));
      expect([400, 401, 403, 404], `${path} → ${answer.head}`).toContain(answer.status);
      count(answer.status >= 400);
    }
    // Missing or wrong handshake headers on the right path, and a request line that is not HTTP.
    const broken = [
      `GET ${bridge()} HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `GET ${bridge()} HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\nSec-WebSocket-Version: 99\r\n\r\n`,
      `POST ${bridge()} HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `GET // HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      `\x00\x01\x02 garbage\r\n\r\n`,
    ];
    for (const request of broken) {
      const answer = await rawRequest(port, request);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      count(true);
    }
    // What a page in the user's browser ran: `new WebSocket('ws://127.0.0.1:PORT//')`.
    const pageSocket = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://${host()}//`, { headers: { origin: 'https://evil.example' } });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(0));
    });
    expect(pageSocket).toBe(403);
    count(true);
    await expectHostUp();
  });

  const text = (value: string) => Buffer.from(value);
  const protocolErrors: Array<[string, Buffer[], number]> = [
    ['a message over the size limit', [frame({ opcode: 1, declaredLength: 5 * 1024 * 1024 })], 1009],
    ['a 60 MiB message', [frame({ opcode: 2, declaredLength: 60 * 1024 * 1024 })], 1009],
    ['invalid UTF-8 in a text message', [frame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) })], 1007],
    ['an unmasked frame', [frame({ opcode: 1, mask: false, payload: text('{}') })], 1002],
    ['a reserved opcode', [frame({ opcode: 3, payload: text('x') })], 1002],
    ['a reserved control opcode', [frame({ opcode: 0xb })], 1002],
    ['RSV1 set without an extension', [frame({ opcode: 1, rsv1: true, payload: text('{}') })], 1002],
    ['close code 999', [frame({ opcode: 8, payload: closePayload(999) })], 1002],
    ['close code 1005 sent on the wire', [frame({ opcode: 8, payload: closePayload(1005) })], 1002],
    ['a close frame with a 1-byte payload', [frame({ opcode: 8, payload: Buffer.from([3]) })], 1002],
    ['a fragmented control frame', [frame({ opcode: 9, fin: false, payload: text('ping') })], 1002],
    ['a control frame over 125 bytes', [frame({ opcode: 9, payload: Buffer.alloc(126) })], 1002],
    ['a stray continuation frame', [frame({ opcode: 0, payload: text('{}') })], 1002],
    ['a new message inside a fragmented one', [frame({ opcode: 1, fin: false, payload: text('{') }), frame({ opcode: 1, payload: text('}') })], 1002],
    ['a binary message', [frame({ opcode: 2, payload: Buffer.from([1, 2, 3]) })], 1008],
    ['a message that is not a call', [frame({ opcode: 1, payload: text('{"id":"x"}') })], 1008],
  ];

  it.each(protocolErrors)('closes the one socket on %s, and stays up', async (_name, frames, code) => {
    const { socket, closed } = await openRawSocket(port, bridge(), { Host: host(), Origin: origin });
    for (const bytes of frames) socket.write(bytes);
    expect(await closed).toBe(code);
    socket.destroy();
    count(true);
    await expectHostUp();
  });

  it('answers a valid message just under the limit, then refuses one just over it', async () => {
    const call = (size: number) =>
      new Promise<{ code?: number; result?: unknown }>((resolve) => {
        const ws = new WebSocket(`ws://${host()}${bridge()}`, { headers: { origin } });
        ws.once('open', () => {
          const prefix = '{"id":1,"op":"settings.update","input":{"theme":"';
          ws.send(prefix + 'x'.repeat(size - prefix.length - 3) + '"}}');
        });
        ws.on('message', (data) => {
          resolve({ result: (JSON.parse(String(data)) as { result: unknown }).result });
          ws.close();
        });
        ws.once('close', (code) => resolve({ code }));
        ws.once('error', () => {});
      });
    const under = await call(MAX_MESSAGE_BYTES);
    expect(under.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { theme: expect.any(String) } } });
    count(true);
    expect((await call(MAX_MESSAGE_BYTES + 1)).code).toBe(1009);
    count(true);
    await expectHostUp();
  });

  it('survives floods: hundreds of refused connections at once, and thousands of calls on one socket', async () => {
    const refused = await Promise.all(Array.from({ length: 300 }, (_, i) => rawRequest(port, upgradeRequest(i % 2 ? '//' : '/bridge', { host: host(), origin }))));
    expect(refused.every((answer) => answer.status === 401)).toBe(true);
    for (const answer of refused) count(answer.status === 401);

    const calls = 5000;
    const ws = new WebSocket(`ws://${host()}${bridge()}`, { headers: { origin } });
    await new Promise((resolve) => ws.once('open', resolve));
    let answered = 0;
    const all = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number; result?: { ok: boolean } };
        if (message.id !== undefined && message.result?.ok === false) answered += 1;
        if (answered === calls) resolve();
      }),
    );
    // Every call is refused by the schema (an operation that takes no input, given one).
    for (let id = 1; id <= calls; id += 1) ws.send(JSON.stringify({ id, op: 'app.info', input: { flood: id } }));
    await all;
    ws.close();
    count(true);
    await expectHostUp();
  });

  it('refuses cross-site sockets and DNS rebinding, even with the secret', async () => {
    const cases: Array<Record<string, string>> = [
      { Host: host(), Origin: 'https://evil.example' },
      { Host: host(), Origin: 'null' },
      { Host: host() },
      { Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
      { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` },
      { Host: host(), Origin: origin, 'Sec-Fetch-Site': 'cross-site' },
      { Host: host(), Origin: `${origin}.evil.example` },
      { Host: host(), Origin: origin.replace('http:', 'https:') },
    ];
    for (const headers of cases) {
      const answer = await rawRequest(port, upgradeRequest(bridge(), headers));
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      count(true);
    }
    await expectHostUp();
  });

  it('never serves a file outside the built window (path traversal)', async () => {
    const payloads = [
      '../../../../etc/passwd',
      '..%2f..%2f..%2f..%2fetc%2fpasswd',
      '%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '%252e%252e%252f%252e%252e%252fetc%252fpasswd',
      '..\\..\\..\\..\\etc\\passwd',
      '..%5c..%5c..%5cetc%5cpasswd',
      '%2fetc%2fpasswd',
      '/etc/passwd',
      'index.html%00.png',
      '..%c0%af..%c0%afetc%c0%afpasswd',
      '....//....//etc/passwd',
      '%',
      '..',
      '../main/serve.js',
      '..%2fmain%2fserve.js',
    ];
    for (const payload of payloads) {
      const answer = await rawRequest(port, `GET /${secret}/${payload} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
      expect([400, 404], `${payload} → ${answer.head.split('\r\n')[0]}`).toContain(answer.status);
      expect(answer.body.toString()).not.toMatch(/root:|startServeHost|serving at/);
      count(true);
    }
    await expectHostUp();
  });

  it('refuses oversized and malformed upload bodies before reading them', async () => {
    const query = (fields: Record<string, string>) => new URLSearchParams({ realmId: '', key: 'a.bin', uploadId: randomUUID(), name: 'a.bin', ...fields }).toString();
    const post = (path: string, headers: string, body = '') => rawRequest(port, `POST /${secret}${path} HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${origin}\r\nConnection: close\r\n${headers}\r\n${body}`);
    const cases: Array<[string, Promise<{ status: number; body: Buffer }>, number]> = [
      ['a body larger than any vault', post(`/upload?${query({})}`, `Content-Length: ${2 ** 40}\r\n`), 413],
      ['a body without a length', post(`/upload?${query({})}`, 'Transfer-Encoding: chunked\r\n', '5\r\nhello\r\n0\r\n\r\n'), 411],
      ['a realm id that is not one', post(`/upload?${query({ realmId: '../../etc' })}`, 'Content-Length: 5\r\n', 'hello'), 400],
      ['an empty key', post(`/upload?${query({ key: '' })}`, 'Content-Length: 5\r\n', 'hello'), 400],
      ['an upload id that is not one', post(`/upload?${query({ uploadId: 'x' })}`, 'Content-Length: 5\r\n', 'hello'), 400],
      ['an unknown query field', post(`/upload?${query({ extra: '1' })}`, 'Content-Length: 5\r\n', 'hello'), 400],
      ['a query field given twice', post(`/upload?${query({})}&key=b.bin`, 'Content-Length: 5\r\n', 'hello'), 400],
      ['__proto__ in the query', post(`/upload?${query({})}&__proto__=x`, 'Content-Length: 5\r\n', 'hello'), 400],
      ['a body to a page', post('/index.html', 'Content-Length: 5\r\n', 'hello'), 405],
      ['headers past the limit', post('/upload', `X-Big: ${'a'.repeat(64 * 1024)}\r\n`), 431],
      ['a body announced but never sent', post(`/upload?${query({})}`, 'Content-Length: 1000000\r\n', 'only this'), 200],
    ];
    for (const [name, pending, status] of cases) {
      const answer = await pending;
      expect(answer.status, name).toBe(status);
      // The last one reaches the core, which refuses it as data ({ok: false}: no vault is open).
      const refusedAsData = status === 200 && (JSON.parse(answer.body.toString()) as { ok: boolean }).ok === false;
      expect(answer.status >= 400 || refusedAsData, name).toBe(true);
      count(true);
    }
    const named = await post(`/upload?${query({ realmId: '../../etc' })}`, 'Content-Length: 5\r\n', 'hello');
    expect(JSON.parse(named.body.toString())).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { realmId: expect.any(String) } } });
    const proto = await post(`/upload?${query({})}&__proto__=x`, 'Content-Length: 5\r\n', 'hello');
    const protoError = (JSON.parse(proto.body.toString()) as { error: { message: string; fields: object } }).error;
    expect(Object.entries(protoError.fields)).toEqual([['__proto__', 'is not a known field']]);
    expect(protoError.message).toBe('__proto__ is not a known field.');
    await expectHostUp();
  });
});
