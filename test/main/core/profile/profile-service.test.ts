import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { loadSodium } from '../../../../main/core/crypto/sodium.js';
import { realKeychain } from '../../../support/keychain.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The profile and admin operations end to end through the core's dispatcher, against the sandbox.

const sandbox = useSandbox();
const tempDir = useTempDir();

async function signedIn(options: { isAdmin?: boolean; password?: string } = {}) {
  const user = await sandbox().admin.createUser({ isAdmin: options.isAdmin ?? false, ...(options.password ? { password: options.password } : {}) });
  const logs: string[] = [];
  const keychain = await realKeychain();
  const dataDir = await tempDir();
  const core: Core = await createCore({ dataDir, mode: 'serve', version: 't', keychain, engine: { sleep: async () => {} }, log: (level, message) => logs.push(`${level} ${message}`) });
  const result = await core.dispatch('accounts.signInWithPassword', { serverUrl: sandbox().url, login: user.username, password: user.password });
  expect(result).toMatchObject({ ok: true, data: { status: 'signed-in' } });
  return { core, user, logs, keychain, dataDir };
}

describe('profile operations', () => {
  it('reads every field and saves the alias and metadata', async () => {
    const { core, user } = await signedIn();
    expect(await core.dispatch('profile.get', undefined)).toMatchObject({ ok: true, data: { id: user.id, username: user.username, is_admin: false, is_banned: false, created_at: expect.any(String) } });
    expect(await core.dispatch('profile.update', { alias: 'Renamed', metadata: { city: 'Lisbon' } })).toMatchObject({ ok: true, data: { alias: 'Renamed', metadata: { city: 'Lisbon' } } });
    expect(await core.dispatch('accounts.list', undefined)).toMatchObject({ ok: true, data: { accounts: [{ alias: 'Renamed' }] } });
  });

  it('refuses a bad public key at the field before sending it', async () => {
    const { core } = await signedIn();
    expect(await core.dispatch('profile.update', { public_key: 'abc123' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { public_key: expect.stringContaining('64 hexadecimal') } } });
    expect(await core.dispatch('profile.update', { metadata: ['not', 'an', 'object'] })).toMatchObject({ ok: false, error: { fields: { metadata: expect.any(String) } } });
  });

  it('generates an ED25519 key pair with libsodium whose halves belong together', async () => {
    const { core } = await signedIn();
    const result = await core.dispatch('profile.generateKeyPair', undefined);
    expect(result).toMatchObject({ ok: true, data: { publicKey: expect.stringMatching(/^[0-9a-f]{64}$/), privateKey: expect.stringMatching(/^[0-9a-f]{128}$/) } });
    const { publicKey, privateKey } = (result as { data: { publicKey: string; privateKey: string } }).data;
    const sodium = await loadSodium();
    const signature = sodium.crypto_sign_detached('hello', Buffer.from(privateKey, 'hex'));
    expect(sodium.crypto_sign_verify_detached(signature, 'hello', Buffer.from(publicKey, 'hex'))).toBe(true);
    expect(await core.dispatch('profile.update', { public_key: publicKey })).toMatchObject({ ok: true, data: { public_key: publicKey } });
  });

  it("changes the password, with the server's refusal of a wrong current password at that field", async () => {
    const { core, user } = await signedIn({ password: 'Current-Pass-1' });
    expect(await core.dispatch('profile.changePassword', { currentPassword: 'Wrong-Pass-22', newPassword: 'Another-Pass-3' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { currentPassword: expect.any(String) } },
    });
    expect(await core.dispatch('profile.changePassword', { currentPassword: 'Current-Pass-1', newPassword: 'weakpassword' })).toMatchObject({
      ok: false,
      error: { fields: { newPassword: expect.stringContaining('3 of') } },
    });
    expect(await core.dispatch('profile.changePassword', { currentPassword: 'Current-Pass-1', newPassword: 'Another-Pass-3' })).toMatchObject({ ok: true });
    const login = await fetch(`${sandbox().apiUrl}/users/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user.username, password: 'Another-Pass-3' }) });
    expect(login.status).toBe(200);
  });

  it('retries setup, then reports the wait on a 429', async () => {
    const { core } = await signedIn();
    expect(await core.dispatch('profile.retrySetup', { region: 'eu-west-1' })).toMatchObject({ ok: true, data: { blocked_reason: null } });
    expect(await core.dispatch('profile.retrySetup', {})).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    expect(await core.dispatch('profile.retrySetup', { region: 'EU WEST' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { region: expect.any(String) } } });
  });

  it('keeps the tokens in the keychain only: not in the data folder, not in the logs', async () => {
    const { core, logs, keychain, dataDir, user } = await signedIn();
    sandbox().faults.expireAccessTokens(); // a refresh too, so the rotated tokens are checked as well
    await core.dispatch('profile.get', undefined);
    const stored = JSON.parse((await keychain.get(core.accounts.active()!.id))!) as { token: string; refreshToken: string };
    const { readdir, readFile, stat } = await import('node:fs/promises');
    const { join } = await import('node:path');
    let onDisk = '';
    for (const entry of await readdir(dataDir, { recursive: true })) {
      const path = join(dataDir, entry);
      if ((await stat(path)).isFile()) onDisk += await readFile(path, 'latin1');
    }
    expect(onDisk).toContain(user.id); // the account list is there…
    for (const secret of [stored.token, stored.refreshToken, user.password]) {
      expect(onDisk).not.toContain(secret); // …but no secret
      expect(logs.join('\n')).not.toContain(secret);
    }
    await keychain.delete(core.accounts.active()!.id);
  });
});

describe('admin operations', () => {
  it('opens any user by id, edits them, and bans a regular user (who can then only read)', async () => {
    const { core } = await signedIn({ isAdmin: true });
    const target = await sandbox().admin.createUser();
    expect(await core.dispatch('users.get', { id: target.id })).toMatchObject({ ok: true, data: { id: target.id, username: target.username } });
    expect(await core.dispatch('users.update', { id: target.id, alias: 'Edited by admin', metadata: { tier: 'gold' } })).toMatchObject({ ok: true, data: { alias: 'Edited by admin' } });
    expect(await core.dispatch('users.update', { id: target.id, is_banned: true })).toMatchObject({ ok: true, data: { is_banned: true } });
    const { token } = sandbox().admin.createApiToken({ userId: target.id, vaultAccess: true });
    const write = await fetch(`${sandbox().apiUrl}/users/${target.id}`, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"alias":"x"}' });
    expect(write.status).toBe(403);
    const read = await fetch(`${sandbox().apiUrl}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
  });

  it('refuses to ban an admin, naming the rule, before asking the server', async () => {
    const { core } = await signedIn({ isAdmin: true });
    const otherAdmin = await sandbox().admin.createUser({ isAdmin: true });
    expect(await core.dispatch('users.update', { id: otherAdmin.id, is_banned: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('Admin users cannot be banned'), fields: { is_banned: expect.any(String) } },
    });
    expect(sandbox().admin.getUser(otherAdmin.id)?.is_banned).toBe(false);
    expect(await core.dispatch('users.get', { id: '0123456789abcdef01234567' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('keeps other users closed to non-admins', async () => {
    const { core } = await signedIn();
    const other = await sandbox().admin.createUser();
    expect(await core.dispatch('users.get', { id: other.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
