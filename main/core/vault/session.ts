import type { AccountSummary } from '../../../common/accounts.js';
import type { KeyringChoice, VaultStatus } from '../../../common/vault.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { VaultEntry } from '../../../common/hoody-types.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';
import { fromUtf8, passphraseBytes } from '../crypto/bytes.js';
import { openHoodyEnc1 } from '../crypto/hoody-enc1.js';
import { createKeyring, needsUpgrade, unwrapWithPassphrase, type KeyringRecord } from '../crypto/keyring.js';
import { DEFAULT_ARGON2, prewarmArgon2, type Argon2Params } from '../crypto/kdf.js';
import { loadSodium } from '../crypto/sodium.js';
import { deriveVaultKeys, wipeVaultKeys, type VaultKeys } from '../crypto/vault-keys.js';
import { isOfflineError, type Connectivity } from './connectivity.js';
import { IdleTimer } from './idle-timer.js';
import { lookUpServerKeyring, openRecord, restoreFromEntries, rewrapInScopes, unlockRefusal } from './keyring-access.js';
import { KeyringChecks, type OpenKeyringContext } from './keyring-check.js';
import { KeyringStore } from './keyring-store.js';
import { RealmScopes } from './realm-scopes.js';
import type { VaultSessionStore } from './session-store.js';
import { UnlockGuard } from './unlock-guard.js';
import type { OpenVault, VaultPart } from './vault-part.js';

// The vault's session: set-up, unlock, lock, the passphrase and the keyring. It alone holds the
// vault key and the passphrase; the other parts get `{accountId, keys}` and are told when to forget.
// It is the longest file of the core on purpose: everything that touches the vault key or the
// passphrase is a method of this one class, whose private fields no other module can reach. The
// steps that need no key (keyring look-ups, checks, re-wrapping) live in keyring-access.ts and
// keyring-check.ts.

export type LockReason = 'manual' | 'idle' | 'suspend' | 'screen-lock' | 'account' | 'quit' | 'vault-switched';

interface Unlocked {
  open: OpenVault;
  record: KeyringRecord;
  vaultKey: Uint8Array;
  keys: VaultKeys;
  /** Kept (as bytes, wiped on lock) only to open Hoody `_enc` values, which each need the password. */
  passphrase: Uint8Array | undefined;
}

/** The locks that end command-line vault sessions: the user's own, and the computer going away. Idle and quit do not (each CLI run quits). */
const SESSION_ENDING_LOCKS: ReadonlySet<LockReason> = new Set(['manual', 'suspend', 'screen-lock']);

export interface VaultSessionOptions {
  accounts: AccountsService;
  /** Command-line vault sessions (`HOODY_VAULT_SESSION`): the vault key sealed for a while, ended by a lock. */
  sessions?: VaultSessionStore;
  connectivity: Connectivity;
  autoLockMinutes: number;
  onChange: (status: VaultStatus) => void;
  /** What other parts add to the status (waiting changes, a conflict). */
  statusParts: () => Partial<VaultStatus>;
  argon2?: Argon2Params;
  log?: (message: string) => void;
}

export class VaultSession {
  #unlocked: Unlocked | undefined;
  #lastReason: string | undefined;
  readonly #parts: VaultPart[] = [];
  readonly #realms = new RealmScopes();
  /** What the keyring checks found in each scope (cleared on lock: the next unlock checks again). */
  readonly #checks: KeyringChecks;
  readonly #idle: IdleTimer;

  constructor(private readonly options: VaultSessionOptions) {
    this.#idle = new IdleTimer(options.autoLockMinutes, () => void this.lock('idle'));
    this.#checks = new KeyringChecks({ announce: () => this.announce(), ...(options.log ? { log: options.log } : {}) });
  }

  /** A part that holds secrets or caches: told when the vault opens, cleared when it locks. */
  register(part: VaultPart): void {
    this.#parts.push(part);
  }

  setAutoLockMinutes(minutes: number): void {
    this.#idle.setMinutes(minutes);
  }

  /** Any activity in the window pushes the idle lock back. */
  touch(): void {
    this.#idle.touch();
  }

  get #argon2(): Argon2Params {
    return this.options.argon2 ?? DEFAULT_ARGON2;
  }

  /** The active account, or NOT_SIGNED_IN. */
  account(): AccountSummary {
    const account = this.options.accounts.active();
    if (!account) throw new CoreError('NOT_SIGNED_IN', 'Sign in to a Hoody account first.');
    return account;
  }

  #stores(account: AccountSummary) {
    const dir = this.options.accounts.accountDataDir(account.id);
    return { keyring: new KeyringStore(dir), guard: UnlockGuard.for(dir) };
  }

  /** The realms this account's token is limited to, or null when it may use every scope. */
  allowedRealms(account: AccountSummary, client: HoodyClient): Promise<string[] | null> {
    return this.#realms.allowed(account, client);
  }

  #scopes(account: AccountSummary, client: HoodyClient): Promise<string[]> {
    return this.#realms.all(account, client);
  }

  async status(): Promise<VaultStatus> {
    const account = this.options.accounts.active();
    const base = {
      failures: 0,
      retryAt: 0,
      allowedRealms: null,
      online: this.options.connectivity.online,
      pendingChanges: 0,
      ...(this.#lastReason ? { reason: this.#lastReason } : {}),
      ...this.options.statusParts(),
    };
    if (!account) return { ...base, state: 'signed-out', accountId: null };
    const { keyring, guard } = this.#stores(account);
    await guard.check().catch(() => {});
    const guarded = { ...base, failures: guard.state.failures, retryAt: guard.state.retryAt, accountId: account.id, allowedRealms: this.#realms.known(account.id) ?? null };
    if (this.#unlocked?.open.accountId === account.id) {
      const notices = this.#checks.notices();
      return { ...guarded, state: 'unlocked', ...(notices.length ? { keyring: notices } : {}) };
    }
    if (await keyring.readLocal()) return { ...guarded, state: 'locked' };
    try {
      const client = this.options.accounts.client();
      const found = await lookUpServerKeyring(keyring, client, await this.#scopes(account, client));
      if (found.record) await keyring.writeLocal(found.record);
      return { ...guarded, state: found.state, ...(found.reason ? { reason: found.reason } : {}), allowedRealms: this.#realms.known(account.id) ?? null };
    } catch (error) {
      if (isOfflineError(error)) this.options.connectivity.setOnline(false);
      return { ...guarded, online: this.options.connectivity.online, state: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Tells the window the current status. */
  async announce(): Promise<void> {
    this.options.onChange(await this.status());
  }

  /** Creates the vault key, wraps it, stores the keyring, and returns the recovery key (shown once). */
  async setup(passphrase: string): Promise<{ recoveryKey: string; status: VaultStatus }> {
    const account = this.account();
    const client = this.options.accounts.client();
    const { keyring } = this.#stores(account);
    const scopes = await this.#scopes(account, client);
    const found = await lookUpServerKeyring(keyring, client, scopes);
    if (found.state === 'locked') throw new CoreError('CONFLICT', 'This account already has a vault passphrase (set on another device, perhaps). Unlock with it instead.');
    // One vault per scope: entries sealed by a vault whose keyring was deleted mean restore, not set up.
    if (found.refusal) throw found.refusal;
    const created = await createKeyring(passphrase, this.#argon2);
    const home = scopes[0] ?? '';
    await keyring.put(client, home, created.record);
    await keyring.writeLocal(created.record);
    await this.#becomeUnlocked(account.id, created.record, created.vaultKey, passphraseBytes(passphrase));
    const recoveryKey = created.recoveryKey.text;
    (await loadSodium()).memzero(created.recoveryKey.bytes);
    return { recoveryKey, status: await this.status() };
  }

  /** The user started typing the passphrase: get the key derivation ready (it starts faster warm). */
  async prepareUnlock(): Promise<null> {
    const record = await this.#stores(this.account()).keyring.readLocal();
    if (record) void prewarmArgon2({ opslimit: record.passphrase.opslimit, memlimit: record.passphrase.memlimit });
    return null;
  }

  /**
   * Unlocks with the passphrase or the recovery key, from this computer's copy of the keyring when
   * there is one, so no network round trip stands between the user and their secrets.
   */
  async unlock(input: { passphrase: string } | { recoveryKey: string }): Promise<VaultStatus> {
    const account = this.account();
    const { keyring, guard } = this.#stores(account);
    await guard.check();
    let record = await keyring.readLocal();
    if (!record) {
      const client = this.options.accounts.client();
      const found = await lookUpServerKeyring(keyring, client, await this.#scopes(account, client));
      if (!found.record) throw new CoreError('NOT_FOUND', found.reason ?? 'This account has no vault passphrase yet. Set one up first.');
      record = found.record;
      await keyring.writeLocal(record);
    }
    // One derivation at a time per account: the guard refuses (RATE_LIMITED) while one runs, and
    // counts each failure before the next attempt may start.
    const opening = record;
    const opened = await guard.run(async () => {
      const attempt = await openRecord(keyring, opening, input, () => this.#newerOnServer(account, opening));
      return attempt.vaultKey ? attempt : undefined;
    });
    if (!opened?.vaultKey) throw unlockRefusal(guard, input);
    record = opened.record;
    const vaultKey = opened.vaultKey;
    const passphrase = 'passphrase' in input ? passphraseBytes(input.passphrase) : undefined;
    await this.#becomeUnlocked(account.id, record, vaultKey, passphrase);
    void this.#afterUnlock(account, record, 'passphrase' in input ? input.passphrase : undefined);
    return this.status();
  }

  /** The server's keyring of the same vault, when it is newer than this computer's (offline: none). */
  async #newerOnServer(account: AccountSummary, local: KeyringRecord): Promise<KeyringRecord | undefined> {
    try {
      const client = this.options.accounts.client();
      const found = await this.#stores(account).keyring.find(client, await this.#scopes(account, client));
      return found && found.record.vault_id === local.vault_id && found.record.updated_at > local.updated_at ? found.record : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * In the background: check every scope's keyring against this computer's (restoring a missing
   * one, flagging another vault's), take a newer copy of this vault's keyring only if it opens with
   * the passphrase in hand, and raise weak Argon2id parameters.
   */
  async #afterUnlock(account: AccountSummary, local: KeyringRecord, passphrase: string | undefined): Promise<void> {
    try {
      const client = this.options.accounts.client();
      const unlocked = this.#unlocked;
      if (!unlocked) return;
      await this.#checks.afterUnlock(this.#context(client, unlocked), await this.#scopes(account, client), passphrase, () => this.#unlocked === unlocked);
      if (passphrase && needsUpgrade(local, this.#argon2) && this.#unlocked) {
        await this.#rewrapEverywhere(account, client, passphrase);
        this.options.log?.('vault keyring upgraded to stronger Argon2id parameters');
      }
    } catch (error) {
      this.options.log?.(`keyring refresh after unlock failed: ${(error as Error).message}`);
    }
  }

  /** What the keyring checks work with: the open vault's record and keys, and how to adopt a newer record. */
  #context(client: HoodyClient, unlocked: Unlocked = this.#current()): OpenKeyringContext {
    const store = this.#stores(this.account()).keyring;
    return {
      client,
      store,
      record: unlocked.record,
      keys: unlocked.keys,
      vaultKey: unlocked.vaultKey,
      adopt: async (record) => {
        await store.writeLocal(record);
        unlocked.record = record;
      },
    };
  }

  async #becomeUnlocked(accountId: string, record: KeyringRecord, vaultKey: Uint8Array, passphrase: Uint8Array | undefined): Promise<void> {
    await this.#wipe();
    const keys = await deriveVaultKeys(vaultKey, record.vault_id);
    keys.recoveryWrap = record.recovery;
    const open: OpenVault = { accountId, keys };
    this.#unlocked = { open, record, vaultKey, keys, passphrase };
    this.#lastReason = undefined;
    for (const part of this.#parts) await part.onUnlock?.(open);
    this.#idle.start();
    await this.announce();
  }

  /** Every part forgets what it holds, then the keys are overwritten with zeros. */
  async #wipe(): Promise<void> {
    const unlocked = this.#unlocked;
    this.#unlocked = undefined;
    this.#checks.clear();
    for (const part of this.#parts) await part.clearOnLock();
    if (unlocked) await wipeVaultKeys(unlocked.keys, unlocked.vaultKey, unlocked.passphrase);
  }

  /** Wipes the vault key and everything derived from it. The window resets itself on the event. */
  async lock(reason: LockReason = 'manual'): Promise<VaultStatus> {
    const wasUnlocked = this.#unlocked !== undefined;
    await this.#wipe();
    this.#idle.stop();
    // Whether or not this process had the vault open: the CLI's `vault lock` runs in one that never did.
    if (SESSION_ENDING_LOCKS.has(reason)) await this.options.sessions?.destroyAll();
    if (wasUnlocked) {
      this.#lastReason = reason;
      this.options.log?.(`vault locked (${reason})`);
    }
    const status = await this.status();
    if (wasUnlocked) this.options.onChange(status);
    return status;
  }

  /** Seals the open vault's key into a command-line session (`vault unlock` in the CLI); the key never leaves the session otherwise. */
  async openSession(minutes: number | undefined): Promise<{ session: string; expiresAt: string }> {
    const unlocked = this.#current();
    if (!this.options.sessions) throw new CoreError('NOT_AVAILABLE', 'Vault sessions are for the command line.');
    return this.options.sessions.open({ accountId: unlocked.open.accountId, vaultId: unlocked.record.vault_id, vaultKey: unlocked.vaultKey, ...(minutes ? { minutes } : {}) });
  }

  /** Opens the vault with a command-line session instead of a key derivation. */
  async unlockWithSession(session: string): Promise<VaultStatus> {
    const account = this.account();
    if (!this.options.sessions) throw new CoreError('NOT_AVAILABLE', 'Vault sessions are for the command line.');
    const { vaultKey, vaultId } = await this.options.sessions.take(session, account.id);
    const record = await this.#stores(account).keyring.readLocal();
    if (!record || record.vault_id !== vaultId) throw new CoreError('LOCKED', 'This vault session is for another vault. Unlock the vault again.');
    await this.#becomeUnlocked(account.id, record, vaultKey, undefined);
    return this.status();
  }

  /** Locks when the active account is no longer the one whose vault is open. */
  accountsChanged(): void {
    if (this.#unlocked && this.#unlocked.open.accountId !== this.options.accounts.active()?.id) void this.lock('account');
  }

  #current(): Unlocked {
    const account = this.account();
    if (!this.#unlocked || this.#unlocked.open.accountId !== account.id) throw new CoreError('LOCKED', 'The vault is locked. Unlock it to continue.');
    this.#idle.touch();
    return this.#unlocked;
  }

  /** The open vault of the active account (LOCKED otherwise): what the other parts work with. */
  openVault(): OpenVault {
    return this.#current().open;
  }

  /** Whether this open vault is still the open one (a lock or switch since makes late work moot). */
  isOpen(open: OpenVault): boolean {
    return this.#unlocked?.open === open;
  }

  /**
   * Opens a Hoody SDK `_enc: 1` value with the given password, or else with the vault passphrase
   * (users often reuse it): the passphrase never leaves the session to do so.
   */
  async openHoodyEnvelope(value: string, password: string | undefined): Promise<Awaited<ReturnType<typeof openHoodyEnc1>> | undefined> {
    const unlocked = this.#current();
    const attempt = password ?? (unlocked.passphrase ? fromUtf8(unlocked.passphrase) : undefined);
    return attempt === undefined ? undefined : openHoodyEnc1(value, attempt);
  }

  /** Re-wraps the vault key under a new passphrase in every scope that holds the keyring. */
  async changePassphrase(newPassphrase: string, currentPassphrase: string): Promise<{ scopes: number }> {
    const unlocked = this.#current();
    // The window may have been left unlocked: whoever changes the passphrase must know the current one.
    const known = await unwrapWithPassphrase(unlocked.record, currentPassphrase).catch(() => undefined);
    if (!known) throw new CoreError('UNAUTHORIZED', 'That is not the current vault passphrase.', { fields: { currentPassphrase: 'is not the current vault passphrase' } });
    (await loadSodium()).memzero(known);
    const client = this.options.accounts.client();
    const scopes = await this.#rewrapEverywhere(this.account(), client, newPassphrase);
    if (unlocked.passphrase) (await loadSodium()).memzero(unlocked.passphrase);
    unlocked.passphrase = passphraseBytes(newPassphrase);
    return { scopes };
  }

  async #rewrapEverywhere(account: AccountSummary, client: HoodyClient, passphrase: string): Promise<number> {
    const unlocked = this.#current();
    const { next, updated, failed } = await rewrapInScopes(this.#stores(account).keyring, client, await this.#scopes(account, client), unlocked.record, unlocked.vaultKey, passphrase, this.#argon2);
    unlocked.record = next;
    if (failed.length) {
      throw new CoreError('SERVER_ERROR', `The passphrase changed in ${updated} scope(s) but not in: ${failed.join(', ')}. Try again to finish; until then the old passphrase still opens those.`);
    }
    return updated;
  }

  /**
   * Before every write to a scope: it must hold this vault's keyring. A missing one is put back from
   * this computer's copy (with a notice); another vault's stops the write (CONFLICT) and asks the user.
   */
  ensureKeyring(client: HoodyClient, realmId: string): Promise<void> {
    return this.#checks.beforeWrite(this.#context(client), realmId);
  }

  /** At each sync (after a listing): the same check, in the background. */
  async checkScope(client: HoodyClient, realmId: string, listed: readonly VaultEntry[]): Promise<void> {
    if (this.#unlocked) await this.#checks.atSync(this.#context(client, this.#unlocked), realmId, listed);
  }

  /** The user's answer to a keyring notice (see KeyringChecks.resolve); switching vaults locks. */
  async resolveKeyring(realmId: string, choice: KeyringChoice): Promise<VaultStatus> {
    const outcome = await this.#checks.resolve(this.#context(this.options.accounts.client()), realmId, choice);
    return outcome === 'switched' ? this.lock('vault-switched') : this.status();
  }

  /**
   * The keyring was deleted everywhere and this computer has no copy: rebuilt from the recovery key
   * and the entries (each carries the recovery wrapping), under the passphrase given, then unlocked.
   */
  async restoreKeyring(recoveryKey: string, passphrase: string): Promise<VaultStatus> {
    const account = this.account();
    const client = this.options.accounts.client();
    const { keyring, guard } = this.#stores(account);
    const scopes = await this.#scopes(account, client);
    const rebuilt = await restoreFromEntries({ store: keyring, guard, client, scopes, recoveryKey, passphrase, argon2: this.#argon2 });
    this.options.log?.(`vault keyring rebuilt from the entries in ${rebuilt.scopes.length} scope(s)`);
    await this.#becomeUnlocked(account.id, rebuilt.record, rebuilt.vaultKey, passphraseBytes(passphrase));
    return this.status();
  }

  /** Runs a scope-wide deletion; this vault's keyring, if the scope held it, is put back after. Returns whether it was. */
  async keepKeyringThrough(client: HoodyClient, realmId: string, clear: () => Promise<number>): Promise<{ deleted: number; hadKeyring: boolean }> {
    const unlocked = this.#current();
    const { keyring } = this.#stores(this.account());
    const hadKeyring = (await keyring.fetch(client, realmId))?.vault_id === unlocked.record.vault_id;
    const deleted = await clear();
    if (hadKeyring) await keyring.put(client, realmId, unlocked.record);
    return { deleted, hadKeyring };
  }
}
