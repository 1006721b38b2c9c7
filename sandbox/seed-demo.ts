import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxAdmin } from './admin.js';
import { DAY_MS, type SandboxContext } from './context.js';
import type { TokenRestrictions } from './db.js';
import { isoNow } from './ids.js';
import { entrySize } from './routes/vault.js';

// Demo data for trying the app by hand: a few users in every interesting state, their tokens,
// realms with vault entries and three weeks of activity. Stored once in the meta table, so a second
// --seed-demo on the same folder only rewrites demo.json (with the current URL) and adds nothing.

export interface DemoUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
  is_admin: boolean;
  is_banned: boolean;
  totp_secret?: string;
  /** With 2FA on: backup codes, each usable once in place of the app's code. */
  backup_codes?: string[];
}

export interface DemoToken {
  token: string;
  user_id: string;
  name: string;
  vault_access: boolean;
  restrictions: TokenRestrictions;
}

export interface DemoRealm {
  id: string;
  name: string;
  owner_id: string;
}

export interface DemoData {
  url: string;
  users: DemoUser[];
  tokens: DemoToken[];
  realms: DemoRealm[];
}

const DEMO_META_KEY = 'demo';
const ACTIVITY_PER_USER = 300;
const ACTIVITY_DAYS = 21;

const PEOPLE = [
  { username: 'admin', password: 'Sandbox-Admin-2026!', isAdmin: true },
  { username: 'alice', password: 'Sandbox-Alice-2026!' },
  { username: 'bob', password: 'Sandbox-Bob-2026!', totp: true },
  { username: 'carol', password: 'Sandbox-Carol-2026!', isBanned: true },
  { username: 'dave', password: 'Sandbox-Dave-2026!', needsAdminRecovery: true },
] as const;

/** A small seeded generator, so every demo folder gets a similar, believable spread. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function writeDemoFile(dataDir: string, demo: DemoData): void {
  writeFileSync(join(dataDir, 'demo.json'), `${JSON.stringify(demo, null, 2)}\n`);
}

export async function seedDemo(ctx: SandboxContext, admin: SandboxAdmin, dataDir: string, url: string): Promise<DemoData> {
  const stored = ctx.db.getMeta(DEMO_META_KEY);
  if (stored) {
    const demo: DemoData = { ...(JSON.parse(stored) as Omit<DemoData, 'url'>), url };
    writeDemoFile(dataDir, demo);
    return { url, users: demo.users, tokens: demo.tokens, realms: demo.realms };
  }

  const users: DemoUser[] = [];
  const tokens: DemoToken[] = [];
  for (const person of PEOPLE) {
    const created = await admin.createUser({
      username: person.username,
      email: `${person.username}@sandbox.hoody.local`,
      password: person.password,
      alias: person.username[0]!.toUpperCase() + person.username.slice(1),
      isAdmin: 'isAdmin' in person,
      isBanned: 'isBanned' in person,
      needsAdminRecovery: 'needsAdminRecovery' in person,
      totp: 'totp' in person,
    });
    const token = admin.createApiToken({ userId: created.id, name: `${person.username} CLI` });
    tokens.push({ token: token.token, user_id: created.id, name: token.name, vault_access: true, restrictions: token.restrictions });
    users.push({
      id: created.id,
      username: created.username,
      email: created.email!,
      password: person.password,
      token: token.token,
      is_admin: created.user.is_admin,
      is_banned: created.user.is_banned,
      ...(created.totpSecret ? { totp_secret: created.totpSecret } : {}),
      ...(created.backupCodes ? { backup_codes: created.backupCodes } : {}),
    });
  }
  const [, alice, bob] = users as [DemoUser, DemoUser, DemoUser, DemoUser, DemoUser];

  const realms: DemoRealm[] = [
    admin.createRealm({ ownerId: alice.id, name: 'Personal' }),
    admin.createRealm({ ownerId: alice.id, name: 'Work' }),
    admin.createRealm({ ownerId: bob.id, name: 'Family' }),
  ].map(({ id, name, owner_id }) => ({ id, name, owner_id }));
  const [personal, work, family] = realms as [DemoRealm, DemoRealm, DemoRealm];

  const workOnly = admin.createApiToken({ userId: alice.id, name: 'Work realm only', allowedRealmIds: [work.id] });
  tokens.push({ token: workOnly.token, user_id: alice.id, name: workOnly.name, vault_access: true, restrictions: workOnly.restrictions });
  const noVault = admin.createApiToken({ userId: bob.id, name: 'Profile only (no vault)', vaultAccess: false });
  tokens.push({ token: noVault.token, user_id: bob.id, name: noVault.name, vault_access: false, restrictions: noVault.restrictions });

  const entries: { userId: string; realmId: string; key: string; value: string; metadata?: Record<string, unknown> }[] = [
    { userId: alice.id, realmId: '', key: 'welcome-note', value: 'Hello from the Hoody sandbox. Values are plain text here.' },
    {
      userId: alice.id,
      realmId: '',
      key: 'api-keys',
      value: '{"api_key": "sk_test_123456", "encrypted": false}',
      metadata: { filename: 'api-keys.json', content_type: 'application/json', purpose: 'Demo API keys' },
    },
    { userId: alice.id, realmId: personal.id, key: 'wifi-password', value: 'correct horse battery staple' },
    { userId: alice.id, realmId: personal.id, key: 'notes.todo', value: '- renew passport\n- call the bank' },
    { userId: alice.id, realmId: work.id, key: 'deploy-token', value: 'dpl_demo_0123456789', metadata: { environment: 'staging' } },
    { userId: alice.id, realmId: work.id, key: 'ssh.config', value: 'Host build\n  HostName 203.0.113.10\n  User ci' },
    { userId: bob.id, realmId: family.id, key: 'alarm-code', value: '4711' },
    { userId: bob.id, realmId: family.id, key: 'streaming_login', value: 'bob@example.com / hunter2' },
    { userId: bob.id, realmId: '', key: 'recipes.pie', value: 'Apples, butter, flour, sugar, cinnamon.' },
    { userId: users[0]!.id, realmId: '', key: 'admin-note', value: 'Remember to rotate the demo tokens.' },
  ];

  ctx.db.transaction(() => {
    const now = isoNow();
    for (const e of entries) {
      const metadata = e.metadata ? JSON.stringify(e.metadata) : null;
      ctx.db.upsertVault({
        user_id: e.userId,
        realm_id: e.realmId,
        key: e.key,
        value: e.value,
        metadata,
        size_bytes: entrySize(e.value, metadata),
        created_at: now,
        updated_at: now,
      });
    }
  });

  seedActivity(admin, users, realms);

  const demo: DemoData = { url, users, tokens, realms };
  ctx.db.setMeta(DEMO_META_KEY, JSON.stringify({ users, tokens, realms }));
  writeDemoFile(dataDir, demo);
  return demo;
}

function seedActivity(admin: SandboxAdmin, users: DemoUser[], realms: DemoRealm[]): void {
  const random = prng(20261126);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const ips = ['203.0.113.7', '203.0.113.42', '198.51.100.23', '192.0.2.150', '2001:db8::17'];
  const agents = ['HoodyVault/0.1.0 (Electron)', 'hoody-cli/1.4.2', 'curl/8.7.1', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'python-requests/2.32.3'];
  const keys = ['welcome-note', 'api-keys', 'wifi-password', 'deploy-token', 'notes.todo', 'missing-key'];
  const now = Date.now();

  for (const user of users) {
    const userRealms = ['', ...realms.filter((r) => r.owner_id === user.id).map((r) => r.id)];
    const key = () => `/api/v1/vault/keys/${pick(keys)}`;
    const calls: [method: string, path: () => string, realmScoped: boolean][] = [
      ['GET', () => '/api/v1/vault/keys', true],
      ['GET', key, true],
      ['PATCH', key, true],
      ['PUT', key, true],
      ['DELETE', key, true],
      ['GET', () => '/api/v1/vault/stats', true],
      ['DELETE', () => '/api/v1/vault', true],
      ['GET', () => '/api/v1/users/me', false],
      ['GET', () => `/api/v1/users/${user.id}`, false],
      ['PATCH', () => `/api/v1/users/${user.id}`, false],
      ['POST', () => '/api/v1/users/me/retry-setup', false],
      ['GET', () => '/api/v1/users/auth/activity', false],
      ['GET', () => '/api/v1/users/auth/activity/stats', false],
      ['GET', () => '/api/v1/realms', false],
      ['POST', () => '/api/v1/users/auth/logout', false],
    ];
    const rows = Array.from({ length: ACTIVITY_PER_USER }, () => {
      const [method, path, realmScoped] = pick(calls);
      const roll = random();
      const ok = method === 'PATCH' || method === 'PUT' ? pick([200, 201]) : 200;
      const statusCode =
        user.is_banned && method !== 'GET' ? 403 : roll < 0.78 ? ok : roll < 0.97 ? pick([400, 401, 403, 404, 404, 429]) : pick([500, 502, 503]);
      return {
        userId: user.id,
        realmId: realmScoped ? pick(userRealms) : '',
        method,
        path: path(),
        statusCode,
        ipAddress: pick(ips),
        userAgent: pick(agents),
        createdAt: now - Math.floor(random() * ACTIVITY_DAYS * DAY_MS),
      };
    });
    admin.addActivity(rows);
  }
}
