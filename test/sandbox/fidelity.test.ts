import { beforeAll, describe, expect, it } from 'vitest';
import type { CreatedUser } from '../../sandbox/server.js';
import { call, hex24, useSandbox } from './client.js';

// Where the sandbox met Hoody's official CLI: realm usage, and one rule for unknown query
// parameters on every route (sandbox/README.md, "Where the documents were silent").

const box = useSandbox({ faults: true });
const api = box.api;

let user: CreatedUser;
let jwt: string;
const OWNED = hex24(0x0a1);
const VAULT_ONLY = hex24(0x0b2);

beforeAll(async () => {
  user = await box.sandbox.admin.createUser({ username: 'usage' });
  jwt = box.sandbox.admin.signIn(user.id).token;
  box.sandbox.admin.createRealm({ ownerId: user.id, id: OWNED, name: 'Owned' });
  box.sandbox.admin.createApiToken({ userId: user.id, allowedRealmIds: [OWNED] });
  box.sandbox.admin.createApiToken({ userId: user.id, allowedRealmIds: [OWNED, VAULT_ONLY] });
  box.sandbox.admin.createApiToken({ userId: user.id });
  expect((await api('PATCH', `/vault/keys/k`, { token: jwt, query: { realm_id: VAULT_ONLY }, body: { value: 'v' } })).status).toBe(201);
});

describe('GET /realms/?include_usage=true', () => {
  it('adds a usage object to data, keyed by realm id, with the counts the SDK names', async () => {
    const res = await api('GET', '/realms/', { token: jwt, query: { include_usage: 'true' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      realm_ids: [OWNED, VAULT_ONLY],
      total: 2,
      usage: {
        [OWNED]: { projects: 1, containers: 0, servers: 0, auth_tokens: 2 },
        [VAULT_ONLY]: { projects: 0, containers: 0, servers: 0, auth_tokens: 1 },
      },
    });
  });

  it('leaves usage out when not asked for, or asked with false', async () => {
    for (const query of [{}, { include_usage: 'false' }] as Array<Record<string, string>>) {
      const res = await api('GET', '/realms/', { token: jwt, query });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ realm_ids: [OWNED, VAULT_ONLY], total: 2 });
    }
  });

  it('refuses an include_usage that is not a boolean, naming it', async () => {
    const res = await api('GET', '/realms/', { token: jwt, query: { include_usage: 'yes' } });
    expect(res.status).toBe(400);
    expect(res.body.data[0]).toMatchObject({ instancePath: '/include_usage' });
  });

  it('counts only the realms a restricted token may see', async () => {
    const restricted = box.sandbox.admin.createApiToken({ userId: user.id, allowedRealmIds: [VAULT_ONLY] }).token;
    const res = await api('GET', '/realms', { token: restricted, query: { include_usage: true } });
    expect(res.body.data).toEqual({ realm_ids: [VAULT_ONLY], total: 1, usage: { [VAULT_ONLY]: { projects: 0, containers: 0, servers: 0, auth_tokens: 2 } } });
  });
});

describe('unknown query parameters: one rule on every route', () => {
  it('every route answers 400 naming the parameter, before anything else is done', async () => {
    const routes = box.sandbox.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    // The sandbox's own route list: a route added later is covered without touching this test.
    expect(routes.length).toBeGreaterThan(20);
    const answers: string[] = [];
    for (const route of routes) {
      const path = route.url.replace(':id', user.id).replace(':key', 'some-key');
      const res = await call(box.sandbox.url, route.method, path, { token: jwt, query: { bogus_param: '1' } });
      answers.push(`${route.method} ${route.url} → ${res.status} ${res.body?.data?.[0]?.params?.additionalProperty ?? ''}`);
      expect([route.method, route.url, res.status, res.body?.data?.[0]?.params?.additionalProperty]).toEqual([route.method, route.url, 400, 'bogus_param']);
      expect(res.body.message).toMatch(/^querystring\/bogus_param: not a parameter of this route \(it takes /);
    }
    console.log(`unknown query parameter on every route:\n  ${answers.join('\n  ')}`);
    // Nothing was done: the vault entry is still there after DELETE /vault?bogus_param=1.
    expect((await api('GET', '/vault/keys/k', { token: jwt, query: { realm_id: VAULT_ONLY } })).status).toBe(200);
  });

  it('a misspelt realm_id on a vault write is refused, not written to the global scope', async () => {
    const res = await api('PATCH', '/vault/keys/misspelt', { token: jwt, query: { realmId: OWNED }, body: { value: 'secret' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('querystring/realmId: not a parameter of this route (it takes realm_id)');
    expect((await api('GET', '/vault/keys/misspelt', { token: jwt })).status).toBe(404);
  });

  it('known parameters still work on the routes that take them', async () => {
    expect((await api('GET', '/vault/keys', { token: jwt, query: { realm_id: VAULT_ONLY } })).status).toBe(200);
    expect((await api('GET', '/users/auth/activity', { token: jwt, query: { limit: 10 } })).status).toBe(200);
    expect((await api('GET', '/users/me', { token: jwt })).status).toBe(200);
  });
});
