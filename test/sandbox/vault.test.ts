import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { METADATA_MAX_BYTES } from '../../common/rules.js';
import type { CreatedUser, Sandbox } from '../../sandbox/server.js';
import { call, hex24, useSandbox, type Loose } from './client.js';

const box = useSandbox();
const api = box.api;

let alice: CreatedUser;
let aliceToken: string;
let aliceJwt: string;
let bob: CreatedUser;
let bobToken: string;
const REALM_A = hex24(0xa1);
const REALM_B = hex24(0xb2);

beforeAll(async () => {
  [alice, bob] = await Promise.all([box.sandbox.admin.createUser({ username: 'alice' }), box.sandbox.admin.createUser({ username: 'bob' })]);
  aliceToken = box.sandbox.admin.createApiToken({ userId: alice.id }).token;
  aliceJwt = box.sandbox.admin.signIn(alice.id).token;
  bobToken = box.sandbox.admin.createApiToken({ userId: bob.id }).token;
});

/** A request with a chosen Host header (fetch does not allow setting one). */
function withHost(sandbox: Sandbox, host: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Loose }> {
  const url = new URL(`${sandbox.apiUrl}${path}`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const ENTRY_FIELDS = ['created_at', 'key', 'metadata', 'realm_id', 'size_bytes', 'updated_at'];

describe('key lifecycle', () => {
  it.each(['PUT', 'PATCH'])('%s creates (201), updates (200), reads, lists and deletes a key', async (method) => {
    const key = `notes-${method.toLowerCase()}`;
    const created = await api(method, `/vault/keys/${key}`, { token: aliceToken, body: { value: 'first', metadata: { kind: 'note' } } });
    expect(created.status).toBe(201);
    expect(created.body.statusCode).toBe(201);
    expect(created.body.data).toEqual({
      key,
      realm_id: '',
      value: 'first',
      metadata: { kind: 'note' },
      size_bytes: 5 + JSON.stringify({ kind: 'note' }).length,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const updated = await api(method, `/vault/keys/${key}`, { token: aliceToken, body: { value: 'second', metadata: { kind: 'memo' } } });
    expect(updated.status).toBe(200);
    expect(updated.body.statusCode).toBe(200);
    expect(updated.body.data).toMatchObject({ value: 'second', metadata: { kind: 'memo' }, size_bytes: 6 + 15, created_at: created.body.data.created_at });
    expect(Date.parse(updated.body.data.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.body.data.updated_at));

    const read = await api('GET', `/vault/keys/${key}`, { token: aliceToken });
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(updated.body.data);

    const list = await api('GET', '/vault/keys', { token: aliceToken });
    const listed = list.body.data.find((e: { key: string }) => e.key === key);
    expect(Object.keys(listed).sort()).toEqual(ENTRY_FIELDS);
    expect(listed.value).toBeUndefined();

    const deleted = await api('DELETE', `/vault/keys/${key}`, { token: aliceToken });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ statusCode: 200, data: null });
    for (const [m, path] of [['GET', `/vault/keys/${key}`], ['DELETE', `/vault/keys/${key}`]]) {
      const gone = await api(m!, path!, { token: aliceToken });
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Vault key not found.' });
    }
  });

  it('counts size_bytes as UTF-8 bytes of the value plus the metadata JSON; a write replaces the whole entry', async () => {
    const value = 'héllo 🔐';
    const metadata = { filename: 'naïve.txt', tags: ['a', 'b'] };
    const res = await api('PUT', '/vault/keys/sized', { token: aliceToken, body: { value, metadata } });
    expect(res.body.data.size_bytes).toBe(Buffer.byteLength(value) + Buffer.byteLength(JSON.stringify(metadata)));
    const cleared = await api('PUT', '/vault/keys/sized', { token: aliceToken, body: { value, metadata: null } });
    expect(cleared.body.data).toMatchObject({ metadata: null, size_bytes: Buffer.byteLength(value) });
    await api('PUT', '/vault/keys/sized', { token: aliceToken, body: { value, metadata } });
    const valueOnly = await api('PATCH', '/vault/keys/sized', { token: aliceToken, body: { value: 'new' } });
    expect(valueOnly.body.data).toMatchObject({ metadata: null, size_bytes: 3 });
  });

  it.each([
    ['a 255-character name', 201, 'k'.repeat(255)],
    ['dots, underscores and hyphens', 201, 'a.b_c-D9'],
    ['a 256-character name', 400, 'k'.repeat(256)],
    ['a space', 400, 'a%20b'],
    ['a non-ASCII letter', 400, 'caf%C3%A9'],
  ])('key names: %s → %i', async (_case, status, key) => {
    const res = await api('PUT', `/vault/keys/${key}`, { token: aliceToken, body: { value: 'v' } });
    expect(res.status).toBe(status);
    if (status === 400) expect(res.body.data[0].instancePath).toBe('/key');
  });

  it.each([
    ['no body', undefined, ''],
    ['no value', { metadata: {} }, ''],
    ['a number as value', { value: 5 }, '/value'],
    ['metadata as a string', { value: 'v', metadata: 'x' }, '/metadata'],
    ['metadata as an array', { value: 'v', metadata: [] }, '/metadata'],
  ])('refuses a write with %s (400)', async (_case, body, instancePath) => {
    const res = await api('PUT', '/vault/keys/bad-body', { token: aliceToken, ...(body === undefined ? {} : { body }) });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Bad Request');
    expect(res.body.data.map((e: { instancePath: string }) => e.instancePath)).toContain(instancePath);
  });

  it('refuses metadata over 256 KB, accepts it at the limit', async () => {
    const overhead = JSON.stringify({ blob: '' }).length;
    const atLimit = { blob: 'm'.repeat(METADATA_MAX_BYTES - overhead) };
    const ok = await api('PUT', '/vault/keys/meta-limit', { token: aliceToken, body: { value: '', metadata: atLimit } });
    expect(ok.status).toBe(201);
    expect(ok.body.data.size_bytes).toBe(METADATA_MAX_BYTES);
    const over = await api('PUT', '/vault/keys/meta-limit', { token: aliceToken, body: { value: '', metadata: { blob: `${atLimit.blob}m` } } });
    expect(over.status).toBe(400);
    expect(over.body.data[0]).toMatchObject({ instancePath: '/metadata', message: expect.stringContaining('256 KB') });
    await api('DELETE', '/vault/keys/meta-limit', { token: aliceToken });
  });

  it("keeps users apart: bob cannot see alice's keys", async () => {
    await api('PUT', '/vault/keys/private', { token: aliceToken, body: { value: 'mine' } });
    expect((await api('GET', '/vault/keys/private', { token: bobToken })).status).toBe(404);
    expect((await api('GET', '/vault/keys', { token: bobToken })).body.data).toEqual([]);
  });
});

describe('realm scope', () => {
  it('separates realms and the global scope; realm ids are case-insensitive and stored lower-case', async () => {
    const write = (realm: string | undefined, value: string) =>
      api('PUT', '/vault/keys/shared-name', { token: aliceJwt, body: { value }, ...(realm ? { query: { realm_id: realm } } : {}) });
    await write(undefined, 'global');
    const inA = await write(REALM_A.toUpperCase(), 'in A');
    expect(inA.body.data.realm_id).toBe(REALM_A);
    await write(REALM_B, 'in B');
    const read = async (realm?: string) => (await api('GET', '/vault/keys/shared-name', { token: aliceJwt, ...(realm ? { query: { realm_id: realm } } : {}) })).body.data;
    expect(await read()).toMatchObject({ value: 'global', realm_id: '' });
    expect(await read(REALM_A)).toMatchObject({ value: 'in A', realm_id: REALM_A });
    expect(await read(REALM_B.toUpperCase())).toMatchObject({ value: 'in B', realm_id: REALM_B });
  });

  it('takes the realm from a realm-id Host, e.g. {realmId}.localhost', async () => {
    const host = `${REALM_A.toUpperCase()}.localhost`;
    const res = await withHost(box.sandbox, host, 'GET', '/vault/keys/shared-name', aliceJwt);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ value: 'in A', realm_id: REALM_A });
    const written = await withHost(box.sandbox, host, 'PUT', '/vault/keys/by-host', aliceJwt, { value: 'h' });
    expect(written.body.data.realm_id).toBe(REALM_A);
    const plain = await withHost(box.sandbox, 'localhost', 'GET', '/vault/keys/shared-name', aliceJwt);
    expect(plain.body.data.realm_id).toBe('');
  });

  it.each(['xyz', hex24(1).slice(1), `${hex24(1)}0`, 'g'.repeat(24)])('refuses realm_id %j with 400 at /realm_id', async (realm) => {
    const res = await api('GET', '/vault/keys', { token: aliceToken, query: { realm_id: realm } });
    expect(res.status).toBe(400);
    expect(res.body.data[0].instancePath).toBe('/realm_id');
  });

  it('DELETE /vault clears one scope only and counts what it deleted', async () => {
    const realm = hex24(0xc3);
    for (const key of ['one', 'two', 'three']) await api('PUT', `/vault/keys/${key}`, { token: bobToken, body: { value: key }, query: { realm_id: realm } });
    await api('PUT', '/vault/keys/keep', { token: bobToken, body: { value: 'global' } });
    const res = await api('DELETE', '/vault', { token: bobToken, query: { realm_id: realm } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ deleted_count: 3 });
    expect((await api('GET', '/vault/keys', { token: bobToken, query: { realm_id: realm } })).body.data).toEqual([]);
    expect((await api('GET', '/vault/keys/keep', { token: bobToken })).status).toBe(200);
    expect((await api('DELETE', '/vault', { token: bobToken, query: { realm_id: realm } })).body.data).toEqual({ deleted_count: 0 });
  });

  it('GET /realms/ lists owned realms and realms with entries, with or without the trailing slash', async () => {
    const owned = box.sandbox.admin.createRealm({ ownerId: bob.id, name: 'Owned' });
    await api('PUT', '/vault/keys/x', { token: bobToken, body: { value: 'x' }, query: { realm_id: REALM_B } });
    for (const path of ['/realms/', '/realms']) {
      const res = await api('GET', path, { token: bobToken });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ realm_ids: [owned.id, REALM_B].sort(), total: 2 });
    }
  });
});

describe('who may use the vault', () => {
  let restricted: string;
  let noVaultAccess: string;
  let noVaultPermission: string;
  let bannedToken: string;
  const ALLOWED = hex24(0xaaa);
  const OTHER = hex24(0xbbb);

  beforeAll(async () => {
    const carol = await box.sandbox.admin.createUser({ username: 'carol' });
    restricted = box.sandbox.admin.createApiToken({ userId: carol.id, name: 'realm only', allowedRealmIds: [ALLOWED] }).token;
    noVaultAccess = box.sandbox.admin.createApiToken({ userId: carol.id, vaultAccess: false }).token;
    noVaultPermission = box.sandbox.admin.createApiToken({ userId: carol.id, vaultAccess: true, permissions: { resources: { vault: false } } }).token;
    const carolToken = box.sandbox.admin.createApiToken({ userId: carol.id }).token;
    for (const realm of [ALLOWED, OTHER]) await api('PUT', '/vault/keys/k', { token: carolToken, body: { value: realm }, query: { realm_id: realm } });
    await api('PUT', '/vault/keys/k', { token: carolToken, body: { value: 'global' } });
    const banned = await box.sandbox.admin.createUser({ username: 'banned' });
    bannedToken = box.sandbox.admin.createApiToken({ userId: banned.id }).token;
    await api('PUT', '/vault/keys/k', { token: bannedToken, body: { value: 'before the ban' } });
    box.sandbox.admin.setUserFlags(banned.id, { isBanned: true });
  });

  const routes: [method: string, path: string, body?: unknown][] = [
    ['GET', '/vault/keys'],
    ['GET', '/vault/keys/k'],
    ['PUT', '/vault/keys/k', { value: 'v2' }],
    ['PATCH', '/vault/keys/k', { value: 'v3' }],
    ['GET', '/vault/stats'],
    ['DELETE', '/vault/keys/nothing-here'],
    ['DELETE', '/vault'],
  ];
  const readOnly = routes.filter(([m]) => m === 'GET');

  it.each(routes)('a token without vault_access gets 403 on %s %s', async (method, path, body) => {
    const res = await api(method, path, { token: noVaultAccess, body, query: { realm_id: ALLOWED } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
  });

  it.each(routes)('a token without permissions.resources.vault gets 403 on %s %s', async (method, path, body) => {
    expect((await api(method, path, { token: noVaultPermission, body })).status).toBe(403);
  });

  it.each(readOnly)('a realm-restricted token reads %s %s only inside its realm', async (method, path) => {
    expect((await api(method, path, { token: restricted, query: { realm_id: ALLOWED } })).status).toBe(200);
    expect((await api(method, path, { token: restricted, query: { realm_id: ALLOWED.toUpperCase() } })).status).toBe(200);
    expect((await api(method, path, { token: restricted, query: { realm_id: OTHER } })).status).toBe(403);
    expect((await api(method, path, { token: restricted })).status).toBe(403);
  });

  it('a realm-restricted token writes only inside its realm, and may name it by Host', async () => {
    expect((await api('PUT', '/vault/keys/k2', { token: restricted, body: { value: 'x' }, query: { realm_id: OTHER } })).status).toBe(403);
    expect((await api('PUT', '/vault/keys/k2', { token: restricted, body: { value: 'x' } })).status).toBe(403);
    expect((await api('DELETE', '/vault', { token: restricted })).status).toBe(403);
    expect((await withHost(box.sandbox, `${ALLOWED}.localhost`, 'PUT', '/vault/keys/k2', restricted, { value: 'x' })).status).toBe(201);
    expect((await withHost(box.sandbox, `${OTHER}.localhost`, 'GET', '/vault/keys/k', restricted)).status).toBe(403);
    const value = (await api('GET', '/vault/keys/k', { token: restricted, query: { realm_id: ALLOWED } })).body.data.value;
    expect(value).toBe(ALLOWED);
  });

  it('a realm-restricted token sees only its realms in GET /realms', async () => {
    const res = await api('GET', '/realms', { token: restricted });
    expect(res.body.data).toEqual({ realm_ids: [ALLOWED], total: 1 });
  });

  it.each(routes)('a banned user may read but not write: %s %s', async (method, path, body) => {
    const res = await api(method, path, { token: bannedToken, body });
    expect(res.status).toBe(method === 'GET' ? 200 : 403);
  });

  it.each(routes)('no token at all gets 401 on %s %s', async (method, path, body) => {
    expect((await api(method, path, { body })).status).toBe(401);
  });
});

describe('quota and stats', () => {
  const small = useSandbox({ vaultLimitMb: 1 });
  const MB = 1024 * 1024;
  let token: string;
  beforeAll(async () => {
    const user = await small.sandbox.admin.createUser();
    token = small.sandbox.admin.createApiToken({ userId: user.id }).token;
  });
  const put = (key: string, value: string, realm?: string, metadata?: unknown) =>
    call(small.sandbox.apiUrl, 'PUT', `/vault/keys/${key}`, { token, body: { value, ...(metadata ? { metadata } : {}) }, ...(realm ? { query: { realm_id: realm } } : {}) });
  const stats = async (realm?: string) => (await call(small.sandbox.apiUrl, 'GET', '/vault/stats', { token, ...(realm ? { query: { realm_id: realm } } : {}) })).body.data;

  it('accepts a value as large as the whole quota, and nothing more', async () => {
    expect((await put('full', 'x'.repeat(MB))).status).toBe(201);
    expect(await stats()).toEqual({ total_keys: 1, total_size_bytes: MB, total_size_mb: 1, limit_mb: 1, used_percentage: 100, remaining_mb: 0 });
    const over = await put('one-more', 'y', REALM_A);
    expect(over.status).toBe(400);
    expect(over.body).toEqual({ statusCode: 400, error: 'VAULT_LIMIT_EXCEEDED', message: expect.any(String) });
    expect((await call(small.sandbox.apiUrl, 'DELETE', '/vault/keys/full', { token })).status).toBe(200);
  });

  it('counts every realm of the account, with a new size replacing the old one', async () => {
    expect((await put('a', 'a'.repeat(MB / 2))).status).toBe(201);
    expect((await put('b', 'b'.repeat(MB / 4), REALM_A)).status).toBe(201);
    const tooBig = await put('c', 'c'.repeat(MB / 4 + 1), REALM_B);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error).toBe('VAULT_LIMIT_EXCEEDED');
    // Replacing "a" (half) with three quarters fits exactly: 3/4 + 1/4 = the limit.
    expect((await put('a', 'a'.repeat((3 * MB) / 4))).status).toBe(200);
    expect((await put('a', 'a'.repeat((3 * MB) / 4 + 1))).body.error).toBe('VAULT_LIMIT_EXCEEDED');
    const metadataCounts = await put('b', 'b'.repeat(MB / 4 - 10), REALM_A, { pad: 'x'.repeat(20) });
    expect(metadataCounts.body.error).toBe('VAULT_LIMIT_EXCEEDED');
    // A refused write leaves the stored entry as it was.
    expect((await call(small.sandbox.apiUrl, 'GET', '/vault/keys/a', { token })).body.data.size_bytes).toBe((3 * MB) / 4);
  });

  it('stats: keys and size of the chosen realm, limit and usage of the whole account', async () => {
    expect(await stats()).toEqual({ total_keys: 1, total_size_bytes: (3 * MB) / 4, total_size_mb: 0.75, limit_mb: 1, used_percentage: 100, remaining_mb: 0 });
    await call(small.sandbox.apiUrl, 'DELETE', '/vault/keys/a', { token });
    expect(await stats(REALM_A)).toEqual({ total_keys: 1, total_size_bytes: MB / 4, total_size_mb: 0.25, limit_mb: 1, used_percentage: 25, remaining_mb: 0.75 });
    expect(await stats(REALM_B)).toEqual({ total_keys: 0, total_size_bytes: 0, total_size_mb: 0, limit_mb: 1, used_percentage: 25, remaining_mb: 0.75 });
  });

  it('the default limit is 50 MB', async () => {
    const res = await api('GET', '/vault/stats', { token: aliceToken });
    expect(res.body.data.limit_mb).toBe(50);
  });
});
