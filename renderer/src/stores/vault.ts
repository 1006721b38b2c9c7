import { create } from 'zustand';
import type { AppError } from '../../../common/errors.js';
import { ALL_SCOPES, type RealmNames } from '../../../common/realm-names.js';
import type { KeyringChoice, VaultItem, VaultListing, VaultStatus } from '../../../common/vault.js';
import { entryIndex, type SortKey } from '../lib/entry-order.js';
import { hoody } from '../lib/hoody.js';
import { entryId, listScopes, mergeListings, type ScopePart } from './all-scopes.js';
import { applyListingChanges } from '../lib/listing-changes.js';
import { useNavigation } from './navigation.js';

export type { SortKey };

interface VaultStore {
  status: VaultStatus | undefined;
  /** The scope shown: '' global, a realm id, or ALL_SCOPES (every scope, searched at once). */
  realmId: string;
  realms: string[];
  globalAllowed: boolean;
  /** The names the user gave realms (sealed in the vault), and whether they can be changed now. */
  names: RealmNames;
  namesWritable: boolean;
  /** All scopes: each scope's listing or error, as they arrive (merged into `listing`). */
  parts: ReadonlyMap<string, ScopePart>;
  listing: VaultListing | undefined;
  loading: boolean;
  error: AppError | undefined;
  search: string;
  sort: { key: SortKey; descending: boolean };
  /** Values the user revealed, by entryId (scope and key); gone on lock, on scope change, and when hidden again. */
  revealed: Record<string, string>;
  /** Shown once after set-up, until the user says it is saved: the vault opens only then. */
  pendingRecoveryKey: string | undefined;
  loadStatus(): Promise<void>;
  loadRealms(): Promise<void>;
  setScope(realmId: string): void;
  /**
   * The vault is shown (again): its scopes and its listing asked for. With a listing of one scope
   * held, both at once; the request for the listing goes out at the click, not once the view is
   * drawn (see followNavigation).
   */
  enter(): Promise<void>;
  /** Lists the scope again (in All scopes, every scope, or only `only` when one changed). */
  refresh(only?: string): Promise<void>;
  setSearch(search: string): void;
  setSort(key: SortKey): void;
  reveal(id: string, value: string): void;
  hide(id: string): void;
  upsert(item: VaultItem): void;
  remove(item: Pick<VaultItem, 'realmId' | 'key'>): void;
  reset(): void;
  /** Answers a keyring notice (read, keep this computer's vault in the scope, or switch to the scope's). */
  resolveKeyring(realmId: string, choice: KeyringChoice): Promise<AppError | undefined>;
  /** Rebuilds a keyring another tool deleted, from the recovery key and the entries, under a passphrase. */
  restoreKeyring(recoveryKey: string, passphrase: string): Promise<AppError | undefined>;
}

const initial = {
  status: undefined,
  realmId: '',
  realms: [],
  globalAllowed: true,
  names: {},
  namesWritable: false,
  parts: new Map<string, ScopePart>(),
  listing: undefined,
  loading: false,
  error: undefined,
  search: '',
  sort: { key: 'name' as SortKey, descending: false },
  revealed: {},
  pendingRecoveryKey: undefined,
};

/** The vault being entered (enter), shared by whoever asks while it is. */
let entering: Promise<void> | undefined;

export const useVault = create<VaultStore>()((set, get) => ({
  ...initial,
  async loadStatus() {
    const result = await hoody().vault.status();
    if (result.ok) set({ status: result.data });
  },
  async loadRealms() {
    const result = await hoody().vault.realms();
    if (!result.ok) return;
    const { realms, globalAllowed, names, namesWritable } = result.data;
    const realmId = !globalAllowed && get().realmId === '' ? (realms[0] ?? '') : get().realmId;
    // An older core (or a test double) may send no names: the window shows ids then.
    set({ realms, globalAllowed, realmId, names: names ?? {}, namesWritable: namesWritable ?? false });
  },
  setScope(realmId) {
    set({ realmId, listing: undefined, parts: new Map(), revealed: {}, error: undefined });
    void get().refresh();
  },
  enter() {
    // The click and the view's first draw both ask: one entering at a time.
    entering ??= (async () => {
      const { listing, realmId, status } = get();
      // The scope to list is known without the scopes' answer when one is held, or when the token
      // opens every scope (the one shown stays); else, and for All scopes (which lists the scopes it
      // is given), the scopes first.
      const known = realmId !== ALL_SCOPES && (listing !== undefined || status?.allowedRealms === null);
      if (!known) {
        await get().loadRealms();
        return get().refresh();
      }
      await Promise.all([get().loadRealms(), get().refresh()]);
      // The scopes named another one to show (the one held is no longer allowed): list that one.
      if (get().realmId !== realmId) await get().refresh();
    })().finally(() => {
      entering = undefined;
    });
    return entering;
  },
  async refresh(only) {
    const realmId = get().realmId;
    if (realmId === ALL_SCOPES) return refreshAll(only);
    set({ loading: true, error: undefined });
    // A listing of this scope in hand: main sends only what changed since (nothing, most times).
    const held = get().listing;
    const since = held?.realmId === realmId ? held.version : undefined;
    const result = await hoody().vault.listChanges({ realmId, ...(since ? { since } : {}) });
    if (get().realmId !== realmId) return;
    set(result.ok ? { listing: applyListingChanges(get().listing, result.data), loading: false } : { error: result.error, loading: false });
  },
  setSearch: (search) => set({ search }),
  setSort: (key) => set(({ sort }) => ({ sort: { key, descending: sort.key === key ? !sort.descending : key !== 'name' } })),
  reveal: (id, value) => set(({ revealed }) => ({ revealed: { ...revealed, [id]: value } })),
  hide: (id) =>
    set(({ revealed }) => {
      const next = { ...revealed };
      delete next[id];
      return { revealed: next };
    }),
  upsert: (item) =>
    set(({ listing }) =>
      listing ? { listing: { ...listing, entries: [...listing.entries.filter((e) => entryId(e) !== entryId(item)), item] } } : {},
    ),
  remove: (item) =>
    set(({ listing, revealed }) => {
      const next = { ...revealed };
      delete next[entryId(item)];
      return { revealed: next, ...(listing ? { listing: { ...listing, entries: listing.entries.filter((e) => entryId(e) !== entryId(item)) } } : {}) };
    }),
  reset: () => set({ ...initial }),
  async resolveKeyring(realmId, choice) {
    const result = await hoody().vault.resolveKeyring({ realmId, choice });
    if (!result.ok) return result.error;
    set({ status: result.data });
    if (choice === 'ours' && result.data.state === 'unlocked') void get().refresh();
    return undefined;
  },
  async restoreKeyring(recoveryKey, passphrase) {
    const result = await hoody().vault.restoreKeyring({ recoveryKey, passphrase });
    if (!result.ok) return result.error;
    set({ status: result.data });
    return undefined;
  },
}));

/**
 * All scopes: every scope's listing, merged as each arrives; with `only`, that scope alone is listed
 * again (after a change there) and merged with the others as they were. Each scope's listing held
 * is kept until its answer replaces it, and main sends only what changed in it since.
 */
async function refreshAll(only?: string): Promise<void> {
  const { globalAllowed, realms, parts: before } = useVault.getState();
  const scopes = only !== undefined ? [only] : [...(globalAllowed ? [''] : []), ...realms];
  // A realm no longer listed (gone, or no longer allowed) leaves All scopes.
  const kept = only !== undefined ? before : new Map([...before].filter(([realmId]) => scopes.includes(realmId)));
  useVault.setState({ loading: true, error: undefined, parts: kept, ...(kept.size !== before.size ? { listing: mergeListings(kept) } : {}) });
  const cancelled = () => useVault.getState().realmId !== ALL_SCOPES;
  await listScopes(
    scopes,
    (realmId) => useVault.getState().parts.get(realmId)?.listing,
    (realmId, part) => {
      const { parts, listing } = useVault.getState();
      const unchanged = part.listing !== undefined && part.listing.entries === parts.get(realmId)?.listing?.entries;
      const next = new Map(parts).set(realmId, part);
      const merged = mergeListings(next);
      // Nothing changed in this scope: the merged entries stay the same array, so the list's order
      // and search index are reused and no row is drawn again.
      useVault.setState({ parts: next, listing: unchanged && listing?.realmId === ALL_SCOPES ? { ...merged, entries: listing.entries } : merged });
    },
    cancelled,
  );
  if (!cancelled()) useVault.setState(({ parts }) => ({ loading: false, ...(parts.size === 0 ? { listing: mergeListings(parts) } : {}) }));
}

/**
 * Going back to the vault with its listing held (unlocked): the listing is asked for at the click,
 * so main's answer (the server's request, at 10,000 entries most of the wait) is on its way while
 * the view draws the list it holds.
 */
export function followNavigation(): () => void {
  return useNavigation.subscribe(({ view }, before) => {
    const { status, listing } = useVault.getState();
    if (view === 'vault' && before.view !== 'vault' && status?.state === 'unlocked' && listing) void useVault.getState().enter();
  });
}

/** Keeps "last synced" current as main writes this computer's copy of a scope. */
export function followSyncs(): () => void {
  return hoody().on('vault.synced', ({ realmId, syncedAt }) => {
    const { listing, parts } = useVault.getState();
    if (listing && listing.realmId === realmId) useVault.setState({ listing: { ...listing, copy: { state: 'ok', syncedAt } } });
    // All scopes: the scope's part takes the new time, and the merged line shows the oldest again.
    const part = listing?.realmId === ALL_SCOPES ? parts.get(realmId)?.listing : undefined;
    if (part) {
      const next = new Map(parts).set(realmId, { listing: { ...part, copy: { state: 'ok', syncedAt } } });
      // Only the sync time changes: the entries stay the same array, so the list is not sorted again.
      useVault.setState({ parts: next, listing: { ...listing!, copy: mergeListings(next).copy } });
    }
  });
}

/**
 * Entries matching the search (name, notes, file name), in the chosen order. Each listing is sorted
 * once per order and searched through lower-case text prepared once (../lib/entry-order.ts), so a
 * keystroke only filters.
 */
export function visibleEntries(entries: VaultItem[], search: string, sort: { key: SortKey; descending: boolean }): VaultItem[] {
  return entryIndex(entries).visible(search, sort);
}
