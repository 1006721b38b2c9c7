import { hashPassword } from './auth/passwords.js';
import { createApiToken, startSession, type ApiTokenOptions, type CreatedApiToken, type SessionTokens } from './auth/tokens.js';
import { newTotpSecret, totpCode, totpUri } from './auth/totp.js';
import { twoFactorStore } from './auth/two-factor-store.js';
import { retentionCutoff, type SandboxContext } from './context.js';
import type { ActivityRow, RealmRow, UserRow } from './db.js';
import { isoNow, newId, randomSecret } from './ids.js';
import { publicUser, type PublicUser } from './views.js';

// Direct helpers for tests and the demo seed: they write to the store without going through HTTP,
// so a test can set up users, tokens and realms that no public endpoint creates.

export interface CreateUserOptions {
  /** A fixed 24-hex id, e.g. the one the seed document's examples use. */
  id?: string;
  username?: string;
  email?: string | null;
  /** Must satisfy the password rule to be usable for a later password change; default: a random strong one. */
  password?: string;
  alias?: string | null;
  isAdmin?: boolean;
  isBanned?: boolean;
  needsAdminRecovery?: boolean;
  /** Turn on TOTP 2FA with a new secret. */
  totp?: boolean;
}

export interface CreatedUser {
  id: string;
  username: string;
  email: string | null;
  password: string;
  totpSecret?: string;
  /** With `totp`: the user's ten backup codes (the store keeps only their hashes). */
  backupCodes?: string[];
  user: PublicUser;
}

export interface ActivityInput {
  userId: string;
  realmId?: string;
  method?: string;
  path?: string;
  statusCode?: number;
  ipAddress?: string;
  userAgent?: string;
  createdAt?: Date | number;
}

export interface SandboxAdmin {
  createUser(options?: CreateUserOptions): Promise<CreatedUser>;
  createApiToken(options: ApiTokenOptions): CreatedApiToken;
  createRealm(options: { ownerId: string; name?: string; id?: string }): RealmRow;
  /** Turns TOTP on for a user (a new secret unless one is given) and returns it with its otpauth:// URI and new backup codes. */
  setTotp(userId: string, secret?: string): { secret: string; uri: string; backupCodes: string[] };
  /** The current TOTP code for a user with 2FA on. */
  totpCode(userId: string): string;
  /** A login session as POST /users/auth/login would give, without the password. */
  signIn(userId: string): SessionTokens;
  getUser(userId: string): PublicUser | undefined;
  setUserFlags(userId: string, flags: { isAdmin?: boolean; isBanned?: boolean; needsAdminRecovery?: boolean }): void;
  addActivity(rows: readonly ActivityInput[]): void;
  /** Deletes activity older than the retention window now; returns how many records went. */
  pruneActivity(): number;
}

const strongPassword = (): string => `Sbx-${randomSecret(12)}-9a`;

export function createAdmin(ctx: SandboxContext): SandboxAdmin {
  const getRow = (userId: string): UserRow => {
    const row = ctx.db.getUser(userId);
    if (!row) throw new Error(`No sandbox user ${userId}`);
    return row;
  };

  const admin: SandboxAdmin = {
    async createUser(options = {}) {
      const username = options.username ?? `user-${newId().slice(-8)}`;
      const email = options.email === undefined ? `${username}@sandbox.hoody.local` : options.email;
      const password = options.password ?? strongPassword();
      const row = ctx.db.insertUser({
        ...(options.id ? { id: options.id.toLowerCase() } : {}),
        username,
        email,
        password_hash: await hashPassword(password),
        alias: options.alias === undefined ? username : options.alias,
        is_admin: options.isAdmin ? 1 : 0,
        is_banned: options.isBanned ? 1 : 0,
        needs_admin_recovery: options.needsAdminRecovery ? 1 : 0,
      });
      const totp = options.totp ? admin.setTotp(row.id) : undefined;
      const extra = totp ? { totpSecret: totp.secret, backupCodes: totp.backupCodes } : {};
      return { id: row.id, username, email, password, ...extra, user: publicUser(getRow(row.id)) };
    },

    createApiToken: (options) => {
      getRow(options.userId);
      return createApiToken(ctx, options);
    },

    createRealm({ ownerId, name, id }) {
      const row: RealmRow = { id: (id ?? newId()).toLowerCase(), name: name ?? 'Realm', owner_id: ownerId, created_at: isoNow() };
      ctx.db.insertRealm(row);
      return row;
    },

    setTotp(userId, secret = newTotpSecret()) {
      const row = getRow(userId);
      const backupCodes = twoFactorStore(ctx.db).enableNow(userId, secret);
      return { secret, uri: totpUri(secret, row.email ?? row.username), backupCodes };
    },

    totpCode(userId) {
      const secret = getRow(userId).totp_secret;
      if (!secret) throw new Error(`User ${userId} has no TOTP secret`);
      return totpCode(secret);
    },

    signIn: (userId) => startSession(ctx, getRow(userId).id),

    getUser(userId) {
      const row = ctx.db.getUser(userId);
      return row && publicUser(row);
    },

    setUserFlags(userId, flags) {
      const bit = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);
      getRow(userId);
      ctx.db.updateUser(userId, {
        is_admin: bit(flags.isAdmin),
        is_banned: bit(flags.isBanned),
        needs_admin_recovery: bit(flags.needsAdminRecovery),
        updated_at: isoNow(),
      });
    },

    addActivity(rows) {
      ctx.db.insertActivity(
        rows.map(
          (r): Omit<ActivityRow, 'id'> => ({
            user_id: r.userId,
            realm_id: r.realmId ?? '',
            method: r.method ?? 'GET',
            path: r.path ?? '/api/v1/vault/keys',
            status_code: r.statusCode ?? 200,
            ip_address: r.ipAddress ?? '127.0.0.1',
            user_agent: r.userAgent ?? 'sandbox-admin',
            created_at: r.createdAt === undefined ? Date.now() : new Date(r.createdAt).getTime(),
          }),
        ),
      );
    },

    pruneActivity: () => ctx.db.pruneActivity(retentionCutoff(ctx.config)),
  };
  return admin;
}
