import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountsState } from '../../../../common/accounts.js';
import { AccountsService } from '../../../../main/core/accounts/accounts-service.js';
import type { SecretStore } from '../../../../main/core/accounts/secret-store.js';
import { realKeychain } from '../../../support/keychain.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

const sandbox = useSandbox();
const tempDir = useTempDir();

async function setup(keychain?: SecretStore | null) {
  const dataDir = await tempDir();
  const store = keychain === null ? undefined : (keychain ?? (await realKeychain()));
  const changes: AccountsState[] = [];
  const make = () =>
    new AccountsService({ dataDir, keychain: store, keychainProblem: 'no Secret Service is running', engine: { sleep: async () => {} }, onChange: (s) => changes.push(s) });
  const accounts = make();
  await accounts.load();
  return { dataDir, store, accounts, make, changes };
}

/** Every file under a folder, read as text: to prove no secret ever reaches the disk. */
async function allFileText(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) text += await readFile(path, 'latin1');
  }
  return text;
}

describe('Accounts', () => {
  it('signs in with an API token, keeps it in the keychain, and a restart brings the user back signed in', async () => {
    const user = await sandbox().admin.createUser({ alias: 'Token User' });
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const { accounts, make, store, dataDir } = await setup();
    const result = await accounts.signInWithToken({ serverUrl: sandbox().url, token });
    expect(result).toMatchObject({ status: 'signed-in', account: { userId: user.id, username: user.username, alias: 'Token User', kind: 'api-token', storage: 'keychain', status: 'signed-in' } });
    const id = result.status === 'signed-in' ? result.account.id : '';
    expect(id).toBe(`${user.id}@${new URL(sandbox().url).host}`);
    expect(await store!.get(id)).toContain(token);
    expect(await allFileText(dataDir)).not.toContain(token);

    const restarted = make();
    const state = await restarted.load();
    expect(state).toMatchObject({ activeId: id, accounts: [{ id, status: 'signed-in', storage: 'keychain' }] });
    expect((await restarted.client().me()).id).toBe(user.id);
  });

  it('refuses a token the server does not accept, and keeps nothing', async () => {
    const { accounts, dataDir } = await setup();
    await expect(accounts.signInWithToken({ serverUrl: sandbox().url, token: 'hdy_wrong_token_123' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(accounts.state().accounts).toEqual([]);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('signs in with a password and with the TOTP step; the temporary token never leaves main', async () => {
    const plain = await sandbox().admin.createUser({ password: 'Pass-Word-123' });
    const twoFactor = await sandbox().admin.createUser({ password: 'Pass-Word-456', totp: true });
    const { accounts, store } = await setup();
    const first = await accounts.signInWithPassword({ serverUrl: sandbox().url, login: plain.username, password: 'Pass-Word-123' });
    expect(first).toMatchObject({ status: 'signed-in', account: { kind: 'session', userId: plain.id } });
    const challenge = await accounts.signInWithPassword({ serverUrl: sandbox().url, login: twoFactor.email!, password: 'Pass-Word-456' });
    expect(challenge).toEqual({ status: 'two-factor', challengeId: expect.any(String), method: 'totp' });
    expect(JSON.stringify(challenge)).not.toMatch(/temp_token|eyJ/);
    const challengeId = challenge.status === 'two-factor' ? challenge.challengeId : '';
    await expect(accounts.verifyTwoFactor({ challengeId, code: '000000' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', fields: { code: expect.any(String) } });
    const done = await accounts.verifyTwoFactor({ challengeId, code: sandbox().admin.totpCode(twoFactor.id) });
    expect(done).toMatchObject({ status: 'signed-in', account: { userId: twoFactor.id } });
    // Several accounts at once; the last one signed in is active.
    expect(accounts.state().accounts.map((a) => a.userId).sort()).toEqual([plain.id, twoFactor.id].sort());
    expect(accounts.active()?.userId).toBe(twoFactor.id);
    const stored = JSON.parse((await store!.get(accounts.active()!.id))!);
    expect(stored).toMatchObject({ kind: 'session', token: expect.any(String), refreshToken: expect.any(String) });
    await expect(accounts.verifyTwoFactor({ challengeId, code: '123456' })).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
  });

  it('switches between accounts and signs out one, deleting its keychain entry and local data', async () => {
    const a = await sandbox().admin.createUser();
    const b = await sandbox().admin.createUser();
    const { accounts, store, make } = await setup();
    const tokenA = sandbox().admin.createApiToken({ userId: a.id, vaultAccess: true }).token;
    const tokenB = sandbox().admin.createApiToken({ userId: b.id, vaultAccess: true }).token;
    const idA = ((await accounts.signInWithToken({ serverUrl: sandbox().url, token: tokenA })) as { account: { id: string } }).account.id;
    const idB = ((await accounts.signInWithToken({ serverUrl: sandbox().url, token: tokenB })) as { account: { id: string } }).account.id;
    expect((await accounts.client().me()).id).toBe(b.id);
    await accounts.switchTo(idA);
    expect((await accounts.client().me()).id).toBe(a.id);
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(accounts.accountDataDir(idA), { recursive: true });
    await writeFile(join(accounts.accountDataDir(idA), 'cache.bin'), 'x');
    const state = await accounts.signOut(idA);
    expect(state.accounts.map((x) => x.id)).toEqual([idB]);
    expect(state.activeId).toBe(idB);
    expect(await store!.get(idA)).toBeNull();
    await expect(stat(accounts.accountDataDir(idA))).rejects.toThrow();
    const restarted = make();
    expect((await restarted.load()).accounts.map((x) => x.id)).toEqual([idB]);
    await store!.delete(idB);
  });

  it('marks the account expired when the server stops accepting it, and signing in again restores it', async () => {
    const user = await sandbox().admin.createUser({ password: 'Expire-Me-123' });
    const { accounts } = await setup();
    await accounts.signInWithPassword({ serverUrl: sandbox().url, login: user.username, password: 'Expire-Me-123' });
    sandbox().faults.expireAccessTokens();
    sandbox().faults.add({ path: '/api/v1/users/auth/refresh', status: 401, times: 1 });
    await expect(accounts.client().me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(accounts.active()?.status).toBe('expired');
    expect(() => accounts.client()).toThrow(/expired/);
    await accounts.signInWithPassword({ serverUrl: sandbox().url, login: user.username, password: 'Expire-Me-123' });
    expect(accounts.active()?.status).toBe('signed-in');
    expect(accounts.state().accounts).toHaveLength(1);
  });

  it('without a keychain, says so and signs in only for the session, writing nothing', async () => {
    const user = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const { accounts, make, dataDir } = await setup(null);
    expect(accounts.state().keychain).toEqual({ available: false, reason: 'no Secret Service is running' });
    await expect(accounts.signInWithToken({ serverUrl: sandbox().url, token })).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: expect.stringContaining('this session only'),
    });
    const result = await accounts.signInWithToken({ serverUrl: sandbox().url, token, sessionOnly: true });
    expect(result).toMatchObject({ status: 'signed-in', account: { storage: 'memory' } });
    expect((await accounts.client().me()).id).toBe(user.id);
    expect(await allFileText(dataDir)).not.toContain(token);
    expect((await make().load()).accounts).toEqual([]);
  });

  it('persists a rotated refresh token to the keychain before using it', async () => {
    const user = await sandbox().admin.createUser({ password: 'Rotate-Me-123' });
    const { accounts, store } = await setup();
    await accounts.signInWithPassword({ serverUrl: sandbox().url, login: user.username, password: 'Rotate-Me-123' });
    const id = accounts.active()!.id;
    const before = JSON.parse((await store!.get(id))!);
    sandbox().faults.expireAccessTokens();
    await accounts.client().me();
    const after = JSON.parse((await store!.get(id))!);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    await store!.delete(id);
  });

  it('asks before a second token for the same user replaces the first, and replaces it only when told', async () => {
    const user = await sandbox().admin.createUser();
    const first = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const second = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true, name: 'second' });
    const { accounts, changes } = await setup(null);
    await accounts.signInWithToken({ serverUrl: sandbox().url, token: first.token, sessionOnly: true });
    const id = accounts.active()!.id;
    const asked = await accounts.signInWithToken({ serverUrl: sandbox().url, token: second.token, sessionOnly: true });
    expect(asked).toMatchObject({ status: 'already-signed-in', account: { id, kind: 'api-token' }, newKind: 'api-token' });
    expect(changes).toHaveLength(1);
    // Nothing changed: the first token is still the one in use (revoking it would now break the client).
    const replaced = await accounts.signInWithToken({ serverUrl: sandbox().url, token: second.token, sessionOnly: true, replace: true });
    expect(replaced).toMatchObject({ status: 'signed-in', account: { id } });
    expect(accounts.state().accounts).toHaveLength(1);
    expect(changes).toHaveLength(2);
  });

  it('emits accounts.changed on every change', async () => {
    const user = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const { accounts, changes, store } = await setup();
    await accounts.signInWithToken({ serverUrl: sandbox().url, token });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.accounts).toHaveLength(1);
    await accounts.signOut(accounts.active()!.id);
    expect(changes).toHaveLength(2);
    expect(changes[1]!.accounts).toHaveLength(0);
    expect(await store!.get(`${user.id}@${new URL(sandbox().url).host}`)).toBeNull();
  });
});
