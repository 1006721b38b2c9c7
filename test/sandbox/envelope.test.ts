import { beforeAll, describe, expect, it } from 'vitest';
import { call, useSandbox } from './client.js';

// The envelopes every answer uses, whatever produced it: a handler, the validator, the router,
// the body parser, or authentication.

const box = useSandbox();
const api = box.api;
let token: string;

beforeAll(async () => {
  const user = await box.sandbox.admin.createUser();
  token = box.sandbox.admin.createApiToken({ userId: user.id }).token;
});

describe('success', () => {
  it('is {statusCode, message, data}', async () => {
    const res = await api('GET', '/vault/keys', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ statusCode: 200, message: expect.any(String), data: [] });
  });

  it.each(['/realms', '/realms/', '/vault/keys/', '/users/me/'])('ignores a trailing slash: %s', async (path) => {
    expect((await api('GET', path, { token })).status).toBe(200);
  });

  it('sandbox.url has no /api/v1, apiUrl does', () => {
    expect(box.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(box.sandbox.apiUrl).toBe(`${box.sandbox.url}/api/v1`);
  });
});

describe('errors are {statusCode, error, message, data?}', () => {
  it.each([
    ['an unknown route', 404, 'Not Found', 'GET', '/nothing/here', () => ({})],
    ['a known path with an unknown method', 404, 'Not Found', 'POST', '/vault/keys', () => ({ token })],
    ['no token', 401, 'Unauthorized', 'GET', '/vault/keys', () => ({})],
    ['malformed JSON', 400, 'Bad Request', 'PUT', '/vault/keys/x', () => ({ token, rawBody: '{"value": ' })],
    [
      'an unsupported content type',
      415,
      'Unsupported Media Type',
      'PUT',
      '/vault/keys/x',
      () => ({ token, rawBody: 'value=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ],
  ])('%s → %i', async (_case, status, error, method, path, options) => {
    const res = await api(method, path, options());
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ statusCode: status, error, message: expect.any(String) });
  });

  it('an unknown route outside the API too', async () => {
    const res = await call(box.sandbox.url, 'GET', '/favicon.ico');
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Route GET:/favicon.ico not found' });
  });

  it('validation errors carry the ajv list in data', async () => {
    const res = await api('PATCH', '/users/000000000000000000000001', { token, body: { alias: '' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'body/alias must NOT have fewer than 1 characters',
      data: [expect.objectContaining({ instancePath: '/alias', keyword: 'minLength', params: { limit: 1 }, message: 'must NOT have fewer than 1 characters' })],
    });
  });

  it('lists every invalid field, not just the first', async () => {
    const res = await api('GET', '/users/auth/activity', { token, query: { page: 0, limit: 500 } });
    expect(res.body.data.map((e: { instancePath: string }) => e.instancePath).sort()).toEqual(['/limit', '/page']);
  });

  it('a body too large for the quota is refused by size (413) in the envelope', async () => {
    const tiny = await import('../../sandbox/server.js').then((m) => m.startSandbox({ vaultLimitMb: 0.25 }));
    try {
      const user = await tiny.admin.createUser();
      const t = tiny.admin.createApiToken({ userId: user.id }).token;
      const res = await call(tiny.apiUrl, 'PUT', '/vault/keys/big', { token: t, body: { value: 'x'.repeat(2 * 1024 * 1024) } });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
    } finally {
      await tiny.close();
    }
  });
});
