import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { aliasSchema, publicKeySchema, RULES } from '../../common/rules.js';
import type { CreatedUser } from '../../sandbox/server.js';
import { hex24, useSandbox } from './client.js';

const box = useSandbox();
const api = box.api;

interface Person extends CreatedUser {
  token: string;
}
let admin: Person;
let otherAdmin: Person;
let alice: Person;
let bob: Person;
let banned: Person;
let recovery: Person;

async function person(options: Parameters<typeof box.sandbox.admin.createUser>[0]): Promise<Person> {
  const user = await box.sandbox.admin.createUser(options);
  return { ...user, token: box.sandbox.admin.createApiToken({ userId: user.id }).token };
}

beforeAll(async () => {
  [admin, otherAdmin, alice, bob, banned, recovery] = await Promise.all([
    person({ username: 'root', isAdmin: true }),
    person({ username: 'root2', isAdmin: true }),
    person({ username: 'alice' }),
    person({ username: 'bob' }),
    person({ username: 'mallory', isBanned: true }),
    person({ username: 'rita', needsAdminRecovery: true }),
  ]);
});

afterEach(() => {
  vi.useRealTimers();
});

const USER_FIELDS = [
  'alias', 'avatar_url', 'created_at', 'email', 'email_verified', 'free_tier_unlocked', 'id', 'is_admin', 'is_banned',
  'metadata', 'onboarding', 'public_key', 'signup_method', 'updated_at', 'username',
].sort();

describe('GET /users/{id}', () => {
  const absent = hex24(0xdead);
  it.each([
    ['a user', 'themselves', () => alice, () => alice.id, 200],
    ['a user', 'another user', () => alice, () => bob.id, 403],
    ['a user', 'an id that does not exist (no probing)', () => alice, () => absent, 403],
    ['an admin', 'another user', () => admin, () => bob.id, 200],
    ['an admin', 'a banned user', () => admin, () => banned.id, 200],
    ['an admin', 'an id that does not exist', () => admin, () => absent, 404],
    ['a banned user', 'themselves', () => banned, () => banned.id, 200],
    ['a banned user', 'another user', () => banned, () => alice.id, 403],
  ])('%s reading %s → %i', async (_who, _what, who, target, status) => {
    const res = await api('GET', `/users/${target()}`, { token: who().token });
    expect(res.status).toBe(status);
    if (status === 200) {
      expect(Object.keys(res.body.data).sort()).toEqual(USER_FIELDS);
      expect(res.body.data.id).toBe(target());
      expect(res.body.data.id).toMatch(/^[0-9a-f]{24}$/);
      expect(Number.isNaN(Date.parse(res.body.data.created_at))).toBe(false);
    } else {
      expect(res.body).toEqual({ statusCode: status, error: status === 403 ? 'Forbidden' : 'Not Found', message: expect.any(String) });
    }
  });

  it('refuses a malformed id with 400 at /id', async () => {
    const res = await api('GET', '/users/not-an-id', { token: admin.token });
    expect(res.status).toBe(400);
    expect(res.body.data[0].instancePath).toBe('/id');
  });

  it('a login JWT works as well as an API token', async () => {
    const jwt = box.sandbox.admin.signIn(alice.id).token;
    expect((await api('GET', `/users/${alice.id}`, { token: jwt })).body.data.username).toBe('alice');
  });
});

describe.each(['PATCH', 'PUT'])('%s /users/{id}', (method) => {
  const update = (who: Person, id: string, body: unknown) => api(method, `/users/${id}`, { token: who.token, body });

  it('updates alias, public_key and metadata and answers the user', async () => {
    const before = (await api('GET', '/users/me', { token: alice.token })).body.data;
    const body = { alias: `Alice ${method}`, public_key: 'a1b2c3d4e5f6789012345678901234567890abcdefabcdefabcdefabcdef1234', metadata: { theme: 'dark', n: 1 } };
    const res = await update(alice, alice.id, body);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject(body);
    expect(Date.parse(res.body.data.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    expect((await api('GET', '/users/me', { token: alice.token })).body.data).toMatchObject(body);
  });

  it.each([
    ['an empty alias', { alias: '' }, '/alias', 'minLength'],
    ['a 101-character alias', { alias: 'x'.repeat(101) }, '/alias', 'maxLength'],
    ['a short public key', { public_key: 'abc123' }, '/public_key', 'pattern'],
    ['metadata that is an array', { metadata: [1, 2] }, '/metadata', 'type'],
    ['is_admin as a string', { is_admin: 'yes' }, '/is_admin', 'type'],
    ['an unknown field', { nickname: 'al' }, '', 'additionalProperties'],
    ['a too-short password', { password: 'Ab1!', current_password: 'whatever1' }, '/password', 'minLength'],
    ['a too-short current_password', { password: 'Abcdefgh1234!', current_password: 'short' }, '/current_password', 'minLength'],
    ['a password of two classes', { password: 'abcdefghijkl12', current_password: 'whatever1' }, '/password', 'password'],
    ['a password without current_password', { password: 'Abcdefgh1234!' }, '/current_password', 'current_password'],
  ])('refuses %s with 400 at the field', async (_case, body, instancePath, keyword) => {
    const res = await update(alice, alice.id, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    expect(res.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ instancePath, keyword, message: expect.any(String) })]));
  });

  it('the rule messages come from common/rules.ts', async () => {
    const weak = await update(alice, alice.id, { password: 'abcdefghijkl12', current_password: 'whatever1' });
    expect(weak.body.data[0].message).toBe(RULES.password);
    const alone = await update(alice, alice.id, { password: 'Abcdefgh1234!' });
    expect(alone.body.data[0].message).toBe(RULES.passwordNeedsCurrent);
  });

  it.each([
    ['a user updating another user', () => alice, () => bob.id, { alias: 'x' }, 403],
    ['a user making themselves admin', () => alice, () => alice.id, { is_admin: true }, 403],
    ['a user unbanning themselves', () => banned, () => banned.id, { is_banned: false }, 403],
    ['a banned user changing their alias', () => banned, () => banned.id, { alias: 'still here' }, 403],
    ['an admin banning an admin', () => admin, () => otherAdmin.id, { is_banned: true }, 400],
    ['an admin banning themselves', () => admin, () => admin.id, { is_banned: true }, 400],
    ['an admin banning and promoting at once', () => admin, () => bob.id, { is_banned: true, is_admin: true }, 400],
    ['an admin updating a missing user', () => admin, () => hex24(0xbeef), { alias: 'ghost' }, 404],
  ])('refuses %s', async (_case, who, target, body, status) => {
    const res = await update(who(), target(), body);
    expect(res.status).toBe(status);
    if (status === 400) expect(res.body.message).toBe('Admin users cannot be banned.');
  });

  it('lets an admin update another user and ban and unban them', async () => {
    expect((await update(admin, bob.id, { alias: `Bob by admin ${method}` })).body.data.alias).toBe(`Bob by admin ${method}`);
    const ban = await update(admin, bob.id, { is_banned: true });
    expect(ban.status).toBe(200);
    expect(ban.body.data.is_banned).toBe(true);
    expect((await api('GET', '/users/me', { token: bob.token })).status).toBe(200);
    expect((await update(bob, bob.id, { alias: 'nope' })).status).toBe(403);
    expect((await api('PUT', '/vault/keys/x', { token: bob.token, body: { value: 'v' } })).status).toBe(403);
    expect((await api('DELETE', '/vault', { token: bob.token })).status).toBe(403);
    expect((await api('POST', '/users/me/retry-setup', { token: bob.token, body: {} })).status).toBe(403);
    expect((await api('GET', '/vault/keys', { token: bob.token })).status).toBe(200);
    const unban = await update(admin, bob.id, { is_banned: false });
    expect(unban.body.data.is_banned).toBe(false);
    expect((await update(bob, bob.id, { alias: 'Bob again' })).status).toBe(200);
  });
});

describe('password change', () => {
  it('needs the right current password, then the new one signs in and the old one does not', async () => {
    const carl = await person({ username: 'carl' });
    const next = 'New-Passw0rd-for-carl';
    const wrong = await api('PATCH', `/users/${carl.id}`, { token: carl.token, body: { password: next, current_password: 'not-the-password' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.data[0]).toMatchObject({ instancePath: '/current_password', keyword: 'current_password' });
    const ok = await api('PATCH', `/users/${carl.id}`, { token: carl.token, body: { password: next, current_password: carl.password } });
    expect(ok.status).toBe(200);
    expect((await api('POST', '/users/auth/login', { body: { username: 'carl', password: carl.password } })).status).toBe(401);
    expect((await api('POST', '/users/auth/login', { body: { username: 'carl', password: next } })).status).toBe(200);
  });
});

describe('the route schemas agree with common/rules.ts', () => {
  const aliases = ['', 'a', 'x'.repeat(100), 'x'.repeat(101), 'Jöhn Smith 🙂', `${'x'.repeat(99)}🙂`, '🙂'.repeat(50)];
  const keys = ['a1b2c3d4e5f6789012345678901234567890abcdefabcdefabcdefabcdef1234', 'A'.repeat(64), 'g'.repeat(64), 'a'.repeat(63), ''];
  it.each([
    ...aliases.map((alias) => ['alias', alias, aliasSchema.safeParse(alias).success] as const),
    ...keys.map((key) => ['public_key', key, publicKeySchema.safeParse(key).success] as const),
  ])('%s %j: accepted exactly when the shared rule accepts it', async (field, value, valid) => {
    const res = await api('PATCH', `/users/${alice.id}`, { token: alice.token, body: { [field]: value } });
    expect(res.status).toBe(valid ? 200 : 400);
  });
});

describe('POST /users/me/retry-setup', () => {
  it('provisions once, rate-limits to one call a minute with Retry-After, and stays idempotent', async () => {
    const sam = await person({ username: 'sam' });
    const first = await api('POST', '/users/me/retry-setup', { token: sam.token, body: { region: 'eu-west-2' } });
    expect(first.status).toBe(200);
    const data = first.body.data;
    expect(data).toEqual({
      server: { id: expect.stringMatching(/^[0-9a-f]{24}$/), region: 'eu-west-2', hostname: expect.any(String), status: expect.any(String) },
      project: { id: expect.stringMatching(/^[0-9a-f]{24}$/), name: expect.any(String) },
      container: { id: expect.stringMatching(/^[0-9a-f]{24}$/), name: expect.any(String), status: expect.any(String) },
      blocked_reason: null,
    });

    const limited = await api('POST', '/users/me/retry-setup', { token: sam.token, body: {} });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(limited.body.message).toContain(`${retryAfter} seconds`);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    const again = await api('POST', '/users/me/retry-setup', { token: sam.token });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(data);
  });

  it('the rate limit is per user', async () => {
    const [u1, u2] = await Promise.all([person({}), person({})]);
    expect((await api('POST', '/users/me/retry-setup', { token: u1.token, body: {} })).status).toBe(200);
    expect((await api('POST', '/users/me/retry-setup', { token: u2.token, body: {} })).status).toBe(200);
  });

  it('answers blocked_reason for an account that needs an administrator', async () => {
    const res = await api('POST', '/users/me/retry-setup', { token: recovery.token, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.data.blocked_reason).toBe('admin_recovery_required');
  });

  it.each([
    ['upper case', { region: 'US-EAST-1' }, '/region'],
    ['too long', { region: 'a'.repeat(51) }, '/region'],
    ['an unknown field', { zone: 'a' }, ''],
  ])('refuses a region %s (400) without using up the minute', async (_case, body, instancePath) => {
    const u = await person({});
    const res = await api('POST', '/users/me/retry-setup', { token: u.token, body });
    expect(res.status).toBe(400);
    expect(res.body.data[0].instancePath).toBe(instancePath);
    expect((await api('POST', '/users/me/retry-setup', { token: u.token, body: { region: 'us-east-1' } })).status).toBe(200);
  });
});
