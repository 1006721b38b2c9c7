import type { VaultItem } from '../../../common/vault.js';

// The order and the search of the vault list, made cheap per keystroke at 10,000 entries. A listing
// is prepared once (lower-case search text and parsed dates per entry); each sort order is computed
// the first time it is asked for and kept with the listing; a keystroke then only filters an array
// that is already in order. Sorting per keystroke with `localeCompare(…, options)` (which builds a
// collator on every comparison) cost about a second at 10,000 names in keys the server sends in no
// particular order.

export type SortKey = 'name' | 'size' | 'updated';

export interface EntrySort {
  key: SortKey;
  descending: boolean;
}

interface Row {
  item: VaultItem;
  /** Lower-cased once: the name, the notes and the file name, searched separately. */
  name: string;
  notes: string;
  filename: string;
  updated: number;
}

/** One collator for every comparison: numeric ("key-2" before "key-10"), case and accents ignored. */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Equal names under the collator ("API" and "api") fall back to their code units, so the order never
 * depends on the order the server listed them in. Size and date ties are ordered by name, ascending
 * whichever way the main key runs.
 */
const byName = (a: Row, b: Row): number => collator.compare(a.item.key, b.item.key) || (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0);

const PRIMARY: Record<SortKey, ((a: Row, b: Row) => number) | undefined> = {
  name: undefined,
  size: (a, b) => a.item.size - b.item.size,
  // An unparseable date (NaN) sorts as the oldest rather than poisoning the comparison.
  updated: (a, b) => (a.updated || 0) - (b.updated || 0),
};

function compareFor(sort: EntrySort): (a: Row, b: Row) => number {
  const sign = sort.descending ? -1 : 1;
  const primary = PRIMARY[sort.key];
  if (!primary) return (a, b) => sign * byName(a, b);
  return (a, b) => sign * primary(a, b) || byName(a, b);
}

/** A listing prepared for ordering and searching; build one per listing (see `entryIndex`). */
export class EntryIndex {
  readonly #rows: Row[];
  readonly #orders = new Map<string, { rows: Row[]; items: VaultItem[] }>();

  constructor(entries: readonly VaultItem[]) {
    this.#rows = entries.map((item) => ({
      item,
      name: item.key.toLowerCase(),
      notes: item.notes.toLowerCase(),
      filename: (item.filename ?? '').toLowerCase(),
      updated: Date.parse(item.updatedAt),
    }));
  }

  /** The entries in this order: sorted the first time, then kept. */
  #ordered(sort: EntrySort): { rows: Row[]; items: VaultItem[] } {
    const id = `${sort.key}:${sort.descending ? 'desc' : 'asc'}`;
    let order = this.#orders.get(id);
    if (!order) {
      const rows = [...this.#rows].sort(compareFor(sort));
      order = { rows, items: rows.map((row) => row.item) };
      this.#orders.set(id, order);
    }
    return order;
  }

  /** Entries whose name, notes or file name contain the search (case ignored), in the chosen order. */
  visible(search: string, sort: EntrySort): VaultItem[] {
    const { rows, items } = this.#ordered(sort);
    const needle = search.trim().toLowerCase();
    if (!needle) return items;
    const out: VaultItem[] = [];
    for (const row of rows) if (row.name.includes(needle) || row.notes.includes(needle) || row.filename.includes(needle)) out.push(row.item);
    return out;
  }
}

// Keyed by the listing's array: the store replaces the array whenever an entry changes, so a stale
// index is never used, and a dropped listing takes its index with it.
const indexes = new WeakMap<readonly VaultItem[], EntryIndex>();

/** The index of one listing's entries, made on first use and kept while that array lives. */
export function entryIndex(entries: readonly VaultItem[]): EntryIndex {
  let index = indexes.get(entries);
  if (!index) {
    index = new EntryIndex(entries);
    indexes.set(entries, index);
  }
  return index;
}
