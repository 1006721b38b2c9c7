import type { VaultEntry, VaultStats } from '../../../common/hoody-types.js';
import { vaultWrites } from '../api/vault-writes.js';
import { RESERVED_PREFIX, type VaultItem, type VaultListing, type VaultListingChanges } from '../../../common/vault.js';
import { CoreError } from '../core-error.js';
import { valueFormat } from '../crypto/envelope.js';
import { fetchStoredValues } from './bulk-fetch.js';
import { isOfflineError } from './connectivity.js';
import { judgeValue } from './entry-verdicts.js';
import { statsView } from './entry-view.js';
import { ListingPrefetch } from './listing-prefetch.js';
import { ListingVersions } from './listing-versions.js';
import type { OpenedItems } from './opened-items.js';
import type { OpenVault, VaultPart } from './vault-part.js';
import { copiedValueHint, type ScopeCopy } from './local-copy-store.js';
import type { VaultEntryDeps } from './part-deps.js';

// Listing a scope: from the server when it answers (then the local copy is brought up to date in
// the background), else from this computer's copy; either way with the waiting changes on top.

/** A first listing made at the unlock is given to the window only this soon after (it asks at once). */
const WARM_MS = 10_000;

/** How many entries of unknown format are looked at, per listing, to tell plain text from Hoody's envelopes. */
const CLASSIFY_LIMIT = 300;

export interface VaultListingDeps extends VaultEntryDeps {
  /** Entries opened before, this session or on this computer (opened-items.ts). */
  opened: OpenedItems;
}

/** What a listing made of one answer of the server (#made), and its labels (#labelled). */
interface Made {
  open: OpenVault;
  entries: readonly VaultEntry[];
  reservedBytes: number;
  byKey: ReadonlyMap<string, VaultEntry>;
  /** Opened, unknown formats told apart; not yet labelled. */
  items: readonly VaultItem[];
  misfits: ReadonlySet<string>;
  labels?: { copy: ScopeCopy | undefined; noted: number; items: VaultItem[] };
}

export class VaultListings implements VaultPart {
  /** The versions of each scope's listing sent to the window, for `listChanges`. */
  readonly #versions = new ListingVersions();
  /**
   * The realms and first listing asked for while an unlock derives the key. Not cleared on lock:
   * it holds only what a locked listing shows (names, sealed metadata), and the unlock itself
   * clears every part before opening.
   */
  readonly #prefetch = new ListingPrefetch();
  /** The first listing, made as soon as an unlock succeeds, for the window's first ask (taken once). */
  #warm: { open: OpenVault; realmId: string; madeAt: number; writes: number; listing: Promise<VaultListing> } | undefined;
  /** Listings asked for so far: a first listing not started before the window asked is not made at all. */
  #asked = 0;
  /** Per scope, what was made of the last listing the server sent (#made), for the next one that is the same. */
  readonly #makes = new Map<string, Made>();

  constructor(private readonly deps: VaultListingDeps) {}

  clearOnLock(): void {
    this.#versions.clearOnLock();
    this.#makes.clear();
  }

  /**
   * For a window that may hold a listing already: the listing, sent whole, or only what changed
   * since the window's version when this session still knows it.
   */
  async listChanges(realmId: string, since: string | undefined): Promise<VaultListingChanges> {
    const { entries, version, ...rest } = await this.list(realmId);
    const changes = since === undefined ? undefined : this.#versions.since(realmId, since);
    return changes ? { ...rest, version: version!, changes } : { ...rest, version: version!, entries };
  }

  /** An unlock is starting: the requests the window's first listing needs go out now (see listing-prefetch.ts). */
  prefetchForUnlock(): void {
    try {
      const account = this.deps.session.account();
      this.#prefetch.start(account.id, this.deps.accounts.client(), () => this.#serverRealms());
    } catch {
      // Signed out: the unlock says so itself.
    }
  }

  /**
   * The vault just opened (after the parts registered before this one, the opened entries among them):
   * the listing the window asks for next is made now, while the unlock's answer travels and the window
   * draws itself, rather than when it asks. Only after an unlock the window started (prefetchForUnlock).
   */
  onUnlock(): void {
    const { session } = this.deps;
    const open = session.openVault();
    const asked = this.#asked;
    void this.#prefetch.scope(open.accountId).then((realmId) => {
      // The window asked already (its listing is under way): one made now would only be older than the next.
      if (realmId === undefined || !session.isOpen(open) || this.#asked !== asked) return;
      const writes = vaultWrites();
      const listing = this.#list(realmId);
      listing.catch(() => {});
      this.#warm = { open, realmId, madeAt: Date.now(), writes, listing };
    });
  }

  async #serverRealms(): Promise<{ realms: string[]; globalAllowed: boolean }> {
    const { session, connectivity } = this.deps;
    const client = this.deps.accounts.client();
    const account = session.account();
    return connectivity.observe(async () => {
      const allowed = await session.allowedRealms(account, client);
      if (allowed) return { realms: allowed, globalAllowed: false };
      return { realms: await client.realms(), globalAllowed: true };
    });
  }

  /** The scopes to pick from: the server's realms, or offline the ones this computer holds a copy of. */
  async realms(): Promise<{ realms: string[]; globalAllowed: boolean }> {
    const { session, mirror } = this.deps;
    const account = session.account();
    try {
      return (await this.#prefetch.takeRealms(account.id)) ?? (await this.#serverRealms());
    } catch (error) {
      if (!isOfflineError(error)) throw error;
      const synced = await mirror.syncedRealms(account.id);
      return { realms: synced.realms, globalAllowed: synced.global };
    }
  }

  async list(realmId: string): Promise<VaultListing> {
    this.#asked += 1;
    const warm = this.#warm;
    if (warm) {
      this.#warm = undefined;
      // Only for the same open vault and scope, with no vault write since it was started; a failed
      // one is simply made again.
      if (warm.realmId === realmId && this.deps.session.isOpen(warm.open) && Date.now() - warm.madeAt < WARM_MS && vaultWrites() === warm.writes) {
        const made = await warm.listing.catch(() => undefined);
        if (made && this.deps.session.isOpen(warm.open) && vaultWrites() === warm.writes) return made;
      }
    }
    return this.#list(realmId);
  }

  async #list(realmId: string): Promise<VaultListing> {
    const { session, connectivity, mirror, replay } = this.deps;
    const open = session.openVault();
    const client = this.deps.accounts.client();
    let entries: readonly VaultEntry[];
    let stats: VaultStats;
    try {
      const prefetched = await this.#prefetch.takeListing(open.accountId, realmId);
      [entries, stats] = prefetched ? [prefetched.entries, prefetched.stats] : await connectivity.observe(() => Promise.all([client.listKeys(realmId || undefined), client.vaultStats(realmId || undefined)]));
    } catch (error) {
      if (!isOfflineError(error)) throw error;
      return this.#offline(realmId);
    }
    const { made, fetched } = await this.#made(open, realmId, entries);
    const items = await this.#labelled(open, realmId, made);
    // The app's own keyring entry is not the user's: it is left out of the counts they see. The
    // account's storage is the server's account-wide figure, the same whichever scope is shown.
    const view = statsView(stats);
    const shown = await replay.withPending(open, realmId, items);
    const version = this.#versions.record(realmId, shown);
    // Started last, so that their work (opening this computer's whole copy, at 10,000 entries tens of
    // milliseconds) comes after the answer rather than inside it.
    void mirror.sync(open, realmId, entries, fetched);
    // At each sync, the scope's keyring is checked against this computer's (missing: put back).
    void session.checkScope(client, realmId, entries);
    return {
      realmId,
      // The count is of what the list shows, waiting changes included, so the two always agree.
      entries: shown,
      stats: { ...view, keys: shown.length, scopeBytes: Math.max(0, stats.total_size_bytes - made.reservedBytes) },
      copy: mirror.copyInfo(open, realmId),
      version,
    };
  }

  /**
   * What the listing makes of the server's entries before labels: each opened (once per version),
   * those of unknown format told apart. Made again only for another answer: the same answer comes
   * back from the client as the very same array (hoody-client.ts), and at 10,000 entries the passes
   * below were tens of milliseconds of every return to the vault.
   */
  async #made(open: OpenVault, realmId: string, entries: readonly VaultEntry[]): Promise<{ made: Made; fetched: ReadonlyMap<string, string | undefined> }> {
    const kept = this.#makes.get(realmId);
    if (kept && kept.open === open && kept.entries === entries) return { made: kept, fetched: new Map() };
    const client = this.deps.accounts.client();
    const visible = entries.filter((e) => !e.key.startsWith(RESERVED_PREFIX));
    const reservedBytes = entries.filter((e) => e.key.startsWith(RESERVED_PREFIX)).reduce((sum, e) => sum + e.size_bytes, 0);
    const { items, misfits } = await this.deps.opened.items(open, realmId, visible);
    const byKey = new Map(visible.map((e) => [e.key, e]));
    const foreign: number[] = [];
    for (let i = 0; i < items.length && foreign.length < CLASSIFY_LIMIT; i += 1) if (items[i]!.format === 'foreign') foreign.push(i);
    // A failed fetch leaves those entries unclassified, and what is made here is not kept: the next listing tries again.
    let classified = true;
    const fetched = await fetchStoredValues(client, realmId, foreign.map((i) => items[i]!.key)).catch(() => {
      classified = false;
      return new Map<string, string | undefined>();
    });
    for (const i of foreign) {
      const value = fetched.get(items[i]!.key);
      if (value === undefined) continue;
      // Items are shared between listings (opened-items.ts): this one's label is a copy.
      const item = { ...items[i]!, format: valueFormat(value) };
      items[i] = item;
      // A sealed value with no metadata was copied here by another tool: it opens only if it was
      // sealed under this very name, which the label says now rather than at reveal.
      if (item.format === 'hv1') this.deps.verdicts.note(open, realmId, item.key, item.updatedAt, await judgeValue(open.keys, realmId, byKey.get(item.key)!, value));
    }
    const made: Made = { open, entries, reservedBytes, byKey, items, misfits };
    if (classified) this.#makes.set(realmId, made);
    else this.#makes.delete(realmId);
    return { made, fetched };
  }

  /**
   * The entries labelled (#label), made again only when what labels read changed since: a verdict
   * kept, or this computer's copy of the scope written or read again. Frozen: it is given out again.
   */
  async #labelled(open: OpenVault, realmId: string, made: Made): Promise<VaultItem[]> {
    const { mirror, verdicts } = this.deps;
    const copy = mirror.peek(open, realmId);
    const labels = made.labels;
    if (labels && labels.copy === copy && labels.noted === verdicts.noted) return labels.items;
    const items = [...made.items];
    await this.#label(realmId, items, made.byKey, made.misfits, copy);
    // Read after: labelling may keep verdicts itself (values judged from the copy), which these labels already show.
    made.labels = { copy, noted: verdicts.noted, items: Object.freeze(items) as VaultItem[] };
    return made.labels.items;
  }

  /** Labels each entry by what is known of its value: its size, a kept verdict, or this computer's copy of it. */
  async #label(realmId: string, items: VaultItem[], byKey: ReadonlyMap<string, VaultEntry>, misfits: ReadonlySet<string>, copy: ScopeCopy | undefined): Promise<void> {
    const { session, verdicts } = this.deps;
    const open = session.openVault();
    // Built only if some entry has no verdict yet (once a session has judged them, none).
    let copied: Map<string, string> | undefined;
    const copyValue = (key: string, updatedAt: string) => {
      copied ??= new Map(copy?.entries.map((e) => [e.key, e.updated_at]));
      return copied.get(key) === updatedAt ? copiedValueHint(copy, key) : undefined;
    };
    await verdicts.label(open, realmId, items, byKey, copyValue, (key) => !misfits.has(key));
  }

  /** Offline: the scope as this computer last synced it, with the changes still waiting on top. */
  async #offline(realmId: string): Promise<VaultListing> {
    const { session, mirror, replay } = this.deps;
    const open = session.openVault();
    const read = await mirror.read(open, realmId);
    if (read.state === 'missing') throw new CoreError('NETWORK', 'You are offline, and this scope has not been synced to this computer yet. It will be once the server is reachable.');
    if (read.state === 'damaged') {
      mirror.markDamaged(open, realmId);
      throw new CoreError('UNREADABLE', "You are offline, and this computer's copy of this scope does not open (it is damaged). It is not shown; it will be repaired at the next sync.");
    }
    const copy = read.value;
    const visible = copy.entries.filter((e) => !e.key.startsWith(RESERVED_PREFIX));
    const { items: labelled, misfits } = await this.deps.opened.items(open, realmId, visible);
    // Values other tools wrote are told apart by their shape, as online: the copy holds them.
    for (let i = 0; i < labelled.length; i += 1) {
      const item = labelled[i]!;
      const value = item.format === 'foreign' ? copiedValueHint(copy, item.key) : undefined;
      if (value !== undefined) labelled[i] = { ...item, format: valueFormat(value) };
    }
    await this.#label(realmId, labelled, new Map(visible.map((e) => [e.key, e])), misfits, copy);
    const items = await replay.withPending(open, realmId, labelled);
    const scopeBytes = visible.reduce((sum, e) => sum + e.size_bytes, 0);
    return {
      realmId,
      entries: items,
      stats: { keys: items.length, scopeBytes, accountUsedBytes: 0, accountLimitBytes: 0, usedPercentage: 0, remainingBytes: 0 },
      offline: { syncedAt: copy.syncedAt },
      copy: { state: 'ok', syncedAt: copy.syncedAt },
      version: this.#versions.record(realmId, items),
    };
  }
}
