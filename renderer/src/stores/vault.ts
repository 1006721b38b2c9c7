import { create } from 'zustand';
import type { AppError } from '../../../common/errors.js';
import type { KeyringChoice, VaultItem, VaultListing, VaultStatus } from '../../../common/vault.js';
import { entryIndex, type SortKey } from '../lib/entry-order.js';
import { hoody } from '../lib/hoody.js';
import { applyListingChanges } from '../lib/listing-changes.js';

export type { SortKey };

interface VaultStore {
  status: VaultStatus | undefined;
  realmId: string;
  realms: string[];
  globalAllowed: boolean;
  listing: VaultListing | undefined;
  loading: boolean;
  error: AppError | undefined;
  search: string;
  sort: { key: SortKey; descending: boolean };
  /** Values the user revealed, by key; gone on lock, on scope change, and when hidden again. */
  revealed: Record<string, string>;
  /** Shown once after set-up, until the user says it is saved: the vault opens only then. */
  pendingRecoveryKey: string | undefined;
  loadStatus(): Promise<void>;
  loadRealms(): Promise<void>;
  setScope(realmId: string): void;
  refresh(): Promise<void>;
  setSearch(search: string): void;
  setSort(key: SortKey): void;
  reveal(key: string, value: string): void;
  hide(key: string): void;
  upsert(item: VaultItem): void;
  remove(key: string): void;
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
  listing: undefined,
  loading: false,
  error: undefined,
  search: '',
  sort: { key: 'name' as SortKey, descending: false },
  revealed: {},
  pendingRecoveryKey: undefined,
};

export const useVault = create<VaultStore>()((set, get) => ({
  ...initial,
  async loadStatus() {
    const result = await hoody().vault.status();
    if (result.ok) set({ status: result.data });
  },
  async loadRealms() {
    const result = await hoody().vault.realms();
    if (!result.ok) return;
    const { realms, globalAllowed } = result.data;
    const realmId = !globalAllowed && get().realmId === '' ? (realms[0] ?? '') : get().realmId;
    set({ realms, globalAllowed, realmId });
  },
  setScope(realmId) {
    set({ realmId, listing: undefined, revealed: {}, error: undefined });
    void get().refresh();
  },
  async refresh() {
    const realmId = get().realmId;
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
  reveal: (key, value) => set(({ revealed }) => ({ revealed: { ...revealed, [key]: value } })),
  hide: (key) =>
    set(({ revealed }) => {
      const next = { ...revealed };
      delete next[key];
      return { revealed: next };
    }),
  upsert: (item) =>
    set(({ listing }) =>
      listing ? { listing: { ...listing, entries: [...listing.entries.filter((e) => e.key !== item.key), item] } } : {},
    ),
  remove: (key) =>
    set(({ listing, revealed }) => {
      const next = { ...revealed };
      delete next[key];
      return { revealed: next, ...(listing ? { listing: { ...listing, entries: listing.entries.filter((e) => e.key !== key) } } : {}) };
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

/** Keeps "last synced" current as main writes this computer's copy of a scope. */
export function followSyncs(): () => void {
  return hoody().on('vault.synced', ({ realmId, syncedAt }) => {
    const { listing } = useVault.getState();
    if (listing && listing.realmId === realmId) useVault.setState({ listing: { ...listing, copy: { state: 'ok', syncedAt } } });
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
