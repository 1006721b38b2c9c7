import Database from 'better-sqlite3';
import { join } from 'node:path';
import { isoNow, newId, randomSecret } from './ids.js';

// One SQLite file per sandbox (DIR/sandbox.sqlite, WAL). Everything the server knows lives here,
// including the JWT signing secret, so tokens and data survive a restart.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email TEXT UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  alias TEXT,
  public_key TEXT,
  metadata TEXT,
  is_admin INTEGER NOT NULL DEFAULT 0,
  is_banned INTEGER NOT NULL DEFAULT 0,
  email_verified INTEGER NOT NULL DEFAULT 0,
  avatar_url TEXT,
  signup_method TEXT,
  free_tier_unlocked INTEGER NOT NULL DEFAULT 0,
  onboarding TEXT,
  needs_admin_recovery INTEGER NOT NULL DEFAULT 0,
  totp_secret TEXT,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  last_setup_at INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE TABLE IF NOT EXISTS pending_2fa (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  used_at INTEGER
);
CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  vault_access INTEGER NOT NULL,
  perm_vault INTEGER NOT NULL,
  restrictions TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT
);
CREATE TABLE IF NOT EXISTS realms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS vault_entries (
  user_id TEXT NOT NULL,
  realm_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  metadata TEXT,
  size_bytes INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_id, realm_id, key)
);
-- Listing keys and counting sizes read only this index. Without it SQLite walks through each row's
-- value (stored before the metadata, in overflow pages) to reach the metadata: a scope holding
-- 120 MiB of files took ~0.2-0.5 s to list instead of a few ms. A real server keeps values apart too.
CREATE INDEX IF NOT EXISTS vault_entries_listing ON vault_entries (user_id, realm_id, key, size_bytes, created_at, updated_at, metadata);
CREATE TABLE IF NOT EXISTS activity (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  realm_id TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  ip_address TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_user_time ON activity(user_id, created_at);
CREATE INDEX IF NOT EXISTS activity_time ON activity(created_at);
CREATE TABLE IF NOT EXISTS provisioning (
  user_id TEXT PRIMARY KEY,
  server_id TEXT NOT NULL,
  region TEXT NOT NULL,
  project_id TEXT NOT NULL,
  container_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;

export interface UserRow {
  id: string;
  username: string;
  email: string | null;
  password_hash: string;
  alias: string | null;
  public_key: string | null;
  metadata: string | null;
  is_admin: number;
  is_banned: number;
  email_verified: number;
  avatar_url: string | null;
  signup_method: string | null;
  free_tier_unlocked: number;
  onboarding: string | null;
  needs_admin_recovery: number;
  totp_secret: string | null;
  failed_logins: number;
  locked_until: number | null;
  last_setup_at: number | null;
  created_at: string;
  updated_at: string;
}

export interface TokenRestrictions {
  has_realm_restrictions: boolean;
  requires_realm_scope: boolean;
  allowed_realm_ids: string[];
  allow_no_realm: boolean;
  active_realm_id: string | null;
}

export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  vault_access: number;
  perm_vault: number;
  restrictions: string;
  created_at: string;
  last_used_at: string | null;
}

export interface RealmUsage {
  projects: number;
  containers: number;
  servers: number;
  auth_tokens: number;
}

export interface RealmRow {
  id: string;
  name: string;
  owner_id: string;
  created_at: string;
}

export interface VaultRow {
  user_id: string;
  realm_id: string;
  key: string;
  value: string;
  metadata: string | null;
  size_bytes: number;
  created_at: string;
  updated_at: string;
}

export interface ActivityRow {
  id: string;
  user_id: string;
  realm_id: string;
  method: string;
  path: string;
  status_code: number;
  ip_address: string;
  user_agent: string;
  created_at: number;
}

export interface ActivityFilter {
  userId: string;
  since: number; // the retention cutoff, in ms
  startMs?: number;
  endMs?: number;
  minStatus?: number;
  maxStatus?: number;
  method?: string;
  realmId?: string;
}

export interface ProvisioningRow {
  user_id: string;
  server_id: string;
  region: string;
  project_id: string;
  container_id: string;
  created_at: string;
}

export type NewUser = Pick<UserRow, 'username' | 'password_hash'> & Partial<Omit<UserRow, 'username' | 'password_hash'>>;

const USER_DEFAULTS: Omit<UserRow, 'id' | 'username' | 'password_hash' | 'created_at' | 'updated_at'> = {
  email: null,
  alias: null,
  public_key: null,
  metadata: null,
  is_admin: 0,
  is_banned: 0,
  email_verified: 1,
  avatar_url: null,
  signup_method: 'email',
  free_tier_unlocked: 0,
  onboarding: null,
  needs_admin_recovery: 0,
  totp_secret: null,
  failed_logins: 0,
  locked_until: null,
  last_setup_at: null,
};

export class SandboxDb {
  private readonly sqlite: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(dataDir: string) {
    this.sqlite = new Database(join(dataDir, 'sandbox.sqlite'));
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = NORMAL');
    // Parallel test servers each have their own file; the timeout only covers a CLI and a test on one folder.
    this.sqlite.pragma('busy_timeout = 5000');
    this.sqlite.exec(SCHEMA);
  }

  close(): void {
    this.sqlite.close();
  }

  /** The SQLite handle, for modules that keep their own tables (sandbox/auth/two-factor-store.ts). */
  connection(): Database.Database {
    return this.sqlite;
  }

  transaction<T>(work: () => T): T {
    return this.sqlite.transaction(work)();
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  // --- meta -------------------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return (this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The JWT signing secret, made on first start and kept so tokens outlive a restart. */
  jwtSecret(): string {
    let secret = this.getMeta('jwt_secret');
    if (!secret) {
      secret = randomSecret(48);
      this.setMeta('jwt_secret', secret);
    }
    return secret;
  }

  accessGeneration(): number {
    return Number(this.getMeta('access_generation') ?? '0');
  }

  bumpAccessGeneration(): number {
    const next = this.accessGeneration() + 1;
    this.setMeta('access_generation', String(next));
    return next;
  }

  // --- users ------------------------------------------------------------------------------------

  insertUser(user: NewUser): UserRow {
    const now = isoNow();
    const row: UserRow = { ...USER_DEFAULTS, id: newId(), created_at: now, updated_at: now, ...user };
    const columns = Object.keys(row);
    this.sqlite.prepare(`INSERT INTO users (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
    return row;
  }

  getUser(id: string): UserRow | undefined {
    return this.stmt('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  findUserByLogin(login: { username?: string; email?: string }): UserRow | undefined {
    if (login.username !== undefined) return this.stmt('SELECT * FROM users WHERE username = ?').get(login.username) as UserRow | undefined;
    if (login.email !== undefined) return this.stmt('SELECT * FROM users WHERE email = ?').get(login.email) as UserRow | undefined;
    return undefined;
  }

  updateUser(id: string, changes: Partial<Omit<UserRow, 'id' | 'created_at'>>): UserRow | undefined {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    if (entries.length > 0) {
      const sets = entries.map(([k]) => `${k} = @${k}`).join(', ');
      this.sqlite.prepare(`UPDATE users SET ${sets} WHERE id = @id`).run({ ...Object.fromEntries(entries), id });
    }
    return this.getUser(id);
  }

  // --- sessions and refresh tokens --------------------------------------------------------------

  createSession(userId: string): string {
    const id = newId();
    this.stmt('INSERT INTO sessions (id, user_id, created_at) VALUES (?, ?, ?)').run(id, userId, Date.now());
    return id;
  }

  isSessionActive(sessionId: string, userId: string): boolean {
    return this.stmt('SELECT 1 FROM sessions WHERE id = ? AND user_id = ? AND revoked_at IS NULL').get(sessionId, userId) !== undefined;
  }

  revokeUserSessions(userId: string): number {
    return this.stmt('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(Date.now(), userId).changes;
  }

  insertRefreshToken(tokenHash: string, sessionId: string, userId: string, expiresAt: number): void {
    this.stmt('INSERT INTO refresh_tokens (token_hash, session_id, user_id, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash, sessionId, userId, expiresAt);
  }

  /** Marks a refresh token used and returns it, or nothing when it was already used: rotation is single-use. */
  consumeRefreshToken(tokenHash: string): { session_id: string; user_id: string; expires_at: number } | undefined {
    return this.transaction(() => {
      const row = this.stmt('SELECT session_id, user_id, expires_at FROM refresh_tokens WHERE token_hash = ? AND used_at IS NULL').get(tokenHash) as
        | { session_id: string; user_id: string; expires_at: number }
        | undefined;
      if (row) this.stmt('UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?').run(Date.now(), tokenHash);
      return row;
    });
  }

  insertPending2fa(tokenHash: string, userId: string, expiresAt: number): void {
    this.stmt('INSERT INTO pending_2fa (token_hash, user_id, expires_at) VALUES (?, ?, ?)').run(tokenHash, userId, expiresAt);
  }

  getPending2fa(tokenHash: string): { user_id: string; expires_at: number; failures: number; used_at: number | null } | undefined {
    return this.stmt('SELECT user_id, expires_at, failures, used_at FROM pending_2fa WHERE token_hash = ?').get(tokenHash) as
      | { user_id: string; expires_at: number; failures: number; used_at: number | null }
      | undefined;
  }

  /** True when this call used the temp token, false when another request got there first. */
  usePending2fa(tokenHash: string): boolean {
    return this.stmt('UPDATE pending_2fa SET used_at = ? WHERE token_hash = ? AND used_at IS NULL').run(Date.now(), tokenHash).changes === 1;
  }

  failPending2fa(tokenHash: string): void {
    this.stmt('UPDATE pending_2fa SET failures = failures + 1 WHERE token_hash = ?').run(tokenHash);
  }

  // --- API tokens -------------------------------------------------------------------------------

  insertApiToken(row: ApiTokenRow): void {
    this.stmt(
      `INSERT INTO api_tokens (id, user_id, name, token_hash, vault_access, perm_vault, restrictions, created_at, last_used_at)
       VALUES (@id, @user_id, @name, @token_hash, @vault_access, @perm_vault, @restrictions, @created_at, @last_used_at)`,
    ).run(row);
  }

  findApiToken(tokenHash: string): ApiTokenRow | undefined {
    return this.stmt('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash) as ApiTokenRow | undefined;
  }

  touchApiToken(id: string): void {
    this.stmt('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(isoNow(), id);
  }

  // --- realms -----------------------------------------------------------------------------------

  insertRealm(row: RealmRow): void {
    this.stmt('INSERT INTO realms (id, name, owner_id, created_at) VALUES (@id, @name, @owner_id, @created_at)').run(row);
  }

  /** Realms the user owns plus every realm they keep vault entries in, sorted. */
  realmIdsForUser(userId: string): string[] {
    const rows = this.stmt(
      `SELECT id FROM realms WHERE owner_id = ?
       UNION SELECT DISTINCT realm_id FROM vault_entries WHERE user_id = ? AND realm_id <> ''
       ORDER BY 1`,
    ).all(userId, userId) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Resource counts per realm, as `GET /realms/?include_usage=true` gives them. The sandbox has no
   * projects, containers or servers: each realm row stands for one project in that realm (it is what
   * puts the realm in use), containers and servers are 0, and auth_tokens counts the user's API
   * tokens restricted to the realm.
   */
  realmUsage(userId: string, realmIds: readonly string[]): Record<string, RealmUsage> {
    const owned = new Set((this.stmt('SELECT id FROM realms WHERE owner_id = ?').all(userId) as { id: string }[]).map((r) => r.id));
    const tokens = (this.stmt('SELECT restrictions FROM api_tokens WHERE user_id = ?').all(userId) as { restrictions: string }[]).map(
      (r) => JSON.parse(r.restrictions) as TokenRestrictions,
    );
    const usage: Record<string, RealmUsage> = {};
    for (const id of realmIds) {
      const authTokens = tokens.filter((t) => t.has_realm_restrictions && t.allowed_realm_ids.includes(id)).length;
      usage[id] = { projects: owned.has(id) ? 1 : 0, containers: 0, servers: 0, auth_tokens: authTokens };
    }
    return usage;
  }

  // --- vault ------------------------------------------------------------------------------------

  listVault(userId: string, realmId: string): Omit<VaultRow, 'value'>[] {
    return this.stmt(
      'SELECT user_id, realm_id, key, metadata, size_bytes, created_at, updated_at FROM vault_entries WHERE user_id = ? AND realm_id = ? ORDER BY key',
    ).all(userId, realmId) as Omit<VaultRow, 'value'>[];
  }

  getVault(userId: string, realmId: string, key: string): VaultRow | undefined {
    return this.stmt('SELECT * FROM vault_entries WHERE user_id = ? AND realm_id = ? AND key = ?').get(userId, realmId, key) as VaultRow | undefined;
  }

  upsertVault(row: VaultRow): void {
    this.stmt(
      `INSERT INTO vault_entries (user_id, realm_id, key, value, metadata, size_bytes, created_at, updated_at)
       VALUES (@user_id, @realm_id, @key, @value, @metadata, @size_bytes, @created_at, @updated_at)
       ON CONFLICT (user_id, realm_id, key) DO UPDATE SET
         value = excluded.value, metadata = excluded.metadata, size_bytes = excluded.size_bytes, updated_at = excluded.updated_at`,
    ).run(row);
  }

  deleteVault(userId: string, realmId: string, key: string): boolean {
    return this.stmt('DELETE FROM vault_entries WHERE user_id = ? AND realm_id = ? AND key = ?').run(userId, realmId, key).changes > 0;
  }

  clearVault(userId: string, realmId: string): number {
    return this.stmt('DELETE FROM vault_entries WHERE user_id = ? AND realm_id = ?').run(userId, realmId).changes;
  }

  vaultUsage(userId: string, realmId?: string): { keys: number; bytes: number } {
    const row = (
      realmId === undefined
        ? this.stmt('SELECT COUNT(*) AS keys, COALESCE(SUM(size_bytes), 0) AS bytes FROM vault_entries WHERE user_id = ?').get(userId)
        : this.stmt('SELECT COUNT(*) AS keys, COALESCE(SUM(size_bytes), 0) AS bytes FROM vault_entries WHERE user_id = ? AND realm_id = ?').get(userId, realmId)
    ) as { keys: number; bytes: number };
    return row;
  }

  // --- activity ---------------------------------------------------------------------------------

  insertActivity(rows: readonly Omit<ActivityRow, 'id'>[]): void {
    const insert = this.stmt(
      `INSERT INTO activity (id, user_id, realm_id, method, path, status_code, ip_address, user_agent, created_at)
       VALUES (@id, @user_id, @realm_id, @method, @path, @status_code, @ip_address, @user_agent, @created_at)`,
    );
    this.transaction(() => {
      for (const row of rows) insert.run({ ...row, id: newId() });
    });
  }

  private activityWhere(filter: ActivityFilter): { sql: string; params: Record<string, unknown> } {
    const clauses = ['user_id = @userId', 'created_at >= @since'];
    const params: Record<string, unknown> = { userId: filter.userId, since: filter.since };
    const add = (clause: string, name: string, value: unknown): void => {
      if (value === undefined) return;
      clauses.push(clause);
      params[name] = value;
    };
    add('created_at >= @startMs', 'startMs', filter.startMs);
    add('created_at <= @endMs', 'endMs', filter.endMs);
    add('status_code >= @minStatus', 'minStatus', filter.minStatus);
    add('status_code <= @maxStatus', 'maxStatus', filter.maxStatus);
    add('method = @method', 'method', filter.method);
    add('realm_id = @realmId', 'realmId', filter.realmId);
    return { sql: clauses.join(' AND '), params };
  }

  queryActivity(filter: ActivityFilter, limit: number, offset: number): { total: number; rows: ActivityRow[] } {
    const where = this.activityWhere(filter);
    const total = (this.sqlite.prepare(`SELECT COUNT(*) AS n FROM activity WHERE ${where.sql}`).get(where.params) as { n: number }).n;
    const rows = this.sqlite
      .prepare(
        `SELECT id, user_id, realm_id, method, path, status_code, ip_address, user_agent, created_at FROM activity
         WHERE ${where.sql} ORDER BY created_at DESC, seq DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...where.params, limit, offset }) as ActivityRow[];
    return { total, rows };
  }

  activityStats(userId: string, since: number): { records: number; bytes: number; oldest: number | null; newest: number | null } {
    return this.stmt(
      `SELECT COUNT(*) AS records,
              COALESCE(SUM(LENGTH(id) + LENGTH(user_id) + LENGTH(realm_id) + LENGTH(method) + LENGTH(path)
                            + LENGTH(ip_address) + LENGTH(CAST(user_agent AS BLOB)) + 16), 0) AS bytes,
              MIN(created_at) AS oldest, MAX(created_at) AS newest
       FROM activity WHERE user_id = ? AND created_at >= ?`,
    ).get(userId, since) as { records: number; bytes: number; oldest: number | null; newest: number | null };
  }

  pruneActivity(before: number): number {
    return this.stmt('DELETE FROM activity WHERE created_at < ?').run(before).changes;
  }

  // --- provisioning -----------------------------------------------------------------------------

  getProvisioning(userId: string): ProvisioningRow | undefined {
    return this.stmt('SELECT * FROM provisioning WHERE user_id = ?').get(userId) as ProvisioningRow | undefined;
  }

  insertProvisioning(row: ProvisioningRow): void {
    this.stmt(
      'INSERT INTO provisioning (user_id, server_id, region, project_id, container_id, created_at) VALUES (@user_id, @server_id, @region, @project_id, @container_id, @created_at)',
    ).run(row);
  }
}
