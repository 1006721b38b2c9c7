import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { totpCode } from '../../sandbox/auth/totp.js';
import type { CreatedUser } from '../../sandbox/server.js';
import { useSandbox } from './client.js';

const box = useSandbox();
const api = box.api;

let alice: CreatedUser;
let bob2fa: CreatedUser;
let aliceToken: string;

beforeAll(async () => {
  alice = await box.sandbox.admin.createUser({ username: 'alice', email: 'alice@example.test' });
  bob2fa = await box.sandbox.admin.createUser({ username: 'bob', totp: true });
  aliceToken = box.sandbox.admin.createApiToken({ userId: alice.id, name: 'alice cli' }).token;
});

afterEach(() => {
  vi.useRealTimers();
});

const b64json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

async function login(body: Record<string, unknown>) {
  return api('POST', '/users/auth/login', { body });
}

describe('login', () => {
  it.each([
    ['username', () => ({ username: 'alice', password: alice.password })],
    ['email', () => ({ email: 'alice@example.test', password: alice.password })],
  ])('signs in by %s and answers a JWT, a refresh token and the user', async (_by, body) => {
    const before = Date.now();
    const res = await login(body());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, message: expect.any(String) });
    const data = res.body.data;
    expect(Object.keys(data).sort()).toEqual(['expires_at', 'expires_in', 'refreshToken', 'refresh_expires_at', 'refresh_expires_in', 'token', 'user'].sort());
    const parts = data.token.split('.');
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(b64json(parts[0])).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(b64json(parts[1])).toMatchObject({ sub: alice.id });
    expect(data.expires_in).toBe(86400);
    expect(data.refresh_expires_in).toBe(7 * 86400);
    expect(Date.parse(data.expires_at) - before).toBeGreaterThan(86_390_000);
    expect(Date.parse(data.refresh_expires_at) - before).toBeGreaterThan(7 * 86_400_000 - 10_000);
    expect(data.refreshToken).not.toContain('.');
    expect(data.user).toMatchObject({ id: alice.id, username: 'alice', email: 'alice@example.test' });
    const me = await api('GET', '/users/me', { token: data.token });
    expect(me.status).toBe(200);
    expect(me.body.data.id).toBe(alice.id);
    expect(me.body.data.auth_token).toBeUndefined();
  });

  it.each([
    ['no username or email', { password: 'whatever-it-is' }, ''],
    ['no password', { username: 'alice' }, ''],
    ['a number as password', { username: 'alice', password: 12 }, '/password'],
  ])('refuses a body with %s (400)', async (_what, body, instancePath) => {
    const res = await login(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.data[0].instancePath).toBe(instancePath);
  });

  it('answers 401 without attempts for an unknown user', async () => {
    const res = await login({ username: 'nobody', password: 'Whatever-1234' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('counts failed attempts, then locks the user out for a minute with 429 and Retry-After', async () => {
    const carol = await box.sandbox.admin.createUser({ username: 'carol' });
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await login({ username: 'carol', password: 'Wrong-password-1' });
      expect(res.status).toBe(401);
      remaining.push(res.body.data.attempts_remaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const locked = await login({ username: 'carol', password: carol.password });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('Too Many Requests');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    const after = await login({ username: 'carol', password: carol.password });
    expect(after.status).toBe(200);
  });

  it('a banned user may still sign in (and then only read)', async () => {
    const banned = await box.sandbox.admin.createUser({ isBanned: true });
    const res = await login({ username: banned.username, password: banned.password });
    expect(res.status).toBe(200);
    expect(res.body.data.user.is_banned).toBe(true);
    expect((await api('GET', '/users/me', { token: res.body.data.token })).status).toBe(200);
    expect((await api('PUT', '/vault/keys/x', { token: res.body.data.token, body: { value: 'x' } })).status).toBe(403);
    const refreshToken = res.body.data.refreshToken;
    expect((await api('POST', '/users/auth/refresh', { token: refreshToken, body: { refreshToken } })).status).toBe(200);
    expect((await api('POST', '/users/auth/logout', { token: res.body.data.token })).status).toBe(200);
  });

  it('a success resets the failure count', async () => {
    const dan = await box.sandbox.admin.createUser({ username: 'dan' });
    await login({ username: 'dan', password: 'Wrong-password-1' });
    await login({ username: 'dan', password: 'Wrong-password-1' });
    expect((await login({ username: 'dan', password: dan.password })).status).toBe(200);
    const res = await login({ username: 'dan', password: 'Wrong-password-1' });
    expect(res.body.data.attempts_remaining).toBe(4);
  });
});

describe('two-factor sign-in', () => {
  async function start() {
    const res = await login({ username: 'bob', password: bob2fa.password });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ requires_2fa: true, temp_token: expect.any(String), method: 'totp' });
    return res.body.data.temp_token as string;
  }

  it('asks for a code, refuses a wrong one, accepts the right one once', async () => {
    const temp = await start();
    const right = () => totpCode(bob2fa.totpSecret!);
    const wrongCode = right() === '000000' ? '111111' : '000000';
    const wrong = await api('POST', '/users/auth/2fa/verify', { body: { temp_token: temp, code: wrongCode } });
    expect(wrong.status).toBe(401);
    const ok = await api('POST', '/users/auth/2fa/verify', { body: { temp_token: temp, code: right() } });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ token: expect.any(String), refreshToken: expect.any(String), user: { id: bob2fa.id } });
    expect((await api('GET', '/users/me', { token: ok.body.data.token })).body.data.id).toBe(bob2fa.id);
    const again = await api('POST', '/users/auth/2fa/verify', { body: { temp_token: temp, code: right() } });
    expect(again.status).toBe(401);
  });

  it('gives up on a temp_token after 5 wrong codes', async () => {
    const temp = await start();
    const wrongCode = totpCode(bob2fa.totpSecret!) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await api('POST', '/users/auth/2fa/verify', { body: { temp_token: temp, code: wrongCode } })).status).toBe(401);
    expect((await api('POST', '/users/auth/2fa/verify', { body: { temp_token: temp, code: totpCode(bob2fa.totpSecret!) } })).status).toBe(401);
  });

  it('refuses an unknown temp_token and one older than 5 minutes', async () => {
    const unknown = await api('POST', '/users/auth/2fa/verify', { body: { temp_token: 'nope', code: '123456' } });
    expect(unknown.status).toBe(401);
    const temp = await start();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1000);
    const late = await api('POST', '/users/auth/2fa/verify', { body: { temp_token: temp, code: totpCode(bob2fa.totpSecret!) } });
    expect(late.status).toBe(401);
  });
});

describe('refresh', () => {
  // The same session a password login starts, without paying for scrypt in every case.
  const session = async () => box.sandbox.admin.signIn(alice.id);
  const refresh = (body: unknown, bearer?: string) => api('POST', '/users/auth/refresh', { body, ...(bearer ? { token: bearer } : {}) });

  it('rotates: the new pair works, the used refresh token is refused', async () => {
    const first = await session();
    const res = await refresh({ refreshToken: first.refreshToken }, first.refreshToken);
    expect(res.status).toBe(200);
    const second = res.body.data;
    expect(second).toMatchObject({ token: expect.any(String), refreshToken: expect.any(String), expires_at: expect.any(String), expires_in: 86400 });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await api('GET', '/users/me', { token: second.token })).status).toBe(200);
    expect((await refresh({ refreshToken: first.refreshToken }, first.refreshToken)).status).toBe(401);
    expect((await refresh({ refreshToken: second.refreshToken }, second.refreshToken)).status).toBe(200);
  });

  it.each([
    ['only in the body', (t: string) => [{ refreshToken: t }, undefined]],
    ['only in the header', (t: string) => [{}, t]],
    ['different in body and header', (t: string) => [{ refreshToken: t }, `${t}x`]],
    ['an access token instead', (_t: string, access: string) => [{ refreshToken: access }, access]],
    ['unknown', () => [{ refreshToken: 'not-a-token' }, 'not-a-token']],
  ] as const)('refuses a refresh token sent %s (401)', async (_case, make) => {
    const s = await session();
    const [body, bearer] = make(s.refreshToken, s.token) as [unknown, string | undefined];
    const res = await refresh(body, bearer);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  });

  it('refuses a refresh token past its 7 days', async () => {
    const s = await session();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 7 * 86_400_000 + 1000);
    expect((await refresh({ refreshToken: s.refreshToken }, s.refreshToken)).status).toBe(401);
  });

  it('an access token expires after its lifetime', async () => {
    const s = await session();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 86_400_000 + 1000);
    const res = await api('GET', '/users/me', { token: s.token });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/expired/i);
  });
});

describe('logout', () => {
  it('ends every JWT session of the user, access and refresh, but not API tokens', async () => {
    const a = (await login({ username: 'alice', password: alice.password })).body.data;
    const b = (await login({ username: 'alice', password: alice.password })).body.data;
    const out = await api('POST', '/users/auth/logout', { token: a.token });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ statusCode: 200, message: expect.any(String) });
    for (const token of [a.token, b.token]) expect((await api('GET', '/users/me', { token })).status).toBe(401);
    for (const t of [a.refreshToken, b.refreshToken]) {
      expect((await api('POST', '/users/auth/refresh', { body: { refreshToken: t }, token: t })).status).toBe(401);
    }
    expect((await api('GET', '/users/me', { token: aliceToken })).status).toBe(200);
    const c = (await login({ username: 'alice', password: alice.password })).body.data;
    expect((await api('GET', '/users/me', { token: c.token })).status).toBe(200);
  });

  it('works with an API token (and an empty JSON body) too', async () => {
    const a = (await login({ username: 'alice', password: alice.password })).body.data;
    const out = await api('POST', '/users/auth/logout', { token: aliceToken, rawBody: '' });
    expect(out.status).toBe(200);
    expect((await api('GET', '/users/me', { token: a.token })).status).toBe(401);
  });
});

describe('the Authorization header', () => {
  it.each([
    ['missing', undefined],
    ['lower-case scheme', (t: string) => `bearer ${t}`],
    ['two spaces', (t: string) => `Bearer  ${t}`],
    ['another scheme', (t: string) => `Token ${t}`],
    ['no token', () => 'Bearer '],
    ['an unknown hdy_ token', () => 'Bearer hdy_0000000000000000000000000000000000000000'],
    ['garbage', () => 'Bearer abc.def.ghi'],
    ['a tampered JWT', (t: string) => `Bearer ${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`],
    [
      'an unsigned "alg: none" JWT',
      (t: string) => `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${t.split('.')[1]}.`,
    ],
  ])('is refused with 401 when %s', async (_case, header) => {
    const jwt = box.sandbox.admin.signIn(alice.id).token;
    const headers: Record<string, string> = header ? { authorization: header(jwt) } : {};
    const res = await api('GET', '/users/me', { headers });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  });
});

describe('me', () => {
  it.each(['/users/me', '/users/auth/me'])('%s describes an API token and its realm restrictions', async (path) => {
    const realm = box.sandbox.admin.createRealm({ ownerId: alice.id });
    const token = box.sandbox.admin.createApiToken({ userId: alice.id, name: 'scoped', allowedRealmIds: [realm.id] });
    const res = await api('GET', path, { token: token.token });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: alice.id, username: 'alice' });
    expect(res.body.data.auth_token).toEqual({
      id: token.id,
      name: 'scoped',
      vault_access: true,
      restrictions: { has_realm_restrictions: true, requires_realm_scope: true, allowed_realm_ids: [realm.id], allow_no_realm: false, active_realm_id: null },
    });
  });
});
