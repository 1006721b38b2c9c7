import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VaultEntry, VaultValue } from '../../../common/hoody-types.js';
import { scopeName, type VaultListing } from '../../../common/vault.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { SealedRead } from '../storage/sealed-file.js';
import { BULK_CONCURRENCY, fetchStoredValues } from './bulk-fetch.js';
import { isOfflineError, type Connectivity } from './connectivity.js';
import { LocalCopyStore, type ScopeCopy } from './local-copy-store.js';
import type { OpenVault, VaultPart } from './vault-part.js';

// This computer's encrypted copy of each scope, brought up to date after every listing, so the vault
// can be read offline. The opened copies are kept in memory while the vault is open and dropped
// when it locks.

const realmIdPattern = /^[0-9a-f]{24}$/;

interface Mirror {
  open: OpenVault;
  copies: LocalCopyStore;
  /** What is known of each scope's local copy (from the last sync in this session). */
  copyInfo: Map<string, VaultListing['copy']>;
  syncing: Map<string, Promise<void>>;
  /** The latest listing seen while a sync of the scope was running: synced right after it. */
  syncAgain: Map<string, VaultEntry[]>;
  /** Each scope's copy as last opened, with the file's size and time then: unchanged files are not decrypted again. */
  openedCopies: Map<string, { stamp: string; read: SealedRead<ScopeCopy> }>;
}

export interface ScopeMirrorOptions {
  accounts: AccountsService;
  connectivity: Connectivity;
  /** Whether this open vault is still the open one. */
  isOpen: (open: OpenVault) => boolean;
  /** A scope's local copy was written (and, if it had been damaged, repaired). */
  onSynced?: (sync: { realmId: string; syncedAt: string; repaired: boolean }) => void;
  log?: (message: string) => void;
}

export class ScopeMirror implements VaultPart {
  #mirror: Mirror | undefined;

  constructor(private readonly options: ScopeMirrorOptions) {}

  onUnlock(open: OpenVault): void {
    const dir = this.options.accounts.accountDataDir(open.accountId);
    this.#mirror = { open, copies: new LocalCopyStore(dir, open.accountId), copyInfo: new Map(), syncing: new Map(), syncAgain: new Map(), openedCopies: new Map() };
  }

  /** The opened copies hold every synced value (sealed, but with names and notes in reach): gone on lock. */
  clearOnLock(): void {
    this.#mirror = undefined;
  }

  #for(open: OpenVault): Mirror | undefined {
    return this.#mirror?.open === open ? this.#mirror : undefined;
  }

  /** What is known of a scope's copy in this session. */
  copyInfo(open: OpenVault, realmId: string): VaultListing['copy'] {
    return this.#for(open)?.copyInfo.get(realmId) ?? { state: 'missing' };
  }

  markDamaged(open: OpenVault, realmId: string): void {
    this.#for(open)?.copyInfo.set(realmId, { state: 'damaged' });
  }

  /**
   * This computer's copy of a scope. Opening it means decrypting the whole file, so the opened copy
   * is kept and reused while the file on disk is the same one (same size and time): a file changed
   * underneath, tampered with say, is read and checked again.
   */
  async read(open: OpenVault, realmId: string): Promise<SealedRead<ScopeCopy>> {
    const mirror = this.#for(open);
    if (!mirror) return { state: 'missing' };
    const stamp = await stat(mirror.copies.pathFor(realmId)).then((s) => `${s.size}:${s.mtimeMs}`, () => 'missing');
    const known = mirror.openedCopies.get(realmId);
    if (known && known.stamp === stamp) return known.read;
    const read = await mirror.copies.read(open.keys.cache, realmId);
    mirror.openedCopies.set(realmId, { stamp, read });
    return read;
  }

  /** The realms this computer holds a copy of (offline, the scope picker is built from them). */
  async syncedRealms(accountId: string): Promise<{ realms: string[]; global: boolean }> {
    const dir = join(this.options.accounts.accountDataDir(accountId), 'copies');
    const names = await readdir(dir).catch(() => [] as string[]);
    const scopes = names.filter((name) => name.endsWith('.hvs')).map((name) => name.slice(0, -'.hvs'.length));
    return { realms: scopes.filter((scope) => realmIdPattern.test(scope)).sort(), global: scopes.includes(scopeName('')) };
  }

  /** The copy as already opened in memory (no disk read, no decryption), if it is. */
  peek(open: OpenVault, realmId: string): ScopeCopy | undefined {
    const read = this.#for(open)?.openedCopies.get(realmId)?.read;
    return read?.state === 'ok' ? read.value : undefined;
  }

  /** A value as this computer's copy has it (offline), with its server metadata. */
  async value(open: OpenVault, realmId: string, key: string): Promise<{ value: string; metadata: unknown } | undefined> {
    const read = await this.read(open, realmId);
    if (read.state !== 'ok') return undefined;
    const value = read.value.values[key];
    return value === undefined ? undefined : { value, metadata: read.value.entries.find((e) => e.key === key)?.metadata };
  }

  /** Waits until no sync of a scope is running or queued: a command-line run ends only then. */
  async whenSynced(realmId: string): Promise<void> {
    for (let running = this.#mirror?.syncing.get(realmId); running; running = this.#mirror?.syncing.get(realmId)) await running;
  }

  /**
   * After a write the server confirmed (`written`), or a deletion (undefined): this computer's copy
   * of the scope takes it at once, so an entry created since the last listing can still be edited
   * offline. A scope never synced gets no copy from this: a partial copy would pass for the scope.
   */
  async applyWrite(open: OpenVault, realmId: string, key: string, written: VaultValue | undefined): Promise<void> {
    const mirror = this.#for(open);
    if (!mirror) return;
    // A running sync writes a whole copy: the write lands after it, on top.
    await mirror.syncing.get(realmId)?.catch(() => {});
    try {
      const read = await this.read(open, realmId);
      if (read.state !== 'ok' || !this.options.isOpen(open)) return;
      const { value: _value, ...entry } = written ?? { value: undefined };
      const values = { ...read.value.values };
      delete values[key];
      if (written) values[key] = written.value;
      const entries = [...read.value.entries.filter((e) => e.key !== key), ...(written ? [entry as VaultEntry] : [])];
      const copy: ScopeCopy = { ...read.value, entries, values };
      await this.#write(mirror, open, copy);
    } catch (error) {
      this.options.log?.(`local copy of ${scopeName(realmId)} not updated after a write: ${(error as Error).message}`);
    }
  }

  async #write(mirror: Mirror, open: OpenVault, copy: ScopeCopy): Promise<void> {
    await mirror.copies.write(open.keys.cache, copy);
    const written = await stat(mirror.copies.pathFor(copy.realmId));
    mirror.openedCopies.set(copy.realmId, { stamp: `${written.size}:${written.mtimeMs}`, read: { state: 'ok', value: copy } });
  }

  /**
   * After a listing: brings this computer's copy of the scope up to date, fetching only the values
   * that changed, and writes it atomically. A copy that did not open is simply replaced (repaired).
   * Values the listing already fetched (`prefetched`) are not fetched again.
   */
  sync(open: OpenVault, realmId: string, entries: VaultEntry[], prefetched: ReadonlyMap<string, string | undefined> = new Map()): Promise<void> {
    const mirror = this.#for(open);
    if (!mirror) return Promise.resolve();
    const running = mirror.syncing.get(realmId);
    if (running) {
      // A newer listing arrived meanwhile: sync once more, with it, when this one ends.
      mirror.syncAgain.set(realmId, entries);
      return running;
    }
    const client = this.options.accounts.client();
    const job = (async () => {
      const read = await this.read(open, realmId);
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
      if (!this.options.isOpen(open)) return;
      const syncedAt = new Date().toISOString();
      const copy: ScopeCopy = { realmId, syncedAt, entries: entries.filter((e) => values[e.key] !== undefined), values };
      await this.#write(mirror, open, copy);
      mirror.copyInfo.set(realmId, { state: 'ok', syncedAt });
      this.options.onSynced?.({ realmId, syncedAt, repaired: read.state === 'damaged' });
    })()
      .catch((error: unknown) => {
        if (isOfflineError(error)) this.options.connectivity.setOnline(false);
        this.options.log?.(`sync of ${scopeName(realmId)} failed: ${(error as Error).message}`);
      })
      .finally(() => {
        mirror.syncing.delete(realmId);
        const next = mirror.syncAgain.get(realmId);
        mirror.syncAgain.delete(realmId);
        if (next && this.options.isOpen(open)) void this.sync(open, realmId, next);
      });
    mirror.syncing.set(realmId, job);
    return job;
  }
}
