import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SESSION_MINUTES_MAX } from '../../../common/vault.js';
import { CoreError } from '../core-error.js';
import { fromBase64, toBase64, utf8 } from '../crypto/bytes.js';
import { loadSodium } from '../crypto/sodium.js';
import { readSealedJson, writeSealedJson } from '../storage/sealed-file.js';

// Vault sessions, for the command line (like `bw unlock`): after one key derivation, the vault key
// is sealed into a short-lived file in the data folder, under a random secret that only the session
// value (`HOODY_VAULT_SESSION`) carries. The file alone opens nothing, and the value alone opens
// nothing: a later command needs both, so it skips Argon2id. Locking the vault deletes every file.

export const SESSIONS_DIR = 'vault-sessions';
export const SESSION_PREFIX = 'hvs1';
export const SESSION_TTL_DEFAULT_MINUTES = 60;
export const SESSION_TTL_MAX_MINUTES = SESSION_MINUTES_MAX;
const FILE_SUFFIX = '.session';
/** The session value: `hvs1.<file id>.<secret, base64url>`. */
const SESSION_PATTERN = /^hvs1\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

interface SealedSession {
  accountId: string;
  vaultId: string;
  vaultKey: string;
  expiresAt: number;
}

const ENDED = 'This vault session has ended (it expired, or the vault was locked). Unlock the vault again.';

export class VaultSessionStore {
  readonly #dir: string;
  readonly #now: () => number;

  constructor(dataDir: string, now: () => number = Date.now) {
    this.#dir = join(dataDir, SESSIONS_DIR);
    this.#now = now;
  }

  /** Seals the vault key for `minutes` and returns the session value (the only copy of its secret). */
  async open(input: { accountId: string; vaultId: string; vaultKey: Uint8Array; minutes?: number }): Promise<{ session: string; expiresAt: string }> {
    const minutes = input.minutes ?? SESSION_TTL_DEFAULT_MINUTES;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > SESSION_TTL_MAX_MINUTES) {
      throw new CoreError('INVALID_INPUT', 'The session length is out of range.', { fields: { minutes: `must be a whole number from 1 to ${SESSION_TTL_MAX_MINUTES}` } });
    }
    await this.prune();
    const id = randomBytes(16).toString('hex');
    const secret = new Uint8Array(randomBytes(32));
    const expiresAt = this.#now() + minutes * 60_000;
    const sealed: SealedSession = { accountId: input.accountId, vaultId: input.vaultId, vaultKey: toBase64(input.vaultKey), expiresAt };
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const key = await sessionKey(secret);
    try {
      await writeSealedJson(this.#path(id), key, ad(id), sealed);
    } finally {
      (await loadSodium()).memzero(key);
    }
    const session = `${SESSION_PREFIX}.${id}.${Buffer.from(secret).toString('base64url')}`;
    (await loadSodium()).memzero(secret);
    return { session, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * The vault key a session value opens, for this account. Anything else (malformed, expired,
   * destroyed, tampered, another account's) is LOCKED: the caller asks for the passphrase instead.
   */
  async take(session: string, accountId: string): Promise<{ vaultKey: Uint8Array; vaultId: string }> {
    const match = SESSION_PATTERN.exec(session.trim());
    if (!match) {
      throw new CoreError('INVALID_INPUT', 'That is not a vault session value.', { fields: { session: 'must be the value `vault unlock` printed (hvs1.…)' } });
    }
    const [, id, secretText] = match as unknown as [string, string, string];
    const secret = new Uint8Array(Buffer.from(secretText, 'base64url'));
    const key = await sessionKey(secret);
    const read = await readSealedJson<SealedSession>(this.#path(id), key, ad(id));
    const sodium = await loadSodium();
    sodium.memzero(key);
    sodium.memzero(secret);
    if (read.state !== 'ok') throw new CoreError('LOCKED', ENDED);
    const value = read.value;
    if (typeof value.expiresAt !== 'number' || value.expiresAt <= this.#now()) {
      await rm(this.#path(id), { force: true });
      throw new CoreError('LOCKED', ENDED);
    }
    if (value.accountId !== accountId) throw new CoreError('LOCKED', 'This vault session belongs to another account. Unlock this account’s vault instead.');
    const vaultKey = fromBase64(value.vaultKey, 32);
    if (!vaultKey || typeof value.vaultId !== 'string') throw new CoreError('LOCKED', ENDED);
    return { vaultKey, vaultId: value.vaultId };
  }

  /** Ends every session (what locking the vault does). Returns how many there were. */
  async destroyAll(): Promise<number> {
    const names = await this.#names();
    await Promise.all(names.map((name) => rm(join(this.#dir, name), { force: true })));
    return names.length;
  }

  /** Deletes session files past the longest possible life; their secret is gone anyway. */
  async prune(): Promise<void> {
    const oldest = this.#now() - SESSION_TTL_MAX_MINUTES * 60_000;
    for (const name of await this.#names()) {
      const path = join(this.#dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < oldest) await rm(path, { force: true });
    }
  }

  async #names(): Promise<string[]> {
    const names = await readdir(this.#dir).catch(() => [] as string[]);
    return names.filter((name) => name.endsWith(FILE_SUFFIX));
  }

  #path(id: string): string {
    return join(this.#dir, `${id}${FILE_SUFFIX}`);
  }
}

/** The file's key: BLAKE2b of the secret, under this purpose's own key, so it is used for nothing else. */
async function sessionKey(secret: Uint8Array): Promise<Uint8Array> {
  const sodium = await loadSodium();
  return sodium.crypto_generichash(32, secret, utf8('hoody-vault session v1'));
}

const ad = (id: string) => `hoody-vault:session:${id}`;
