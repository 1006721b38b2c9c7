import { describe, expect, it } from 'vitest';
import { HttpEngine, parseRetryAfter } from '../../../../main/core/api/http.js';
import { CoreError } from '../../../../main/core/core-error.js';
import { useSandbox } from '../../../support/sandbox.js';

const sandbox = useSandbox({ vaultLimitMb: 1 });

/** An engine whose waits are recorded instead of slept, so retry timing is asserted without slowing the suite. */
function engine(options: Partial<ConstructorParameters<typeof HttpEngine>[0]> = {}) {
  const waits: number[] = [];
  const e = new HttpEngine({
    baseUrl: sandbox().url,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { e, waits };
}

async function tokenFor(admin = false) {
  const user = await sandbox().admin.createUser({ isAdmin: admin });
  const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
  return { user, token };
}

const caught = async (promise: Promise<unknown>): Promise<CoreError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected a CoreError');
};

describe('HttpEngine against the sandbox', () => {
  it('unwraps the success envelope, with paging metadata', async () => {
    const { token } = await tokenFor();
    const { e } = engine();
    const me = await e.send<{ id: string }>({ method: 'GET', path: '/users/me', idempotent: true }, token);
    expect(me.status).toBe(200);
    expect(me.data.id).toMatch(/^[0-9a-f]{24}$/);
    const log = await e.send({ method: 'GET', path: '/users/auth/activity', query: { limit: 1 }, idempotent: true }, token);
    expect(log.metadata).toMatchObject({ page: 1, limit: 1 });
  });

  it.each([
    ['a missing token', 401, 'UNAUTHORIZED', undefined],
    ['a bad token', 401, 'UNAUTHORIZED', 'hdy_not-a-real-token'],
  ])('maps %s to %s', async (_name, status, code, token) => {
    const error = await caught(engine().e.send({ method: 'GET', path: '/users/me', idempotent: true }, token));
    expect(error).toMatchObject({ status, code });
  });

  it('maps 400 validation errors to fields, 403, 404, and VAULT_LIMIT_EXCEEDED to QUOTA_EXCEEDED', async () => {
    const { user, token } = await tokenFor();
    const other = await sandbox().admin.createUser();
    const { e } = engine();
    const invalid = await caught(e.send({ method: 'PATCH', path: `/users/${user.id}`, body: { alias: '', public_key: 'xyz' }, idempotent: true }, token));
    expect(invalid.code).toBe('INVALID_INPUT');
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.fields ?? {})).toEqual(expect.arrayContaining(['alias']));
    const forbidden = await caught(e.send({ method: 'GET', path: `/users/${other.id}`, idempotent: true }, token));
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const missing = await caught(e.send({ method: 'GET', path: '/vault/keys/nothing-here', idempotent: true }, token));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'Vault key not found.' });
    const full = await caught(e.send({ method: 'PATCH', path: '/vault/keys/big', body: { value: 'x'.repeat(1_100_000) }, idempotent: true }, token));
    expect(full).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 400 });
  });

  it('maps 409, 412 and 422 to CONFLICT and 5xx to SERVER_ERROR', async () => {
    const { token } = await tokenFor();
    const { e } = engine({ maxRetries: 0 });
    for (const [status, code] of [[409, 'CONFLICT'], [412, 'CONFLICT'], [422, 'CONFLICT'], [500, 'SERVER_ERROR'], [502, 'SERVER_ERROR']] as const) {
      sandbox().faults.add({ path: '/api/v1/users/me', status, times: 1 });
      expect(await caught(e.send({ method: 'GET', path: '/users/me', idempotent: true }, token))).toMatchObject({ status, code });
    }
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('retries an idempotent request after %i, with growing jittered waits', async (status) => {
    const { token } = await tokenFor();
    sandbox().faults.add({ path: '/api/v1/users/me', status, times: 2 });
    const { e, waits } = engine({ baseDelayMs: 100 });
    const me = await e.send<{ id: string }>({ method: 'GET', path: '/users/me', idempotent: true }, token);
    expect(me.status).toBe(200);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the last retry with the last error', async () => {
    const { token } = await tokenFor();
    sandbox().faults.add({ path: '/api/v1/users/me', status: 503, times: 10 });
    const { e, waits } = engine({ maxRetries: 3 });
    expect(await caught(e.send({ method: 'GET', path: '/users/me', idempotent: true }, token))).toMatchObject({ status: 503, code: 'SERVER_ERROR' });
    expect(waits).toHaveLength(3);
    sandbox().faults.clear();
  });

  it("honours Retry-After, and hands a long one to the caller instead of waiting", async () => {
    const { token } = await tokenFor();
    sandbox().faults.add({ path: '/api/v1/users/me', status: 429, retryAfter: 3, times: 1 });
    const short = engine();
    await short.e.send({ method: 'GET', path: '/users/me', idempotent: true }, token);
    expect(short.waits).toEqual([3000]);
    sandbox().faults.add({ path: '/api/v1/users/me', status: 429, retryAfter: 120, times: 1 });
    const long = engine();
    expect(await caught(long.e.send({ method: 'GET', path: '/users/me', idempotent: true }, token))).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 120 });
    expect(long.waits).toEqual([]);
  });

  it('retries a dropped connection for an idempotent request', async () => {
    const { token } = await tokenFor();
    sandbox().faults.add({ path: '/api/v1/users/me', drop: true, times: 1 });
    const { e, waits } = engine();
    expect((await e.send({ method: 'GET', path: '/users/me', idempotent: true }, token)).status).toBe(200);
    expect(waits).toHaveLength(1);
  });

  it('never repeats a non-idempotent POST whose connection dropped', async () => {
    const user = await sandbox().admin.createUser({ password: 'Correct-Horse-9' });
    const fault = sandbox().faults.add({ path: '/api/v1/users/auth/login', drop: true, times: 2 });
    const { e, waits } = engine();
    const error = await caught(e.send({ method: 'POST', path: '/users/auth/login', body: { username: user.username, password: 'Correct-Horse-9' }, idempotent: false }));
    expect(error.code).toBe('NETWORK');
    expect(waits).toEqual([]);
    // Exactly one of the two armed drops was used: the request went out once.
    expect(sandbox().faults.list().find((f) => f.id === fault.id)?.remaining).toBe(1);
    sandbox().faults.clear();
  });

  it('repeats a POST the server refused with 503 (it did not act on it)', async () => {
    const user = await sandbox().admin.createUser({ password: 'Correct-Horse-9' });
    sandbox().faults.add({ path: '/api/v1/users/auth/login', status: 503, times: 1 });
    const { e, waits } = engine();
    const answer = await e.send<{ token: string }>({ method: 'POST', path: '/users/auth/login', body: { username: user.username, password: 'Correct-Horse-9' }, idempotent: false });
    expect(answer.data.token).toBeTruthy();
    expect(waits).toHaveLength(1);
  });

  it('times out a request that does not answer, and says so', async () => {
    const { token } = await tokenFor();
    sandbox().faults.add({ path: '/api/v1/users/me', latencyMs: 1500, times: 1 });
    const { e } = engine({ timeoutMs: 200, maxRetries: 0 });
    expect(await caught(e.send({ method: 'GET', path: '/users/me', idempotent: true }, token))).toMatchObject({ code: 'TIMEOUT' });
  });

  it('stores a streamed body against the sandbox and answers with its status, the echoed value unread', async () => {
    const { token } = await tokenFor();
    const { e } = engine();
    const value = 'x'.repeat(200_000);
    const body = JSON.stringify({ value });
    const sent = await e.send({ method: 'PATCH', path: '/vault/keys/streamed', idempotent: true, discardResponse: true, stream: { length: body.length, replayable: true, open: async function* () { yield body.slice(0, 1000); yield new TextEncoder().encode(body.slice(1000)); } } }, token);
    expect(sent).toMatchObject({ status: 201, data: undefined });
    // The connection it left is not reused half-read: the next request on the engine gets its own answer.
    const stored = await e.send<{ value: string }>({ method: 'GET', path: '/vault/keys/streamed', idempotent: true }, token);
    expect(stored.data.value).toBe(value);
  });

  it('returns on the status of a stored stream, without waiting for the echoed value to arrive', async () => {
    // A server that takes the whole body, says 201 and starts echoing, then stalls (as a slow link
    // would with a 100 MiB echo): the store is done at the status line, so nothing waits for the rest.
    const { createServer } = await import('node:http');
    let received = 0;
    const server = createServer((req, res) => {
      req.on('data', (chunk: Buffer) => (received += chunk.length));
      req.on('end', () => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': 10_000_000 });
        res.write('{"data":{"value":"');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { e } = engine({ baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`, timeoutMs: 5_000, maxRetries: 0 });
      const body = 'y'.repeat(300_000);
      const sent = await e.send({ method: 'PATCH', path: '/vault/keys/k', idempotent: true, discardResponse: true, stream: { length: body.length, replayable: true, open: async function* () { yield body; } } });
      expect(sent.status).toBe(201);
      expect(received).toBe(body.length);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends a streamed body over node:http with the same failures as fetch: the source\'s own, a timeout, a server not there', async () => {
    const { token } = await tokenFor();
    const { e } = engine({ maxRetries: 0 });
    const piece = 'z'.repeat(100_000);
    // The source fails mid-way (a file changed while it was read): that error, as it is.
    const changed = new CoreError('STORAGE', 'The file changed while it was being read.');
    const failing = { length: 1_000_000, replayable: false, open: async function* () { yield '{"value":"'; yield piece; throw changed; } };
    expect(await caught(e.send({ method: 'PATCH', path: '/vault/keys/failing', idempotent: true, discardResponse: true, stream: failing }, token))).toBe(changed);
    // A server that takes the body and never answers: TIMEOUT.
    const { createServer } = await import('node:http');
    const silent = createServer((req) => req.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = engine({ baseUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}`, timeoutMs: 300, maxRetries: 0 }).e;
      const body = JSON.stringify({ value: piece });
      expect(await caught(slow.send({ method: 'PATCH', path: '/vault/keys/k', idempotent: true, stream: { length: body.length, replayable: true, open: async function* () { yield body; } } }))).toMatchObject({ code: 'TIMEOUT' });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
    // Nothing listening: NETWORK, and it says why.
    const { createServer: createNet } = await import('node:net');
    const probe = createNet().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const gone = engine({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 }).e;
    const error = await caught(gone.send({ method: 'PATCH', path: '/vault/keys/k', idempotent: true, stream: { length: 2, replayable: true, open: async function* () { yield '{}'; } } }));
    expect(error).toMatchObject({ code: 'NETWORK', message: expect.stringContaining('nothing is listening') });
  });

  it('reports a server that is not there as NETWORK', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const { e } = engine({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    const error = await caught(e.send({ method: 'GET', path: '/users/me', idempotent: true }));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toContain('nothing is listening');
  });

  it('sends exactly one space after Bearer, and accepts base URLs with or without /api/v1', async () => {
    const { token } = await tokenFor();
    for (const baseUrl of [sandbox().url, `${sandbox().url}/`, `${sandbox().url}/api/v1`, `${sandbox().url}/api/v1/`]) {
      expect((await engine({ baseUrl }).e.send({ method: 'GET', path: '/users/me', idempotent: true }, token)).status).toBe(200);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter('0.2')).toBe(1);
    expect(parseRetryAfter(new Date(10_000 + 30_000).toUTCString(), 10_000)).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
