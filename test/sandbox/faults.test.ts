import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, useSandbox } from './client.js';

const box = useSandbox({ faults: true });
const plain = useSandbox();

let token: string;
beforeAll(async () => {
  const user = await box.sandbox.admin.createUser({ username: 'faulty' });
  token = box.sandbox.admin.createApiToken({ userId: user.id }).token;
});

const control = (method: string, path: string, body?: unknown) => call(box.sandbox.url, method, `/__sandbox${path}`, body === undefined ? {} : { body });
const addFault = async (spec: Record<string, unknown>) => {
  const res = await control('POST', '/faults', spec);
  expect(res.status).toBe(201);
  return res.body.data.id as string;
};

beforeEach(async () => {
  expect((await control('DELETE', '/faults')).status).toBe(200);
});

describe('without --faults', () => {
  it.each([
    ['POST', '/__sandbox/faults', { path: '/api/v1', status: 500 }],
    ['DELETE', '/__sandbox/faults', undefined],
    ['POST', '/__sandbox/expire-access-tokens', undefined],
  ])('%s %s does not exist (404)', async (method, path, body) => {
    const res = await call(plain.sandbox.url, method, path, body === undefined ? {} : { body });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });
});

describe('fault switches', () => {
  it('status: answers the injected status in the error envelope, only under the path prefix', async () => {
    const id = await addFault({ path: '/api/v1/vault/keys', status: 503 });
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    for (const path of ['/vault/keys', '/vault/keys/some-key']) {
      const res = await box.api('GET', path, { token });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Injected fault' });
    }
    expect((await box.api('GET', '/vault/stats', { token })).status).toBe(200);
    await control('DELETE', '/faults');
    expect((await box.api('GET', '/vault/keys', { token })).status).toBe(200);
  });

  it('method: only requests with that method are hit', async () => {
    await addFault({ method: 'PUT', path: '/api/v1/vault', status: 500 });
    expect((await box.api('PUT', '/vault/keys/a', { token, body: { value: 'x' } })).status).toBe(500);
    expect((await box.api('PATCH', '/vault/keys/a', { token, body: { value: 'x' } })).status).toBe(201);
  });

  it('times: applies to that many matching requests, then the service recovers', async () => {
    await addFault({ path: '/api/v1/users/me', status: 502, times: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await box.api('GET', '/users/me', { token })).status);
    expect(statuses).toEqual([502, 502, 200, 200]);
  });

  it('retryAfter: adds Retry-After, e.g. to a 429', async () => {
    await addFault({ path: '/api/v1/realms', status: 429, retryAfter: 7 });
    const res = await box.api('GET', '/realms', { token });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body.error).toBe('Too Many Requests');
  });

  it('latencyMs: delays the answer, which is otherwise normal', async () => {
    await addFault({ path: '/api/v1/vault/stats', latencyMs: 300 });
    const started = performance.now();
    const res = await box.api('GET', '/vault/stats', { token });
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(res.status).toBe(200);
  });

  it('drop: closes the connection without an answer', async () => {
    await addFault({ path: '/api/v1/users/me', drop: true, times: 1 });
    await expect(box.api('GET', '/users/me', { token })).rejects.toThrow();
    expect((await box.api('GET', '/users/me', { token })).status).toBe(200);
  });

  it('faults are applied before authentication, and the first matching one wins', async () => {
    await addFault({ path: '/api/v1/users', status: 500, times: 1 });
    await addFault({ path: '/api/v1/users', status: 418 });
    expect((await box.api('GET', '/users/me')).status).toBe(500);
    expect((await box.api('GET', '/users/me')).status).toBe(418);
  });

  it.each([
    ['no path', { status: 500 }],
    ['a path without a leading slash', { path: 'api/v1', status: 500 }],
    ['a status out of range', { path: '/api', status: 99 }],
    ['an unknown switch', { path: '/api', explode: true }],
  ])('refuses a fault with %s (400)', async (_case, spec) => {
    const res = await control('POST', '/faults', spec);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Bad Request');
  });

  it('the same switches work programmatically through sandbox.faults', async () => {
    box.sandbox.faults.add({ path: '/api/v1/vault', status: 504, times: 1 });
    expect((await box.api('GET', '/vault/keys', { token })).status).toBe(504);
    box.sandbox.faults.add({ path: '/api/v1/vault', status: 504 });
    box.sandbox.faults.clear();
    expect((await box.api('GET', '/vault/keys', { token })).status).toBe(200);
  });
});

describe('expiring access tokens', () => {
  it.each([
    ['over HTTP', () => control('POST', '/expire-access-tokens').then((r) => expect(r.status).toBe(200))],
    ['programmatically', async () => box.sandbox.faults.expireAccessTokens()],
  ])('%s: JWTs issued so far stop working, refresh gives working ones, API tokens are untouched', async (_how, expire) => {
    const user = await box.sandbox.admin.createUser();
    const login = (await box.api('POST', '/users/auth/login', { body: { username: user.username, password: user.password } })).body.data;
    expect((await box.api('GET', '/users/me', { token: login.token })).status).toBe(200);
    await expire();
    const expired = await box.api('GET', '/users/me', { token: login.token });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired/i);
    const refreshed = await box.api('POST', '/users/auth/refresh', { token: login.refreshToken, body: { refreshToken: login.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect((await box.api('GET', '/users/me', { token: refreshed.body.data.token })).status).toBe(200);
    expect((await box.api('GET', '/users/me', { token })).status).toBe(200);
  });

  it('the control routes are never faulted themselves', async () => {
    await addFault({ path: '/', status: 500 });
    expect((await box.api('GET', '/users/me', { token })).status).toBe(500);
    expect((await control('DELETE', '/faults')).status).toBe(200);
    expect((await box.api('GET', '/users/me', { token })).status).toBe(200);
  });
});
