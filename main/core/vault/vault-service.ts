import { stat } from 'node:fs/promises';
import type { AccountSummary } from '../../../common/accounts.js';
import type { VaultEntry, VaultStats, VaultValue } from '../../../common/hoody-types.js';
import { jsonByteLength, METADATA_MAX_BYTES } from '../../../common/rules.js';
import { RESERVED_PREFIX, scopeName, type ConflictChoice, type OutboxConflict, type VaultItem, type VaultListing, type VaultStatsView, type VaultStatus } from '../../../common/vault.js';
import { uniqueKey } from '../../../common/vault-files.js';
import { formatBytes } from '../../../common/format.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { isStatus } from '../api/errors.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';
import { passphraseBytes, fromUtf8, utf8 } from '../crypto/bytes.js';
import {
  isEntryMetadata,
  openMetadata,
  openValue,
  sealMetadata,
  sealValue,
  valueFormat,
  type SealedMeta,
} from '../crypto/envelope.js';
import { openHoodyEnc1 } from '../crypto/hoody-enc1.js';
import {
  createKeyring,
  needsUpgrade,
  rewrapPassphrase,
  unwrapWithPassphrase,
  unwrapWithRecoveryKey,
  type KeyringRecord,
} from '../crypto/keyring.js';
import { DEFAULT_ARGON2, prewarmArgon2, type Argon2Params } from '../crypto/kdf.js';
import { parseRecoveryKey } from '../crypto/recovery-key.js';
import { loadSodium } from '../crypto/sodium.js';
import { deriveVaultKeys, wipeVaultKeys, type VaultKeys } from '../crypto/vault-keys.js';
import { IdleTimer } from './idle-timer.js';
import { KeyringStore } from './keyring-store.js';
import { LocalCopyStore, type ScopeCopy } from './local-copy-store.js';
import type { SealedRead } from '../storage/sealed-file.js';
import { BULK_CONCURRENCY, fetchStoredValues } from './bulk-open.js';
import { OutboxStore, type OutboxOp } from './outbox-store.js';
import { UnlockGuard } from './unlock-guard.js';
import { conflictOf } from './outbox-replay.js';

const MIB = 1024 * 1024;
/** How many entries of unknown format are looked at, per listing, to tell plain text from Hoody's envelopes. */
const CLASSIFY_LIMIT = 300;
export const CLIPBOARD_CLEAR_SECONDS = 30;
/** While offline, how often the server is asked whether it is back. */
const PROBE_MS = 10_000;

/** The server cannot be reached (or is down): the vault falls back to this computer's copy. */
export function isOfflineError(error: unknown): boolean {
  if (!(error instanceof CoreError)) return false;
  return error.code === 'NETWORK' || error.code === 'TIMEOUT' || (error.code === 'SERVER_ERROR' && [502, 503, 504].includes(error.status ?? 0));
}

export interface ClipboardPort {
  writeText(text: string): Promise<void> | void;
  readText(): Promise<string> | string;
  clear(): Promise<void> | void;
}

export interface Unlocked {
  accountId: string;
  record: KeyringRecord;
  vaultKey: Uint8Array;
  keys: VaultKeys;
  /** Kept (as bytes, wiped on lock) only to open Hoody `_enc` values, which each need the password. */
  passphrase: Uint8Array | undefined;
  /** Scopes known to hold this vault's keyring record. */
  keyringScopes: Set<string>;
  /** Changes made offline, in order, sealed on disk. */
  outbox: OutboxStore;
  copies: LocalCopyStore;
  /** What is known of each scope's local copy (from the last sync in this session). */
  copyInfo: Map<string, { state: 'ok' | 'missing' | 'damaged'; syncedAt?: string }>;
  syncing: Map<string, Promise<void>>;
  /** The latest listing seen while a sync of the scope was running: synced right after it. */
  syncAgain: Map<string, VaultEntry[]>;
  /** Each scope's copy as last opened, with the file's size and time then: unchanged files are not decrypted again. */
  openedCopies: Map<string, { stamp: string; read: SealedRead<ScopeCopy> }>;
}

export interface VaultServiceOptions {
  accounts: AccountsService;
  autoLockMinutes: number;
  onChange: (status: VaultStatus) => void;
  /** Pending signing key generated on the Profile page (memory only). */
  pendingSigningKey?: (accountId: string) => Uint8Array | undefined;
  /** A scope's local copy was written (and, if it had been damaged, repaired). */
  onSynced?: (sync: { realmId: string; syncedAt: string; repaired: boolean }) => void;
  clearPendingSigningKey?: () => void;
  clipboard?: ClipboardPort;
  argon2?: Argon2Params;
  log?: (message: string) => void;
}

/**
 * The vault of the active account: set-up, lock and unlock, and every entry operation. The vault
 * key lives here only while unlocked; locking overwrites it with zeros.
 */
export class VaultService {
  #unlocked: Unlocked | undefined;
  #lastReason: string | undefined;
  readonly #allowedRealms = new Map<string, string[] | null>();
  readonly #idle: IdleTimer;
  #clipboardTimer: NodeJS.Timeout | undefined;
  #online = true;
  #probe: NodeJS.Timeout | undefined;
  #conflict: OutboxConflict | undefined;
  #outboxProblem: string | undefined;
  #replaying: Promise<void> | undefined;

  constructor(private readonly options: VaultServiceOptions) {
    this.#idle = new IdleTimer(options.autoLockMinutes, () => void this.lock('idle'));
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

  #account(): AccountSummary {
    const account = this.options.accounts.active();
    if (!account) throw new CoreError('NOT_SIGNED_IN', 'Sign in to a Hoody account first.');
    return account;
  }

  #stores(account: AccountSummary) {
    const dir = this.options.accounts.accountDataDir(account.id);
    return { keyring: new KeyringStore(dir), guard: new UnlockGuard(dir) };
  }

  /** The realms this account's token is limited to, or null when it may use every scope. */
  async #allowed(account: AccountSummary, client: HoodyClient): Promise<string[] | null> {
    if (this.#allowedRealms.has(account.id)) return this.#allowedRealms.get(account.id)!;
    const restrictions = (await client.me()).auth_token?.restrictions;
    const limited = restrictions?.has_realm_restrictions && (restrictions.requires_realm_scope || !restrictions.allow_no_realm);
    const allowed = limited ? restrictions!.allowed_realm_ids.map((id) => id.toLowerCase()) : null;
    this.#allowedRealms.set(account.id, allowed);
    return allowed;
  }

  /** Global first (when the token may use it), then the realms: where a keyring is looked for. */
  async #scopes(account: AccountSummary, client: HoodyClient): Promise<string[]> {
    const allowed = await this.#allowed(account, client);
    if (allowed) return allowed;
    const realms = await client.realms().catch(() => []);
    return ['', ...realms];
  }

  async status(): Promise<VaultStatus> {
    const account = this.options.accounts.active();
    const base = {
      failures: 0,
      retryAt: 0,
      allowedRealms: null,
      online: this.#online,
      pendingChanges: this.#unlocked?.outbox.ops.length ?? 0,
      ...(this.#lastReason ? { reason: this.#lastReason } : {}),
      ...(this.#conflict ? { conflict: this.#conflict } : {}),
      ...(this.#outboxProblem ? { outboxProblem: this.#outboxProblem } : {}),
    };
    if (!account) return { ...base, state: 'signed-out', accountId: null };
    const { keyring, guard } = this.#stores(account);
    await guard.check().catch(() => {});
    const guarded = { ...base, failures: guard.state.failures, retryAt: guard.state.retryAt, accountId: account.id, allowedRealms: this.#allowedRealms.get(account.id) ?? null };
    if (this.#unlocked?.accountId === account.id) return { ...guarded, state: 'unlocked' };
    if (await keyring.readLocal()) return { ...guarded, state: 'locked' };
    try {
      const client = this.options.accounts.client();
      const found = await keyring.find(client, await this.#scopes(account, client));
      if (!found) return { ...guarded, state: 'not-set-up', allowedRealms: this.#allowedRealms.get(account.id) ?? null };
      await keyring.writeLocal(found.record);
      return { ...guarded, state: 'locked', allowedRealms: this.#allowedRealms.get(account.id) ?? null };
    } catch (error) {
      if (isOfflineError(error)) this.#setOnline(false);
      return { ...guarded, online: this.#online, state: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Creates the vault key, wraps it, stores the keyring, and returns the recovery key (shown once). */
  async setup(passphrase: string): Promise<{ recoveryKey: string; status: VaultStatus }> {
    const account = this.#account();
    const client = this.options.accounts.client();
    const { keyring } = this.#stores(account);
    const scopes = await this.#scopes(account, client);
    if (await keyring.find(client, scopes)) {
      throw new CoreError('CONFLICT', 'This account already has a vault passphrase (set on another device, perhaps). Unlock with it instead.');
    }
    const created = await createKeyring(passphrase, this.#argon2);
    const home = scopes[0] ?? '';
    await keyring.put(client, home, created.record);
    await keyring.writeLocal(created.record);
    await this.#becomeUnlocked(account.id, created.record, created.vaultKey, passphraseBytes(passphrase), new Set([home]));
    const recoveryKey = created.recoveryKey.text;
    (await loadSodium()).memzero(created.recoveryKey.bytes);
    return { recoveryKey, status: await this.status() };
  }

  /** The user started typing the passphrase: get the key derivation ready (it starts faster warm). */
  async prepareUnlock(): Promise<null> {
    const account = this.#account();
    const record = await this.#stores(account).keyring.readLocal();
    if (record) void prewarmArgon2({ opslimit: record.passphrase.opslimit, memlimit: record.passphrase.memlimit });
    return null;
  }

  /**
   * Unlocks with the passphrase or the recovery key, from this computer's copy of the keyring when
   * there is one, so no network round trip stands between the user and their secrets.
   */
  async unlock(input: { passphrase: string } | { recoveryKey: string }): Promise<VaultStatus> {
    const account = this.#account();
    const { keyring, guard } = this.#stores(account);
    await guard.check();
    let record = await keyring.readLocal();
    if (!record) {
      const client = this.options.accounts.client();
      const found = await keyring.find(client, await this.#scopes(account, client));
      if (!found) throw new CoreError('NOT_FOUND', 'This account has no vault passphrase yet. Set one up first.');
      record = found.record;
      await keyring.writeLocal(record);
    }
    let vaultKey: Uint8Array | undefined;
    if ('passphrase' in input) {
      vaultKey = await unwrapWithPassphrase(record, input.passphrase);
    } else {
      const bytes = await parseRecoveryKey(input.recoveryKey);
      if (!bytes) throw new CoreError('INVALID_INPUT', 'That is not a complete recovery key: check it for typos.', { fields: { recoveryKey: 'is not a complete recovery key (check for typos)' } });
      vaultKey = await unwrapWithRecoveryKey(record, bytes);
      (await loadSodium()).memzero(bytes);
    }
    if (!vaultKey) {
      const state = await guard.failed();
      const wait = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
      const field = 'passphrase' in input ? 'passphrase' : 'recoveryKey';
      throw new CoreError('UNAUTHORIZED', `That ${field === 'passphrase' ? 'passphrase' : 'recovery key'} does not unlock this vault.${wait ? ` Wait ${wait} s before trying again.` : ''}`, {
        fields: { [field]: field === 'passphrase' ? 'is not the vault passphrase' : 'does not unlock this vault' },
        ...(wait ? { retryAfter: wait } : {}),
      });
    }
    await guard.succeeded();
    const passphrase = 'passphrase' in input ? passphraseBytes(input.passphrase) : undefined;
    await this.#becomeUnlocked(account.id, record, vaultKey, passphrase, new Set());
    void this.#afterUnlock(account, record, 'passphrase' in input ? input.passphrase : undefined);
    return this.status();
  }

  /** In the background: refresh the local keyring copy, and raise weak Argon2id parameters. */
  async #afterUnlock(account: AccountSummary, local: KeyringRecord, passphrase: string | undefined): Promise<void> {
    try {
      const client = this.options.accounts.client();
      const { keyring } = this.#stores(account);
      const found = await keyring.find(client, await this.#scopes(account, client));
      if (found && found.record.vault_id === local.vault_id && found.record.updated_at > local.updated_at) await keyring.writeLocal(found.record);
      if (found) this.#unlocked?.keyringScopes.add(found.realmId);
      if (passphrase && needsUpgrade(local, this.#argon2) && this.#unlocked) {
        await this.#rewrapEverywhere(account, client, passphrase);
        this.options.log?.('vault keyring upgraded to stronger Argon2id parameters');
      }
    } catch (error) {
      this.options.log?.(`keyring refresh after unlock failed: ${(error as Error).message}`);
    }
  }

  async #becomeUnlocked(accountId: string, record: KeyringRecord, vaultKey: Uint8Array, passphrase: Uint8Array | undefined, keyringScopes: Set<string>): Promise<void> {
    await this.#wipe();
    const keys = await deriveVaultKeys(vaultKey, record.vault_id);
    const dir = this.options.accounts.accountDataDir(accountId);
    const outbox = new OutboxStore(dir, accountId, () => keys.cache);
    const { movedAside } = await outbox.load();
    this.#outboxProblem = movedAside ? `Changes made offline earlier could not be read (the outbox was damaged); it was kept as ${movedAside} and nothing in it was sent.` : undefined;
    this.#unlocked = { accountId, record, vaultKey, keys, passphrase, keyringScopes, outbox, copies: new LocalCopyStore(dir, accountId), copyInfo: new Map(), syncing: new Map(), syncAgain: new Map(), openedCopies: new Map() };
    this.#lastReason = undefined;
    this.#idle.start();
    this.options.onChange(await this.status());
    if (outbox.ops.length) void this.#replay();
  }

  async #wipe(): Promise<void> {
    const unlocked = this.#unlocked;
    this.#unlocked = undefined;
    this.#conflict = undefined;
    clearInterval(this.#probe);
    this.#probe = undefined;
    if (unlocked) await wipeVaultKeys(unlocked.keys, unlocked.vaultKey, unlocked.passphrase);
  }

  /** Wipes the vault key and everything derived from it. The window resets itself on the event. */
  async lock(reason: 'manual' | 'idle' | 'suspend' | 'screen-lock' | 'account' | 'quit' = 'manual'): Promise<VaultStatus> {
    const wasUnlocked = this.#unlocked !== undefined;
    await this.#wipe();
    this.#idle.stop();
    if (wasUnlocked) {
      this.#lastReason = reason;
      this.options.log?.(`vault locked (${reason})`);
    }
    const status = await this.status();
    if (wasUnlocked) this.options.onChange(status);
    return status;
  }

  /** Locks when the active account is no longer the one whose vault is open. */
  accountsChanged(): void {
    if (this.#unlocked && this.#unlocked.accountId !== this.options.accounts.active()?.id) void this.lock('account');
  }

  /** The open vault (keys included) of the active account; LOCKED otherwise. Also used by the file service. */
  openVault(): Unlocked {
    const account = this.#account();
    if (!this.#unlocked || this.#unlocked.accountId !== account.id) throw new CoreError('LOCKED', 'The vault is locked. Unlock it to continue.');
    this.#idle.touch();
    return this.#unlocked;
  }

  /** Re-wraps the vault key under a new passphrase in every scope that holds the keyring. */
  async changePassphrase(newPassphrase: string, currentPassphrase?: string): Promise<{ scopes: number }> {
    const open = this.openVault();
    // The window may have been left unlocked: whoever changes the passphrase must know the current one.
    const known = currentPassphrase === undefined ? undefined : await unwrapWithPassphrase(open.record, currentPassphrase).catch(() => undefined);
    if (known) (await loadSodium()).memzero(known);
    if (currentPassphrase !== undefined && !known) {
      throw new CoreError('UNAUTHORIZED', 'That is not the current vault passphrase.', { fields: { currentPassphrase: 'is not the current vault passphrase' } });
    }
    const account = this.#account();
    const client = this.options.accounts.client();
    const scopes = await this.#rewrapEverywhere(account, client, newPassphrase);
    if (open.passphrase) (await loadSodium()).memzero(open.passphrase);
    open.passphrase = passphraseBytes(newPassphrase);
    return { scopes };
  }

  async #rewrapEverywhere(account: AccountSummary, client: HoodyClient, passphrase: string): Promise<number> {
    const open = this.openVault();
    const { keyring } = this.#stores(account);
    const next = await rewrapPassphrase(open.record, open.vaultKey, passphrase, this.#argon2);
    const failed: string[] = [];
    let updated = 0;
    for (const realmId of await this.#scopes(account, client)) {
      try {
        const there = await keyring.fetch(client, realmId);
        if (!there || there.vault_id !== next.vault_id) continue;
        await keyring.put(client, realmId, next);
        updated += 1;
      } catch {
        failed.push(scopeName(realmId));
      }
    }
    await keyring.writeLocal(next);
    open.record = next;
    if (failed.length) {
      throw new CoreError('SERVER_ERROR', `The passphrase changed in ${updated} scope(s) but not in: ${failed.join(', ')}. Try again to finish; until then the old passphrase still opens those.`);
    }
    return updated;
  }

  async realms(): Promise<{ realms: string[]; globalAllowed: boolean }> {
    const account = this.#account();
    const client = this.options.accounts.client();
    const allowed = await this.#allowed(account, client);
    if (allowed) return { realms: allowed, globalAllowed: false };
    return { realms: await client.realms(), globalAllowed: true };
  }

  async list(realmId: string): Promise<VaultListing> {
    const open = this.openVault();
    const { keys } = open;
    const client = this.options.accounts.client();
    let entries: VaultEntry[];
    let stats: VaultStats;
    try {
      [entries, stats] = await Promise.all([client.listKeys(realmId || undefined), client.vaultStats(realmId || undefined)]);
      this.#setOnline(true);
    } catch (error) {
      if (!isOfflineError(error)) throw error;
      this.#setOnline(false);
      return this.#offlineListing(open, realmId);
    }
    const visible = entries.filter((e) => !e.key.startsWith(RESERVED_PREFIX));
    const reservedBytes = entries.filter((e) => e.key.startsWith(RESERVED_PREFIX)).reduce((sum, e) => sum + e.size_bytes, 0);
    const items = await Promise.all(visible.map((e) => this.item(keys, realmId, e)));
    const foreign = items.filter((item) => item.format === 'foreign').slice(0, CLASSIFY_LIMIT);
    const fetched = await fetchStoredValues(client, realmId, foreign.map((item) => item.key)).catch(() => new Map<string, string | undefined>());
    for (const item of foreign) {
      const value = fetched.get(item.key);
      if (value !== undefined) item.format = valueFormat(value);
    }
    // The app's own keyring entry is not the user's: it is left out of the counts they see. The
    // account figures come in MB with two decimals; this scope's exact bytes are a floor for them.
    const view = statsView(stats);
    const used = Math.max(view.accountUsedBytes, stats.total_size_bytes);
    void this.#sync(open, realmId, entries, fetched);
    return {
      realmId,
      entries: await this.#withPending(open, realmId, items),
      stats: { ...view, keys: items.length, scopeBytes: Math.max(0, stats.total_size_bytes - reservedBytes), accountUsedBytes: used },
      copy: open.copyInfo.get(realmId) ?? { state: 'missing' },
    };
  }

  /** Offline: the scope as this computer last synced it, with the changes still waiting on top. */
  async #offlineListing(open: Unlocked, realmId: string): Promise<VaultListing> {
    const read = await this.#readCopy(open, realmId);
    if (read.state === 'missing') throw new CoreError('NETWORK', 'You are offline, and this scope has not been synced to this computer yet. It will be once the server is reachable.');
    if (read.state === 'damaged') {
      open.copyInfo.set(realmId, { state: 'damaged' });
      throw new CoreError('UNREADABLE', "You are offline, and this computer's copy of this scope does not open (it is damaged). It is not shown; it will be repaired at the next sync.");
    }
    const copy = read.value;
    const visible = copy.entries.filter((e) => !e.key.startsWith(RESERVED_PREFIX));
    const items = await this.#withPending(open, realmId, await Promise.all(visible.map((e) => this.item(open.keys, realmId, e))));
    const scopeBytes = visible.reduce((sum, e) => sum + e.size_bytes, 0);
    return {
      realmId,
      entries: items,
      stats: { keys: visible.length, scopeBytes, accountUsedBytes: 0, accountLimitBytes: 0, usedPercentage: 0, remainingBytes: 0 },
      offline: { syncedAt: copy.syncedAt },
      copy: { state: 'ok', syncedAt: copy.syncedAt },
    };
  }

  /** Lays the changes still in the outbox over a listing, marked as waiting for the server. */
  async #withPending(open: Unlocked, realmId: string, items: VaultItem[]): Promise<VaultItem[]> {
    const byKey = new Map(items.map((item) => [item.key, item]));
    for (const op of open.outbox.ops) {
      if (op.realmId !== realmId) continue;
      if (op.op === 'delete') {
        const item = byKey.get(op.key);
        if (item) byKey.set(op.key, { ...item, pending: 'delete' });
        continue;
      }
      const previous = byKey.get(op.key);
      const entry: VaultEntry = { key: op.key, realm_id: realmId, metadata: op.metadata as unknown as Record<string, unknown>, size_bytes: utf8(op.value).length, created_at: previous?.createdAt ?? op.madeAt, updated_at: op.madeAt };
      byKey.set(op.key, { ...(await this.item(open.keys, realmId, entry)), pending: 'save' });
    }
    return [...byKey.values()];
  }

  /**
   * After a listing: brings this computer's copy of the scope up to date, fetching only the values
   * that changed, and writes it atomically. A copy that did not open is simply replaced (repaired).
   */
  /**
   * This computer's copy of a scope. Opening it means decrypting the whole file, so the opened copy
   * is kept and reused while the file on disk is the same one (same size and time): a file changed
   * underneath, tampered with say, is read and checked again.
   */
  async #readCopy(open: Unlocked, realmId: string): Promise<SealedRead<ScopeCopy>> {
    const stamp = await stat(open.copies.pathFor(realmId)).then((s) => `${s.size}:${s.mtimeMs}`, () => 'missing');
    const known = open.openedCopies.get(realmId);
    if (known && known.stamp === stamp) return known.read;
    const read = await open.copies.read(open.keys.cache, realmId);
    open.openedCopies.set(realmId, { stamp, read });
    return read;
  }

  #sync(open: Unlocked, realmId: string, entries: VaultEntry[], prefetched: ReadonlyMap<string, string | undefined> = new Map()): Promise<void> {
    const running = open.syncing.get(realmId);
    if (running) {
      // A newer listing arrived meanwhile: sync once more, with it, when this one ends.
      open.syncAgain.set(realmId, entries);
      return running;
    }
    const client = this.options.accounts.client();
    const job = (async () => {
      const read = await this.#readCopy(open, realmId);
      const previous = read.state === 'ok' ? read.value : undefined;
      const known = new Map(previous?.entries.map((e) => [e.key, e]));
      const values: Record<string, string> = {};
      const toFetch: string[] = [];
      for (const entry of entries) {
        const before = known.get(entry.key);
        // Unchanged since the last copy, or just fetched by the listing: no request needed.
        const value = before && before.updated_at === entry.updated_at ? previous?.values[entry.key] : prefetched.get(entry.key);
        if (value !== undefined) values[entry.key] = value;
        else toFetch.push(entry.key);
      }
      for (const [key, value] of await fetchStoredValues(client, realmId, toFetch, BULK_CONCURRENCY)) if (value !== undefined) values[key] = value;
      if (this.#unlocked !== open) return;
      const syncedAt = new Date().toISOString();
      const copy: ScopeCopy = { realmId, syncedAt, entries: entries.filter((e) => values[e.key] !== undefined), values };
      await open.copies.write(open.keys.cache, copy);
      const written = await stat(open.copies.pathFor(realmId));
      open.openedCopies.set(realmId, { stamp: `${written.size}:${written.mtimeMs}`, read: { state: 'ok', value: copy } });
      open.copyInfo.set(realmId, { state: 'ok', syncedAt });
      this.options.onSynced?.({ realmId, syncedAt, repaired: read.state === 'damaged' });
    })()
      .catch((error: unknown) => {
        if (isOfflineError(error)) this.#setOnline(false);
        this.options.log?.(`sync of ${scopeName(realmId)} failed: ${(error as Error).message}`);
      })
      .finally(() => {
        open.syncing.delete(realmId);
        const next = open.syncAgain.get(realmId);
        open.syncAgain.delete(realmId);
        if (next && this.#unlocked === open) void this.#sync(open, realmId, next);
      });
    open.syncing.set(realmId, job);
    return job;
  }

  /** Waits until no sync of a scope is running or queued (tests). */
  async whenSynced(realmId: string): Promise<void> {
    while (this.#unlocked?.syncing.get(realmId)) await this.#unlocked.syncing.get(realmId);
  }

  /** A stored value as it stands: a change waiting in the outbox first, then the server, else (offline) the local copy. */
  async storedValue(realmId: string, key: string): Promise<{ value: string; metadata: unknown }> {
    const open = this.openVault();
    const pending = [...open.outbox.ops].reverse().find((op) => op.realmId === realmId && op.key === key);
    if (pending?.op === 'save') return { value: pending.value, metadata: pending.metadata };
    if (pending?.op === 'delete') throw new CoreError('NOT_FOUND', `“${key}” is deleted (waiting to be sent).`);
    try {
      const entry: VaultValue = await this.options.accounts.client().getKey(key, realmId || undefined);
      this.#setOnline(true);
      return { value: entry.value, metadata: entry.metadata };
    } catch (error) {
      if (!isOfflineError(error)) throw error;
      this.#setOnline(false);
      const read = await this.#readCopy(open, realmId);
      const value = read.state === 'ok' ? read.value.values[key] : undefined;
      if (value === undefined) throw new CoreError('NETWORK', `You are offline, and “${key}” is not in this computer's copy of the scope.`);
      return { value, metadata: read.state === 'ok' ? read.value.entries.find((e) => e.key === key)?.metadata : undefined };
    }
  }

  #setOnline(online: boolean): void {
    if (online === this.#online) return;
    this.#online = online;
    this.options.log?.(online ? 'server reachable again' : 'server unreachable: working from the local copy');
    if (online) {
      clearInterval(this.#probe);
      this.#probe = undefined;
      void this.#replay();
    } else if (!this.#probe) {
      this.#probe = setInterval(() => void this.#probeServer(), PROBE_MS);
      this.#probe.unref?.();
    }
    void this.status().then((status) => this.options.onChange(status));
  }

  async #probeServer(): Promise<void> {
    if (!this.#unlocked) return;
    try {
      await this.options.accounts.client().vaultStats();
      this.#setOnline(true);
    } catch {
      // still offline
    }
  }

  /** Asks the server now whether it is back (the window's "Retry" button). */
  async checkConnection(): Promise<VaultStatus> {
    await this.#probeServer();
    return this.status();
  }

  async item(keys: VaultKeys, realmId: string, entry: VaultEntry): Promise<VaultItem> {
    const base = { key: entry.key, realmId, storedBytes: entry.size_bytes, size: entry.size_bytes, createdAt: entry.created_at, updatedAt: entry.updated_at };
    if (!isEntryMetadata(entry.metadata)) {
      const plain = entry.metadata && typeof entry.metadata === 'object' ? (entry.metadata as Record<string, unknown>) : {};
      return { ...base, kind: 'secret', format: 'foreign', notes: '', ...(typeof plain.filename === 'string' ? { filename: plain.filename } : {}) };
    }
    const sealed = await openMetadata(keys, realmId, entry.key, entry.metadata);
    if (!sealed) return { ...base, kind: entry.metadata.kind, format: 'unreadable', notes: '' };
    return {
      ...base,
      kind: entry.metadata.kind,
      format: 'hv1',
      size: entry.metadata.size,
      notes: sealed.notes ?? '',
      ...(sealed.filename ? { filename: sealed.filename } : {}),
      ...(sealed.content_type ? { contentType: sealed.content_type } : {}),
    };
  }

  async reveal(realmId: string, key: string, password?: string): Promise<{ value: string; format: 'hv1' | 'hoody-enc1' | 'plain' }> {
    const open = this.openVault();
    const entry = await this.storedValue(realmId, key);
    const format = valueFormat(entry.value);
    if (format === 'plain') return { value: entry.value, format };
    if (format === 'hv1') {
      const value = await openValue(open.keys, realmId, key, entry.value);
      if (value === undefined) {
        throw new CoreError('UNREADABLE', 'This value does not open with your vault key: it was changed outside this app, moved from another name, or sealed by another vault.');
      }
      return { value, format };
    }
    const attempt = password ?? (open.passphrase ? fromUtf8(open.passphrase) : undefined);
    const opened = attempt === undefined ? undefined : await openHoodyEnc1(entry.value, attempt);
    if (opened?.ok) return { value: opened.plaintext, format };
    if (opened?.reason === 'malformed') throw new CoreError('UNREADABLE', 'This value looks like a Hoody SDK envelope but is malformed.');
    throw new CoreError('PASSWORD_REQUIRED', password === undefined ? 'This value was encrypted with the Hoody SDK under its own password. Enter that password to open it.' : 'That password does not open this value.', {
      fields: { password: password === undefined ? 'is needed for this value' : 'does not open this value' },
    });
  }

  /** Copies a value: by main where it can reach the clipboard (Electron), clearing it after 30 s if it still holds the value. */
  async copy(realmId: string, key: string): Promise<{ by: 'main' | 'renderer'; value?: string; clearAfterSeconds: number }> {
    const { value } = await this.reveal(realmId, key);
    const clipboard = this.options.clipboard;
    if (!clipboard) return { by: 'renderer', value, clearAfterSeconds: CLIPBOARD_CLEAR_SECONDS };
    await clipboard.writeText(value);
    clearTimeout(this.#clipboardTimer);
    this.#clipboardTimer = setTimeout(async () => {
      // Only if it still holds the secret: something the user copied since is left alone.
      if ((await clipboard.readText()) === value) await clipboard.clear();
    }, CLIPBOARD_CLEAR_SECONDS * 1000);
    this.#clipboardTimer.unref?.();
    return { by: 'main', clearAfterSeconds: CLIPBOARD_CLEAR_SECONDS };
  }

  async save(input: { realmId: string; key: string; value?: string | undefined; notes: string; mode: 'create' | 'update' }, extra: SealedMeta = {}): Promise<VaultItem> {
    const open = this.openVault();
    const client = this.options.accounts.client();
    const { realmId, key } = input;
    // Changes already waiting go first: while any wait, new ones join them, so order is kept.
    if (open.outbox.ops.length) return this.#saveOffline(open, input, extra);
    let existing: VaultValue | undefined;
    try {
      existing = await client.getKey(key, realmId || undefined).catch((error: unknown) => {
        if (isStatus(error, 404)) return undefined;
        throw error;
      });
    } catch (error) {
      if (!isOfflineError(error)) throw error;
      this.#setOnline(false);
      return this.#saveOffline(open, input, extra);
    }
    if (input.mode === 'create' && existing) {
      throw new CoreError('CONFLICT', `“${key}” already exists in this scope. Choose another name or edit it.`, { fields: { key: 'already exists in this scope' } });
    }
    if (input.mode === 'update' && !existing) throw new CoreError('NOT_FOUND', `“${key}” no longer exists in this scope.`);
    let value = input.value;
    if (value === undefined) {
      if (!existing) throw new CoreError('INVALID_INPUT', 'A new entry needs a value.', { fields: { value: 'is needed' } });
      value = (await this.reveal(realmId, key)).value;
    }
    const envelope = await sealValue(open.keys, realmId, key, value);
    const metadata = await sealMetadata(open.keys, realmId, key, 'secret', utf8(value).length, { ...extra, notes: input.notes });
    const metaBytes = jsonByteLength(metadata);
    if (metaBytes > METADATA_MAX_BYTES) {
      throw new CoreError('INVALID_INPUT', 'The notes are too long to store.', { fields: { notes: `are too long once sealed (${Math.ceil(metaBytes / 1024)} KB of the ${METADATA_MAX_BYTES / 1024} KB allowed)` } });
    }
    await this.checkQuota(client, realmId, utf8(envelope).length + metaBytes - (existing?.size_bytes ?? 0));
    await this.ensureKeyring(client, realmId);
    const { entry } = await client.setKey(key, { value: envelope, metadata: metadata as unknown as Record<string, unknown> }, realmId || undefined).catch((error: unknown) => {
      if (error instanceof CoreError && error.code === 'QUOTA_EXCEEDED') {
        throw new CoreError('QUOTA_EXCEEDED', 'Your vault is full: the server refused to store this.', { fields: { value: 'does not fit in the space left' }, ...(error.status ? { status: error.status } : {}) });
      }
      throw error;
    });
    return this.item(open.keys, realmId, entry);
  }

  /** Refuses, before sending, a write that would not fit in what the account has left. */
  async checkQuota(client: HoodyClient, realmId: string, growth: number): Promise<void> {
    if (growth <= 0) return;
    const stats = await client.vaultStats(realmId || undefined);
    const remaining = Math.floor(stats.remaining_mb * MIB);
    if (growth > remaining) {
      throw new CoreError('QUOTA_EXCEEDED', `This needs ${formatBytes(growth)} but only ${formatBytes(remaining)} of your vault space is left.`, {
        fields: { value: `needs ${formatBytes(growth)}; ${formatBytes(remaining)} left` },
      });
    }
  }

  /** Before the first write to a scope: make sure it holds this vault's keyring (and no other). */
  async ensureKeyring(client: HoodyClient, realmId: string): Promise<void> {
    const open = this.openVault();
    if (open.keyringScopes.has(realmId)) return;
    const { keyring } = this.#stores(this.#account());
    const there = await keyring.fetch(client, realmId);
    if (there && there.vault_id !== open.record.vault_id) {
      throw new CoreError('CONFLICT', 'This realm holds a different vault key (set up separately). Entries written here could not be opened with your passphrase.');
    }
    if (!there) await keyring.put(client, realmId, open.record);
    open.keyringScopes.add(realmId);
  }

  async delete(realmId: string, key: string): Promise<{ pending: boolean }> {
    const open = this.openVault();
    if (key.startsWith(RESERVED_PREFIX)) throw new CoreError('INVALID_INPUT', 'That entry belongs to the app and cannot be deleted here.', { fields: { key: 'is reserved' } });
    if (!open.outbox.ops.length) {
      try {
        await this.options.accounts.client().deleteKey(key, realmId || undefined);
        return { pending: false };
      } catch (error) {
        if (!isOfflineError(error)) throw error;
        this.#setOnline(false);
      }
    }
    const state = await this.#offlineState(open, realmId, key);
    if (!state.exists) throw new CoreError('NOT_FOUND', `“${key}” does not exist in this scope.`);
    await open.outbox.append({ op: 'delete', realmId, key, baseUpdatedAt: state.baseUpdatedAt });
    await this.#outboxChanged();
    return { pending: true };
  }

  /**
   * What is known of an entry without the server: the changes waiting for it, else this computer's
   * copy. `baseUpdatedAt` is the server version a change is made on (null: it did not exist there).
   */
  async #offlineState(open: Unlocked, realmId: string, key: string): Promise<{ exists: boolean; baseUpdatedAt: string | null; value?: string }> {
    const ops = open.outbox.ops.filter((op) => op.realmId === realmId && op.key === key);
    const first = ops[0];
    const last = ops.at(-1);
    if (first && last) {
      return last.op === 'save' ? { exists: true, baseUpdatedAt: first.baseUpdatedAt, value: last.value } : { exists: false, baseUpdatedAt: first.baseUpdatedAt };
    }
    const read = await this.#readCopy(open, realmId);
    const entry = read.state === 'ok' ? read.value.entries.find((e) => e.key === key) : undefined;
    if (entry && read.state === 'ok') return { exists: true, baseUpdatedAt: entry.updated_at, value: read.value.values[key]! };
    return { exists: false, baseUpdatedAt: null };
  }

  /**
   * Offline (or behind other waiting changes): the change is sealed here as usual and kept in the
   * outbox; the entry is returned marked pending, never as saved, until the server confirms it.
   */
  async #saveOffline(open: Unlocked, input: { realmId: string; key: string; value?: string | undefined; notes: string; mode: 'create' | 'update' }, extra: SealedMeta): Promise<VaultItem> {
    const { realmId, key } = input;
    const state = await this.#offlineState(open, realmId, key);
    if (input.mode === 'create' && state.exists) {
      throw new CoreError('CONFLICT', `“${key}” already exists in this scope. Choose another name or edit it.`, { fields: { key: 'already exists in this scope' } });
    }
    if (input.mode === 'update' && !state.exists) throw new CoreError('NOT_FOUND', `“${key}” no longer exists in this scope.`);
    let value = input.value;
    if (value === undefined) {
      const opened = state.value !== undefined && valueFormat(state.value) === 'hv1' ? await openValue(open.keys, realmId, key, state.value) : undefined;
      if (opened === undefined) throw new CoreError('INVALID_INPUT', 'Enter the value too: it is not available offline.', { fields: { value: 'is needed offline' } });
      value = opened;
    }
    const envelope = await sealValue(open.keys, realmId, key, value);
    const metadata = await sealMetadata(open.keys, realmId, key, 'secret', utf8(value).length, { ...extra, notes: input.notes });
    await open.outbox.append({ op: 'save', realmId, key, value: envelope, metadata, baseUpdatedAt: state.baseUpdatedAt });
    await this.#outboxChanged();
    const now = new Date().toISOString();
    const item = await this.item(open.keys, realmId, { key, realm_id: realmId, metadata: metadata as unknown as Record<string, unknown>, size_bytes: utf8(envelope).length, created_at: now, updated_at: now });
    return { ...item, pending: 'save' };
  }

  async #outboxChanged(): Promise<void> {
    this.options.onChange(await this.status());
    if (this.#online) void this.#replay();
  }

  /**
   * Sends the waiting changes in order. Each is checked against the server first: an entry changed
   * there since the change was made (its updated_at differs), deleted there, or created there
   * meanwhile stops the replay until the user chooses; so does a change the server refuses.
   */
  #replay(): Promise<void> {
    this.#replaying ??= (async () => {
      const open = this.#unlocked;
      if (!open) return;
      const client = this.options.accounts.client();
      while (this.#unlocked === open && open.outbox.ops.length && !this.#conflict) {
        const op = open.outbox.ops[0]!;
        try {
          const current = await client.getKey(op.key, op.realmId || undefined).catch((error: unknown) => {
            if (isStatus(error, 404)) return undefined;
            throw error;
          });
          const conflict = conflictOf(op, current);
          if (conflict) {
            this.#conflict = conflict;
            break;
          }
          await this.#apply(open, client, op);
        } catch (error) {
          if (isOfflineError(error)) {
            this.#setOnline(false);
            break;
          }
          this.#conflict = { opId: op.id, realmId: op.realmId, key: op.key, change: op.op, reason: 'refused', message: `The server refused this change: ${(error as Error).message}` };
          break;
        }
      }
      this.options.onChange(await this.status());
    })().finally(() => {
      this.#replaying = undefined;
    });
    return this.#replaying;
  }

  /** Sends one waiting change, then points later changes of the same entry at the new server version. */
  async #apply(open: Unlocked, client: HoodyClient, op: OutboxOp, asKey = op.key): Promise<void> {
    let updatedAt: string | null = null;
    if (op.op === 'save') {
      await this.ensureKeyring(client, op.realmId);
      let { value, metadata } = op;
      if (asKey !== op.key) {
        // Sealed values are bound to their key name: under another name they are sealed again.
        const plain = await openValue(open.keys, op.realmId, op.key, value);
        const meta = await openMetadata(open.keys, op.realmId, op.key, metadata);
        if (plain === undefined || !meta) throw new CoreError('UNREADABLE', 'The waiting change could not be opened to store it under another name.');
        value = await sealValue(open.keys, op.realmId, asKey, plain);
        metadata = await sealMetadata(open.keys, op.realmId, asKey, metadata.kind, metadata.size, meta);
      }
      const { entry } = await client.setKey(asKey, { value, metadata: metadata as unknown as Record<string, unknown> }, op.realmId || undefined);
      updatedAt = entry.updated_at;
    } else {
      await client.deleteKey(op.key, op.realmId || undefined).catch((error: unknown) => {
        if (!isStatus(error, 404)) throw error;
      });
    }
    await open.outbox.remove(op.id);
    if (asKey === op.key) await open.outbox.rebase(op.realmId, op.key, updatedAt);
  }

  /** The user's choice for the change the replay stopped at: keep mine, keep theirs, or keep both. */
  async resolveConflict(opId: string, choice: ConflictChoice): Promise<VaultStatus> {
    const open = this.openVault();
    const conflict = this.#conflict;
    const op = open.outbox.ops.find((o) => o.id === opId);
    if (!conflict || conflict.opId !== opId || !op) throw new CoreError('NOT_FOUND', 'That change is no longer waiting for a decision.');
    const client = this.options.accounts.client();
    if (choice === 'theirs') {
      await open.outbox.remove(op.id);
    } else if (choice === 'mine') {
      await this.#apply(open, client, op);
    } else {
      if (op.op !== 'save') throw new CoreError('INVALID_INPUT', 'Keeping both applies to an edit, not a deletion.', { fields: { choice: 'must be mine or theirs for a deletion' } });
      const taken = new Set((await client.listKeys(op.realmId || undefined)).map((e) => e.key));
      const stamp = op.madeAt.slice(0, 16).replace(/[-:T]/g, '');
      await this.#apply(open, client, op, uniqueKey(`${op.key}.mine-${stamp}`.slice(0, 255), taken));
    }
    this.#conflict = undefined;
    await this.#replay();
    return this.status();
  }

  /** Deletes every entry of a scope, once its name is typed; the vault's keyring is put back. */
  async clear(realmId: string, confirmation: string): Promise<{ deleted: number }> {
    const open = this.openVault();
    if (confirmation.trim() !== scopeName(realmId)) {
      throw new CoreError('INVALID_INPUT', `Type “${scopeName(realmId)}” to confirm.`, { fields: { confirmation: `must be “${scopeName(realmId)}”` } });
    }
    const client = this.options.accounts.client();
    const hadKeyring = (await this.#stores(this.#account()).keyring.fetch(client, realmId))?.vault_id === open.record.vault_id;
    const deleted = await client.clearVault(realmId || undefined);
    if (hadKeyring) await this.#stores(this.#account()).keyring.put(client, realmId, open.record);
    return { deleted: hadKeyring ? deleted - 1 : deleted };
  }

  /** Seals a value the app did not write (plain text or Hoody's `_enc`) in this app's format, in place. */
  async encrypt(realmId: string, key: string, password?: string): Promise<VaultItem> {
    this.openVault();
    const client = this.options.accounts.client();
    const entry = await client.getKey(key, realmId || undefined);
    if (valueFormat(entry.value) === 'hv1') throw new CoreError('CONFLICT', 'This value is already encrypted by this app.');
    const { value } = await this.reveal(realmId, key, password);
    // Plain server metadata would leak; it moves inside the seal.
    const plain = (entry.metadata ?? {}) as Record<string, unknown>;
    const { filename, content_type, ...rest } = plain;
    const extra: SealedMeta = {
      ...(typeof filename === 'string' ? { filename } : {}),
      ...(typeof content_type === 'string' ? { content_type } : {}),
    };
    const notes = Object.keys(rest).length ? Object.entries(rest).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n') : '';
    return this.save({ realmId, key, value, notes, mode: 'update' }, extra);
  }

  /** Stores the ED25519 private key generated on the Profile page, sealed, then forgets it. */
  async storeSigningKey(realmId: string, key: string): Promise<VaultItem> {
    const account = this.#account();
    const privateKey = this.options.pendingSigningKey?.(account.id);
    if (!privateKey) throw new CoreError('NOT_FOUND', 'There is no newly generated key to store. Generate a key pair on the Profile page first.');
    const hex = Buffer.from(privateKey).toString('hex');
    const item = await this.save({ realmId, key, value: hex, notes: `ED25519 private key (libsodium, seed + public key, hex). Public key: ${hex.slice(64)}`, mode: 'create' });
    this.options.clearPendingSigningKey?.();
    return item;
  }
}

function statsView(stats: VaultStats): VaultStatsView {
  const limit = Math.round(stats.limit_mb * MIB);
  const remaining = Math.max(0, Math.round(stats.remaining_mb * MIB));
  return {
    keys: stats.total_keys,
    scopeBytes: stats.total_size_bytes,
    accountLimitBytes: limit,
    accountUsedBytes: Math.max(0, limit - remaining),
    usedPercentage: stats.used_percentage,
    remainingBytes: remaining,
  };
}
