import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStrongEnoughPassword } from '../../common/rules.js';
import { totpCode } from '../../sandbox/auth/totp.js';
import { startSandbox, type DemoData, type Sandbox } from '../../sandbox/server.js';
import { useTempDir } from '../support/temp-dir.js';
import { call, hex24 } from './client.js';

const tempDir = useTempDir();

async function withSandbox<T>(options: Parameters<typeof startSandbox>[0], work: (s: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox(options);
  try {
    return await work(sandbox);
  } finally {
    await sandbox.close();
  }
}

describe('persistence', () => {
  it('keeps users, tokens, sessions, vault entries and activity across a restart on the same folder', async () => {
    const dataDir = await tempDir();
    const realm = hex24(0x42);
    const before = await withSandbox({ dataDir }, async (s) => {
      const user = await s.admin.createUser({ username: 'persisted' });
      const apiToken = s.admin.createApiToken({ userId: user.id }).token;
      const login = (await call(s.apiUrl, 'POST', '/users/auth/login', { body: { username: 'persisted', password: user.password } })).body.data;
      await call(s.apiUrl, 'PUT', '/vault/keys/kept', { token: apiToken, body: { value: 'still here', metadata: { a: 1 } }, query: { realm_id: realm } });
      await call(s.apiUrl, 'POST', '/users/me/retry-setup', { token: apiToken, body: {} });
      return { user, apiToken, login, url: s.url };
    });
    expect(existsSync(join(dataDir, 'sandbox.sqlite'))).toBe(true);

    await withSandbox({ dataDir }, async (s) => {
      // The JWT signing secret is in the database, so a token from before the restart still verifies.
      expect((await call(s.apiUrl, 'GET', '/users/me', { token: before.login.token })).body.data.username).toBe('persisted');
      const entry = await call(s.apiUrl, 'GET', '/vault/keys/kept', { token: before.apiToken, query: { realm_id: realm } });
      expect(entry.body.data).toMatchObject({ value: 'still here', metadata: { a: 1 }, realm_id: realm });
      const refreshed = await call(s.apiUrl, 'POST', '/users/auth/refresh', { token: before.login.refreshToken, body: { refreshToken: before.login.refreshToken } });
      expect(refreshed.status).toBe(200);
      // The retry-setup minute is remembered too.
      expect((await call(s.apiUrl, 'POST', '/users/me/retry-setup', { token: before.apiToken, body: {} })).status).toBe(429);
      const log = await call(s.apiUrl, 'GET', '/users/auth/activity', { token: before.apiToken });
      expect(log.body.data.map((r: { path: string }) => r.path)).toEqual(
        expect.arrayContaining(['/api/v1/vault/keys/kept', '/api/v1/users/me/retry-setup', '/api/v1/users/me']),
      );
      expect((await call(s.apiUrl, 'GET', '/realms', { token: before.apiToken })).body.data.realm_ids).toEqual([realm]);
    });
  });

  it('deletes activity older than the retention window when it starts', async () => {
    const dataDir = await tempDir();
    const userId = await withSandbox({ dataDir, retentionDays: 30 }, async (s) => {
      const user = await s.admin.createUser();
      s.admin.addActivity([{ userId: user.id, createdAt: Date.now() - 10 * 86_400_000 }]);
      return user.id;
    });
    await withSandbox({ dataDir, retentionDays: 5 }, async (s) => {
      expect(s.admin.pruneActivity()).toBe(0);
      const token = s.admin.createApiToken({ userId }).token;
      const stats = await call(s.apiUrl, 'GET', '/users/auth/activity/stats', { token });
      expect(stats.body.data).toMatchObject({ total_records: 0, retention_days: 5 });
    });
  });

  it('removes its own temporary folder on close, and never a folder it was given', async () => {
    const own = await startSandbox();
    expect(existsSync(join(own.dataDir, 'sandbox.sqlite'))).toBe(true);
    await own.close();
    expect(existsSync(own.dataDir)).toBe(false);
    const dataDir = await tempDir();
    await withSandbox({ dataDir }, async () => undefined);
    expect(existsSync(join(dataDir, 'sandbox.sqlite'))).toBe(true);
  });
});

describe('--seed-demo', () => {
  it('seeds users, tokens, realms, vault entries and activity, writes demo.json, and is idempotent', async () => {
    const dataDir = await tempDir();
    const counts = async (s: Sandbox, demo: DemoData) => {
      const out: Record<string, unknown> = {};
      for (const user of demo.users) {
        const stats = await call(s.apiUrl, 'GET', '/users/auth/activity/stats', { token: user.token });
        const keys = await call(s.apiUrl, 'GET', '/vault/stats', { token: user.token });
        const realms = await call(s.apiUrl, 'GET', '/realms', { token: user.token });
        out[user.username] = { records: stats.body.data.total_records, keys: keys.body.data.total_keys, realms: realms.body.data.realm_ids };
      }
      return out;
    };

    const first = await withSandbox({ dataDir, seedDemo: true }, async (s) => {
      const demo = s.demo!;
      expect(JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'))).toEqual(demo);
      expect(demo.url).toBe(s.url);
      expect(Object.keys(demo).sort()).toEqual(['realms', 'tokens', 'url', 'users']);

      const admins = demo.users.filter((u) => u.is_admin);
      const banned = demo.users.filter((u) => u.is_banned);
      const regular = demo.users.filter((u) => !u.is_admin && !u.is_banned);
      expect(admins).toHaveLength(1);
      expect(banned).toHaveLength(1);
      expect(regular.length).toBeGreaterThanOrEqual(2);
      expect(regular.filter((u) => u.totp_secret)).toHaveLength(1);
      for (const user of demo.users) {
        expect(user).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{24}$/), username: expect.any(String), email: expect.any(String), token: expect.stringMatching(/^hdy_/) });
        expect(isStrongEnoughPassword(user.password)).toBe(true);
        const me = await call(s.apiUrl, 'GET', '/users/me', { token: user.token });
        expect(me.body.data).toMatchObject({ id: user.id, is_admin: user.is_admin, is_banned: user.is_banned });
        expect(me.body.data.auth_token.vault_access).toBe(true);
      }

      const restricted = demo.tokens.filter((t) => t.restrictions.has_realm_restrictions);
      expect(restricted).toHaveLength(1);
      expect(restricted[0]!.restrictions).toMatchObject({ requires_realm_scope: true, allowed_realm_ids: [expect.any(String)] });
      expect((await call(s.apiUrl, 'GET', '/vault/keys', { token: restricted[0]!.token })).status).toBe(403);
      const realmKeys = await call(s.apiUrl, 'GET', '/vault/keys', { token: restricted[0]!.token, query: { realm_id: restricted[0]!.restrictions.allowed_realm_ids[0]! } });
      expect(realmKeys.body.data.length).toBeGreaterThan(0);
      const noVault = demo.tokens.filter((t) => !t.vault_access);
      expect(noVault).toHaveLength(1);
      expect((await call(s.apiUrl, 'GET', '/vault/keys', { token: noVault[0]!.token })).status).toBe(403);

      expect(demo.realms).toHaveLength(3);
      for (const realm of demo.realms) {
        const owner = demo.users.find((u) => u.id === realm.owner_id)!;
        const keys = await call(s.apiUrl, 'GET', '/vault/keys', { token: owner.token, query: { realm_id: realm.id } });
        expect(keys.body.data.length).toBeGreaterThan(0);
        const one = await call(s.apiUrl, 'GET', `/vault/keys/${keys.body.data[0].key}`, { token: owner.token, query: { realm_id: realm.id } });
        expect(typeof one.body.data.value).toBe('string');
      }

      const spread = await call(s.apiUrl, 'GET', '/users/auth/activity', { token: regular[0]!.token, query: { limit: 100 } });
      expect(spread.body.metadata.total).toBeGreaterThanOrEqual(200);
      const all = [spread.body.data, (await call(s.apiUrl, 'GET', '/users/auth/activity', { token: regular[0]!.token, query: { limit: 100, page: 2 } })).body.data].flat();
      expect(new Set(all.map((r: { method: string }) => r.method)).size).toBeGreaterThanOrEqual(4);
      expect(all.some((r: { status_code: number }) => r.status_code >= 400 && r.status_code < 500)).toBe(true);
      expect(all.some((r: { status_code: number }) => r.status_code >= 500)).toBe(true);
      expect(new Set(all.map((r: { ip_address: string }) => r.ip_address)).size).toBeGreaterThan(1);
      expect(new Set(all.map((r: { realm_id: string }) => r.realm_id)).size).toBeGreaterThan(1);
      const oldest = await call(s.apiUrl, 'GET', '/users/auth/activity/stats', { token: regular[0]!.token });
      expect(Date.now() - Date.parse(oldest.body.data.oldest_record)).toBeGreaterThan(14 * 86_400_000);

      // Demo passwords sign in, and the TOTP user completes 2FA with the published secret.
      const totpUser = regular.find((u) => u.totp_secret)!;
      const step = await call(s.apiUrl, 'POST', '/users/auth/login', { body: { username: totpUser.username, password: totpUser.password } });
      expect(step.body.data.requires_2fa).toBe(true);
      const verified = await call(s.apiUrl, 'POST', '/users/auth/2fa/verify', { body: { temp_token: step.body.data.temp_token, code: totpCode(totpUser.totp_secret!) } });
      expect(verified.status).toBe(200);
      return { demo, counts: await counts(s, demo) };
    });

    await withSandbox({ dataDir, seedDemo: true }, async (s) => {
      expect(s.demo).toEqual({ ...first.demo, url: s.url });
      expect(JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'))).toEqual(s.demo);
      const again = await counts(s, s.demo!);
      // Only the calls made by `counts` itself were added (three per user per run).
      for (const [name, c] of Object.entries(again) as [string, { records: number }][]) {
        const was = first.counts[name] as { records: number };
        expect({ ...c, records: c.records - 3 }).toEqual({ ...was, records: was.records });
      }
    });
  });
});
