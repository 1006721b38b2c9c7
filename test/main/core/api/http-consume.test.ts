import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpEngine } from '../../../../main/core/api/http.js';
import { jsonStringAt } from '../../../../main/core/api/json-string-stream.js';

// An answer read as it arrives (`consume`): over real HTTP, from a server that cuts its first answer
// half-way. The cut is a network error, the request is repeated (a GET), and the value comes whole
// from the second answer; an error status is still read as an error, never handed to the consumer.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const value = `{"hv":1,"f":65536,"s":"${'QUJD'.repeat(200_000)}"}`;
const answer = JSON.stringify({ success: true, data: { key: 'big', value, metadata: null }, message: 'ok' });

const consume = async (body: AsyncIterable<Uint8Array>) => {
  let text = '';
  for await (const piece of jsonStringAt(body, ['data', 'value'])) text += piece;
  return text;
};

describe('an answer read as it arrives', () => {
  it('is read again from a repeated request when the connection is cut mid-body', async () => {
    let requests = 0;
    const url = await serve((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(answer.length) });
      if (requests === 1) {
        response.write(answer.slice(0, 300_000), () => response.socket?.destroy());
        return;
      }
      response.end(answer);
    });
    const waits: number[] = [];
    const engine = new HttpEngine({ baseUrl: url, sleep: async (ms) => void waits.push(ms) });
    const calls: number[] = [];
    const got = await engine.send<string>({ method: 'GET', path: '/vault/keys/big', idempotent: true, consume: (body) => (calls.push(calls.length), consume(body)) });
    expect(got.data).toBe(value);
    expect(requests).toBe(2);
    expect(calls).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('leaves an error answer to the engine (its status and message), not to the consumer', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ success: false, message: 'Vault key not found.' }));
    });
    let consumed = false;
    const engine = new HttpEngine({ baseUrl: url, sleep: async () => {} });
    await expect(engine.send({ method: 'GET', path: '/vault/keys/none', idempotent: true, consume: async () => (consumed = true) })).rejects.toMatchObject({ status: 404 });
    expect(consumed).toBe(false);
  });
});
