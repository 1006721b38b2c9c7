import type { VaultEntry } from '../../../common/hoody-types.js';
import type { VaultItem } from '../../../common/vault.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { compareKeys } from '../../../common/key-order.js';
import { isEntryMetadata } from '../crypto/envelope.js';
import { sameJson } from '../util/same-json.js';
import { fitsStoredSize } from './entry-verdicts.js';
import { entryItem } from './entry-view.js';
import { SerialWrites } from './serial-writes.js';
import { entryDigest, OpenedItemsStore, type OpenedItem } from './opened-items-store.js';
import type { OpenVault, VaultPart } from './vault-part.js';

// Each entry of a listing is opened once per version: what the server says of it (its digest, opened-items-store.ts) is
// compared with what it said when the entry was last opened, in this session (in memory) or before
// (this computer's sealed record, opened-items-store.ts, read while the window asks for its first
// listing). Only new and changed entries are opened; the record is rewritten after a listing that
// opened or dropped any.

/** One of the two is there: an entry opened in this session was listed; one only read from the record has its digest. */
interface Known extends OpenedItem {
  /** The entry as the server last listed it in this session, to compare the next listing's with. */
  listed?: VaultEntry;
  /** The entry's digest as the record keeps it (`entryDigest`); made from `listed` when first needed. */
  digest?: string;
}

/**
 * Whether the server lists the entry as it did last time in this session: what its opened item is
 * made of, compared in place. The app's own metadata by its four fields (what `entryItem` reads),
 * anything else whole.
 */
function sameListed(known: Known, entry: VaultEntry): boolean {
  const listed = known.listed;
  if (listed === undefined || listed.updated_at !== entry.updated_at || listed.size_bytes !== entry.size_bytes || listed.created_at !== entry.created_at) return false;
  const [a, b] = [listed.metadata, entry.metadata];
  if (isEntryMetadata(a) && isEntryMetadata(b)) return a.sealed === b.sealed && a.size === b.size && a.kind === b.kind;
  return sameJson(a, b);
}

export class OpenedItems implements VaultPart {
  #open: OpenVault | undefined;
  #store: OpenedItemsStore | undefined;
  /** By scope, then key. They hold the notes in clear, so they go on lock. */
  readonly #scopes = new Map<string, Map<string, Known>>();
  readonly #loading = new Map<string, Promise<void>>();
  /** One record write at a time per scope. */
  readonly #writes = new SerialWrites();

  constructor(
    private readonly accounts: AccountsService,
    private readonly log?: (message: string) => void,
  ) {}

  /**
   * A scope's record is read when the scope is first listed: right after an unlock in the window
   * (the listing made ahead, listing.ts), whenever asked on the command line. Reading every scope's
   * at the unlock only added their decryption to it.
   */
  onUnlock(open: OpenVault): void {
    this.#open = open;
    this.#store = new OpenedItemsStore(this.accounts.accountDataDir(open.accountId), open.accountId);
  }

  clearOnLock(): void {
    this.#open = undefined;
    this.#store = undefined;
    this.#scopes.clear();
    this.#loading.clear();
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
        const before = [...scope.keys()];
        for (const [key, entry] of kept) if (!scope.has(key)) scope.set(key, { ...entry, item: Object.freeze(entry.item) });
        // The record is written in name order: usually there is nothing to place.
        this.#inNameOrder(realmId, before);
      })().catch((error: unknown) => this.log?.(`opened entries of a scope not read: ${(error as Error).message}`));
      this.#loading.set(realmId, loading);
    }
    return loading;
  }

  /**
   * The listing's entries opened (each version once), with the keys whose stored size does not fit
   * their metadata. An entry the server describes as last time is given back as the very same item:
   * items are frozen, shared by every listing of the session, and a later step that labels one
   * differently makes a copy. Comparing the entry with the one last seen (no string built, nothing
   * copied) is what keeps a listing that changed nothing cheap at 10,000 entries.
   */
  async items(open: OpenVault, realmId: string, entries: readonly VaultEntry[]): Promise<{ items: VaultItem[]; misfits: Set<string> }> {
    await this.#load(open, realmId);
    const scope = this.#scope(realmId);
    let changed = false;
    const items: VaultItem[] = new Array<VaultItem>(entries.length);
    const misfits = new Set<string>();
    const toOpen: number[] = [];
    for (let i = 0; i < entries.length; i += 1) {
      const entry = entries[i]!;
      const known = scope.get(entry.key);
      if (known && !sameListed(known, entry)) {
        // Listed otherwise than last time in this session, or not yet listed in it: the same digest
        // is the same item (the first listing after an unlock, 10,000 digests and nothing opened).
        known.digest ??= entryDigest(known.listed!);
        if (known.digest === entryDigest(entry)) {
          known.listed = entry;
        } else {
          toOpen.push(i);
          continue;
        }
      } else if (!known) {
        toOpen.push(i);
        continue;
      }
      items[i] = known.item;
      if (!known.fits) misfits.add(entry.key);
    }
    if (toOpen.length > 0) changed = true;
    const added: string[] = [];
    await Promise.all(
      toOpen.map(async (i) => {
        const entry = entries[i]!;
        const item = Object.freeze(await entryItem(open.keys, realmId, entry));
        const fits = fitsStoredSize(entry);
        if (!scope.has(entry.key)) added.push(entry.key);
        scope.set(entry.key, { listed: entry, item, fits });
        items[i] = item;
        if (!fits) misfits.add(entry.key);
      }),
    );
    if (scope.size > entries.length) {
      const present = new Set(entries.map((e) => e.key));
      for (const key of scope.keys()) if (!present.has(key)) scope.delete(key);
      changed = true;
    }
    if (changed) void this.#save(open, realmId);
    // In name order (the scope's map is kept in it): the window's sort then finds one run already in
    // order, and the command line prints names in order whatever order the server listed them in.
    const ordered = added.length > 0 ? this.#inNameOrder(realmId, added) : this.#scope(realmId);
    if (ordered.size !== entries.length) return { items, misfits };
    const inOrder: VaultItem[] = [];
    for (const known of ordered.values()) inOrder.push(known.item);
    return { items: inOrder, misfits };
  }

  /**
   * Puts the scope's map back in name order after `added` keys were appended to it: each is placed
   * by a binary search among the others (a few new entries cost a few dozen comparisons, not a
   * sort of 10,000), then the map is built again in that order.
   */
  #inNameOrder(realmId: string, added: readonly string[]): Map<string, Known> {
    const scope = this.#scope(realmId);
    const fresh = new Set(added);
    const kept: string[] = [];
    for (const key of scope.keys()) if (!fresh.has(key)) kept.push(key);
    // A record written before it was kept in order (or by another locale) is sorted once.
    for (let i = 1; i < kept.length; i += 1) {
      if (compareKeys(kept[i - 1]!, kept[i]!) > 0) {
        kept.sort(compareKeys);
        break;
      }
    }
    const sortedAdded = [...fresh].sort(compareKeys);
    const order: string[] = [];
    let from = 0;
    for (const key of sortedAdded) {
      let lo = from;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareKeys(kept[mid]!, key) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (let i = from; i < lo; i += 1) order.push(kept[i]!);
      order.push(key);
      from = lo;
    }
    for (let i = from; i < kept.length; i += 1) order.push(kept[i]!);
    // The same map, refilled (a listing may hold it across an await): only if the order changed.
    let same = order.length === scope.size;
    if (same) {
      let i = 0;
      for (const key of scope.keys()) if (order[i++] !== key) same = false;
    }
    if (!same) {
      const known = new Map(scope);
      scope.clear();
      for (const key of order) scope.set(key, known.get(key)!);
    }
    return scope;
  }

  /** Rewrites the scope's record, one write at a time per scope, with the entries as now known. */
  #save(open: OpenVault, realmId: string): Promise<void> {
    return this.#writes
      .run(realmId, async () => {
        const store = this.#store;
        const scope = this.#scopes.get(realmId);
        // Locked (or locked and opened again) since it was asked: nothing of that session is written.
        if (!store || !scope || this.#open !== open) return;
        const items = [...scope.values()].map((known) => {
          known.digest ??= entryDigest(known.listed!);
          return { item: known.item, fits: known.fits, digest: known.digest };
        });
        await store.write(open.keys.cache, realmId, items);
      })
      .catch((error: unknown) => this.log?.(`opened entries of a scope not written: ${(error as Error).message}`));
  }

  /** Resolves when the scope's record is written as last asked (tests, and the command line before it ends). */
  async whenSaved(realmId: string): Promise<void> {
    await this.#writes.settled(realmId);
  }
}
