import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { VaultEntry } from '../../../common/hoody-types.js';
import { GLOBAL_SCOPE_NAME, type VaultItem } from '../../../common/vault.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { fitsStoredSize } from './entry-verdicts.js';
import { entryItem } from './entry-view.js';
import { entryStamp, OpenedItemsStore, stampDigest, type OpenedItem } from './opened-items-store.js';
import type { OpenVault, VaultPart } from './vault-part.js';

// Each entry of a listing is opened once per version: what the server says of it (its stamp) is
// compared with what it said when the entry was last opened, in this session (in memory) or before
// (this computer's sealed record, opened-items-store.ts, read while the window asks for its first
// listing). Only new and changed entries are opened; the record is rewritten after a listing that
// opened or dropped any.

interface Known extends OpenedItem {
  /** The stamp as last seen in this session; absent for an entry only read from the record so far. */
  stamp?: string;
  /** The stamp's digest as the record keeps it; absent until written or read. */
  digest?: string;
}

export class OpenedItems implements VaultPart {
  #open: OpenVault | undefined;
  #store: OpenedItemsStore | undefined;
  /** By scope, then key. They hold the notes in clear, so they go on lock. */
  readonly #scopes = new Map<string, Map<string, Known>>();
  readonly #loading = new Map<string, Promise<void>>();
  readonly #writing = new Map<string, Promise<void>>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly log?: (message: string) => void,
  ) {}

  /** Starts reading every scope's record at once: it is ready by the time the window asks. */
  onUnlock(open: OpenVault): void {
    this.#open = open;
    const store = new OpenedItemsStore(this.accounts.accountDataDir(open.accountId), open.accountId);
    this.#store = store;
    void readdir(dirname(store.pathFor(''))).then(
      (names) => {
        for (const name of names) {
          if (!name.endsWith('.hvi')) continue;
          const scope = name.slice(0, -'.hvi'.length);
          void this.#load(open, scope === GLOBAL_SCOPE_NAME ? '' : scope);
        }
      },
      () => {},
    );
  }

  clearOnLock(): void {
    this.#open = undefined;
    this.#store = undefined;
    this.#scopes.clear();
    this.#loading.clear();
    this.#writing.clear();
  }

  #scope(realmId: string): Map<string, Known> {
    let scope = this.#scopes.get(realmId);
    if (!scope) {
      scope = new Map();
      this.#scopes.set(realmId, scope);
    }
    return scope;
  }

  #load(open: OpenVault, realmId: string): Promise<void> {
    let loading = this.#loading.get(realmId);
    if (!loading) {
      const store = this.#store;
      loading = (async () => {
        if (!store || this.#open !== open) return;
        const kept = await store.read(open.keys.cache, realmId);
        if (this.#open !== open) return;
        const scope = this.#scope(realmId);
        // What this session opened already is as new as the record, or newer.
        for (const [key, entry] of kept) if (!scope.has(key)) scope.set(key, entry);
      })().catch((error: unknown) => this.log?.(`opened entries of a scope not read: ${(error as Error).message}`));
      this.#loading.set(realmId, loading);
    }
    return loading;
  }

  /** The listing's entries opened (each version once), with the keys whose stored size does not fit their metadata. */
  async items(open: OpenVault, realmId: string, entries: readonly VaultEntry[]): Promise<{ items: VaultItem[]; misfits: Set<string> }> {
    await this.#load(open, realmId);
    const scope = this.#scope(realmId);
    let changed = false;
    const opened = await Promise.all(
      entries.map(async (entry): Promise<OpenedItem> => {
        const stamp = entryStamp(entry);
        const known = scope.get(entry.key);
        if (known && (known.stamp === stamp || (known.stamp === undefined && known.digest === stampDigest(stamp)))) {
          known.stamp = stamp;
          return { item: { ...known.item }, fits: known.fits };
        }
        changed = true;
        const item = await entryItem(open.keys, realmId, entry);
        const fits = fitsStoredSize(entry);
        scope.set(entry.key, { stamp, item: { ...item }, fits });
        return { item, fits };
      }),
    );
    if (scope.size > entries.length) {
      const present = new Set(entries.map((e) => e.key));
      for (const key of scope.keys()) if (!present.has(key)) scope.delete(key);
      changed = true;
    }
    if (changed) void this.#save(open, realmId);
    const misfits = new Set<string>();
    for (const { item, fits } of opened) if (!fits) misfits.add(item.key);
    return { items: opened.map((o) => o.item), misfits };
  }

  /** Rewrites the scope's record, one write at a time per scope, with the entries as now known. */
  #save(open: OpenVault, realmId: string): Promise<void> {
    const previous = this.#writing.get(realmId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const store = this.#store;
      const scope = this.#scopes.get(realmId);
      if (!store || !scope || this.#open !== open) return;
      const items = [...scope.values()].map((known) => {
        known.digest ??= stampDigest(known.stamp!);
        return { item: known.item, fits: known.fits, digest: known.digest };
      });
      await store.write(open.keys.cache, realmId, items);
    });
    const settled = next.catch((error: unknown) => this.log?.(`opened entries of a scope not written: ${(error as Error).message}`));
    this.#writing.set(realmId, settled);
    return settled;
  }

  /** Resolves when the scope's record is written as last asked (tests, and the command line before it ends). */
  async whenSaved(realmId: string): Promise<void> {
    await this.#writing.get(realmId);
  }
}
