import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { BACKUP_CODE_PATTERN, normalizeCode } from '../../common/two-factor.js';
import type { SandboxDb } from '../db.js';
import { isoNow, sha256 } from '../ids.js';

// What the sandbox keeps about two-factor sign-in beyond `users.totp_secret` (the enabled secret,
// which the login route reads): a setup waiting for its first code, the backup codes (hashes only,
// each usable once), when 2FA was turned on, the token gate, and wrong-attempt counting for the
// management routes.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS two_factor (
  user_id TEXT PRIMARY KEY,
  pending_secret TEXT,
  pending_codes TEXT,
  enabled_at TEXT,
  require_for_tokens INTEGER NOT NULL DEFAULT 1,
  failures INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER
);
CREATE TABLE IF NOT EXISTS backup_codes (
  user_id TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_hash)
);
`;

export const BACKUP_CODE_COUNT = 10;
// No 0/O or 1/I/L: a code read off paper must not be ambiguous.
const BACKUP_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

interface TwoFactorRow {
  user_id: string;
  pending_secret: string | null;
  pending_codes: string | null;
  enabled_at: string | null;
  require_for_tokens: number;
  failures: number;
  locked_until: number | null;
}

export function newBackupCodes(): string[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, () => Array.from({ length: 10 }, () => BACKUP_ALPHABET[randomInt(BACKUP_ALPHABET.length)]).join(''));
}

/** The stored digest of a backup code as typed: case, spaces and dashes do not matter. */
export const backupCodeHash = (code: string): string => sha256(normalizeCode(code).toUpperCase());

export const looksLikeBackupCode = (code: string): boolean => BACKUP_CODE_PATTERN.test(normalizeCode(code));

export class TwoFactorStore {
  readonly #sql: Database.Database;
  readonly #db: SandboxDb;

  constructor(db: SandboxDb) {
    this.#db = db;
    this.#sql = db.connection();
    this.#sql.exec(SCHEMA);
  }

  #row(userId: string): TwoFactorRow {
    this.#sql.prepare('INSERT OR IGNORE INTO two_factor (user_id) VALUES (?)').run(userId);
    return this.#sql.prepare('SELECT * FROM two_factor WHERE user_id = ?').get(userId) as TwoFactorRow;
  }

  #update(userId: string, changes: Partial<Omit<TwoFactorRow, 'user_id'>>): void {
    this.#row(userId);
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    this.#sql.prepare(`UPDATE two_factor SET ${entries.map(([k]) => `${k} = @${k}`).join(', ')} WHERE user_id = @user_id`).run({ ...changes, user_id: userId });
  }

  status(userId: string): { enabled: boolean; verified: boolean; enabled_at?: string; backup_codes_remaining: number; require_for_tokens: boolean } {
    const user = this.#db.getUser(userId);
    const row = this.#row(userId);
    const enabled = Boolean(user?.totp_secret);
    return {
      enabled,
      verified: enabled,
      ...(enabled && row.enabled_at ? { enabled_at: row.enabled_at } : {}),
      backup_codes_remaining: enabled ? this.remainingCodes(userId) : 0,
      require_for_tokens: enabled && row.require_for_tokens === 1,
    };
  }

  remainingCodes(userId: string): number {
    return (this.#sql.prepare('SELECT COUNT(*) AS n FROM backup_codes WHERE user_id = ? AND used_at IS NULL').get(userId) as { n: number }).n;
  }

  /** A new setup replaces any earlier one that was never confirmed. */
  startSetup(userId: string, secret: string, codes: readonly string[]): void {
    this.#update(userId, { pending_secret: secret, pending_codes: JSON.stringify(codes.map(backupCodeHash)) });
  }

  pendingSecret(userId: string): string | null {
    return this.#row(userId).pending_secret;
  }

  /** Turns 2FA on with the pending secret and its backup codes; false when no setup is pending. */
  finishSetup(userId: string): boolean {
    return this.#db.transaction(() => {
      const row = this.#row(userId);
      if (!row.pending_secret) return false;
      const hashes = JSON.parse(row.pending_codes ?? '[]') as string[];
      this.#db.updateUser(userId, { totp_secret: row.pending_secret, updated_at: isoNow() });
      this.#replaceHashes(userId, hashes);
      this.#update(userId, { pending_secret: null, pending_codes: null, enabled_at: isoNow(), require_for_tokens: 1, failures: 0, locked_until: null });
      return true;
    });
  }

  /** Turns 2FA on at once (test and demo helper), with fresh backup codes. */
  enableNow(userId: string, secret: string): string[] {
    const codes = newBackupCodes();
    this.startSetup(userId, secret, codes);
    this.finishSetup(userId);
    return codes;
  }

  disable(userId: string): void {
    this.#db.transaction(() => {
      this.#db.updateUser(userId, { totp_secret: null, updated_at: isoNow() });
      this.#sql.prepare('DELETE FROM backup_codes WHERE user_id = ?').run(userId);
      this.#update(userId, { pending_secret: null, pending_codes: null, enabled_at: null, require_for_tokens: 1 });
    });
  }

  replaceCodes(userId: string): string[] {
    const codes = newBackupCodes();
    this.#db.transaction(() => this.#replaceHashes(userId, codes.map(backupCodeHash)));
    return codes;
  }

  #replaceHashes(userId: string, hashes: readonly string[]): void {
    this.#sql.prepare('DELETE FROM backup_codes WHERE user_id = ?').run(userId);
    const insert = this.#sql.prepare('INSERT OR IGNORE INTO backup_codes (user_id, code_hash) VALUES (?, ?)');
    for (const hash of hashes) insert.run(userId, hash);
  }

  /** Uses up a backup code: true only for an unused one, and only once even for parallel requests. */
  useBackupCode(userId: string, code: string): boolean {
    if (!looksLikeBackupCode(code)) return false;
    return this.#sql.prepare('UPDATE backup_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL').run(Date.now(), userId, backupCodeHash(code)).changes === 1;
  }

  setTokenGate(userId: string, enabled: boolean): void {
    this.#update(userId, { require_for_tokens: enabled ? 1 : 0 });
  }

  /** Milliseconds the management routes stay closed after too many wrong passwords or codes. */
  lockedFor(userId: string): number {
    return Math.max(0, (this.#row(userId).locked_until ?? 0) - Date.now());
  }

  /** Counts a wrong password or code; the limit-th one closes the routes for `lockMs`. Returns attempts left. */
  fail(userId: string, limit: number, lockMs: number): number {
    const failures = this.#row(userId).failures + 1;
    if (failures >= limit) {
      this.#update(userId, { failures: 0, locked_until: Date.now() + lockMs });
      return 0;
    }
    this.#update(userId, { failures });
    return limit - failures;
  }

  succeed(userId: string): void {
    this.#update(userId, { failures: 0, locked_until: null });
  }
}

const stores = new WeakMap<SandboxDb, TwoFactorStore>();

/** One store per database, made on first use (its tables are created then). */
export function twoFactorStore(db: SandboxDb): TwoFactorStore {
  let store = stores.get(db);
  if (!store) {
    store = new TwoFactorStore(db);
    stores.set(db, store);
  }
  return store;
}
