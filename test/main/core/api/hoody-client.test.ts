import { describe, expect, it } from 'vitest';
import { HoodyClient, login, verifyTwoFactor } from '../../../../main/core/api/hoody-client.js';
import { HttpEngine } from '../../../../main/core/api/http.js';
import { AuthSession } from '../../../../main/core/api/session.js';
import { useSandbox } from '../../../support/sandbox.js';

const sandbox = useSandbox();

async function clientFor(options: { isAdmin?: boolean } = {}) {
  const user = await sandbox().admin.createUser({ isAdmin: options.isAdmin ?? false });
  const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
  const engine = new HttpEngine({ baseUrl: sandbox().url, sleep: async () => {} });
  return { user, client: new HoodyClient(new AuthSession(engine, { kind: 'api-token', token })) };
}

describe('HoodyClient', () => {
  it('signs in with username or email, and through the TOTP step', async () => {
    const engine = new HttpEngine({ baseUrl: sandbox().url });
    const plain = await sandbox().admin.createUser({ password: 'Plain-Password-1' });
    expect(await login(engine, { login: plain.username, password: 'Plain-Password-1' })).toMatchObject({ kind: 'tokens', tokens: { token: expect.any(String), refreshToken: expect.any(String) } });
    expect(await login(engine, { login: plain.email!, password: 'Plain-Password-1' })).toMatchObject({ kind: 'tokens' });
    await expect(login(engine, { login: plain.username, password: 'wrong-password' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/attempts? left/) });
    const twoFactor = await sandbox().admin.createUser({ password: 'Second-Factor-2', totp: true });
    const answer = await login(engine, { login: twoFactor.username, password: 'Second-Factor-2' });
    expect(answer.kind).toBe('two-factor');
    const challenge = answer.kind === 'two-factor' ? answer.challenge : undefined!;
    await expect(verifyTwoFactor(engine, { temp_token: challenge.temp_token, code: '000000' })).rejects.toMatchObject({ status: 401 });
    const tokens = await verifyTwoFactor(engine, { temp_token: challenge.temp_token, code: sandbox().admin.totpCode(twoFactor.id) });
    expect(tokens.token).toBeTruthy();
  });

  it('reads the profile and updates it with PATCH', async () => {
    const { user, client } = await clientFor();
    expect((await client.me()).id).toBe(user.id);
    expect((await client.getUser(user.id)).username).toBe(user.username);
    const updated = await client.updateUser(user.id, { alias: 'New Alias', metadata: { team: 'blue' } });
    expect(updated).toMatchObject({ alias: 'New Alias', metadata: { team: 'blue' } });
  });

  it.each([404, 405])('sends the update once more as PUT when PATCH answers %i', async (status) => {
    const { user, client } = await clientFor();
    const fault = sandbox().faults.add({ method: 'PATCH', path: `/api/v1/users/${user.id}`, status, times: 5 });
    const updated = await client.updateUser(user.id, { alias: `via PUT ${status}` });
    expect(updated.alias).toBe(`via PUT ${status}`);
    // Exactly one PATCH was tried before the PUT.
    expect(sandbox().faults.list().find((f) => f.id === fault.id)?.remaining).toBe(4);
    sandbox().faults.clear();
  });

  it('refuses what the API would refuse before sending it, naming the field', async () => {
    const { user, client } = await clientFor();
    await expect(client.updateUser(user.id, { alias: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT', fields: { alias: expect.any(String) } });
    await expect(client.updateUser(user.id, { public_key: 'abc' })).rejects.toMatchObject({ fields: { public_key: expect.stringContaining('64') } });
    await expect(client.updateUser(user.id, { password: 'Abcdefgh1234' })).rejects.toMatchObject({ fields: { current_password: expect.any(String) } });
    await expect(client.getUser('not-an-id')).rejects.toMatchObject({ fields: { id: expect.any(String) } });
    await expect(client.retrySetup('US_EAST')).rejects.toMatchObject({ fields: { region: expect.any(String) } });
    await expect(client.activity({ limit: 500 })).rejects.toMatchObject({ fields: { limit: expect.any(String) } });
    await expect(client.getKey('bad key')).rejects.toMatchObject({ fields: { key: expect.any(String) } });
  });

  it("shows the server's own refusal at the field: a wrong current password", async () => {
    const user = await sandbox().admin.createUser({ password: 'Original-Pass-1' });
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const client = new HoodyClient(new AuthSession(new HttpEngine({ baseUrl: sandbox().url }), { kind: 'api-token', token }));
    await expect(client.updateUser(user.id, { password: 'Brand-New-Pass-2', current_password: 'Not-The-Password' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      status: 400,
      fields: { current_password: expect.any(String) },
    });
    await client.updateUser(user.id, { password: 'Brand-New-Pass-2', current_password: 'Original-Pass-1' });
    expect(await login(new HttpEngine({ baseUrl: sandbox().url }), { login: user.username, password: 'Brand-New-Pass-2' })).toMatchObject({ kind: 'tokens' });
  });

  it('retry-setup answers, then a 429 with the wait', async () => {
    const { client } = await clientFor();
    const first = await client.retrySetup('us-east-1');
    expect(first).toMatchObject({ blocked_reason: null });
    expect(first.server).toBeTruthy();
    await expect(client.retrySetup()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });

  it('reads activity tolerantly, with paging metadata', async () => {
    const { client } = await clientFor();
    await client.me();
    await client.me();
    const page = await client.activity({ limit: 1 });
    expect(page.records).toHaveLength(1);
    expect(page.metadata.limit).toBe(1);
    expect(page.metadata.total).toBeGreaterThanOrEqual(2);
    expect(page.records[0]).toMatchObject({ method: 'GET', status_code: 200 });
  });

  it('covers the vault endpoints', async () => {
    const { user, client } = await clientFor();
    const realm = sandbox().admin.createRealm({ ownerId: user.id, name: 'Work' });
    expect(await client.setKey('api-key', { value: 'v1', metadata: { note: 'n' } }, realm.id.toUpperCase())).toMatchObject({ created: true, entry: { key: 'api-key', realm_id: realm.id } });
    expect(await client.setKey('api-key', { value: 'v2' }, realm.id)).toMatchObject({ created: false });
    expect((await client.getKey('api-key', realm.id)).value).toBe('v2');
    expect(await client.listKeys(realm.id)).toEqual([expect.objectContaining({ key: 'api-key', size_bytes: 2 })]);
    expect(await client.listKeys()).toEqual([]);
    expect(await client.realms()).toContain(realm.id);
    expect(await client.vaultStats(realm.id)).toMatchObject({ total_keys: 1, total_size_bytes: 2 });
    expect(await client.clearVault(realm.id)).toBe(1);
    await expect(client.deleteKey('api-key', realm.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives back the very same frozen key listing for an answer byte for byte the same as the last, per scope', async () => {
    const { client } = await clientFor();
    await client.setKey('alpha', { value: 'one' });
    const first = await client.listKeys();
    expect(first.map((e) => e.key)).toEqual(['alpha']);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    expect(await client.listKeys()).toBe(first);
    // Another scope is another answer, kept apart.
    const realmId = 'a1a1a1a1a1a1a1a1a1a1a1a1';
    await client.setKey('in-realm', { value: 'two' }, realmId);
    const inRealm = await client.listKeys(realmId);
    expect(inRealm.map((e) => e.key)).toEqual(['in-realm']);
    expect(await client.listKeys()).toBe(first);
    // A change on the server is a new answer.
    await client.setKey('beta', { value: 'three' });
    const after = await client.listKeys();
    expect(after).not.toBe(first);
    expect(after.map((e) => e.key).sort()).toEqual(['alpha', 'beta']);
    expect(await client.listKeys(realmId)).toBe(inRealm);
  });

  it('refuses a key listing that is not the API envelope, as any other answer', async () => {
    const engine = new HttpEngine({ baseUrl: 'http://api.example.test', fetch: async () => new Response('{"keys":[]}', { status: 200, headers: { 'content-type': 'application/json' } }) });
    const client = new HoodyClient(new AuthSession(engine, { kind: 'api-token', token: 'hoody_token' }));
    await expect(client.listKeys()).rejects.toMatchObject({ code: 'SERVER_ERROR', message: expect.stringContaining('api.example.test') });
  });
});
