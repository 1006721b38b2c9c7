import { compareKeys } from '../../../common/key-order.js';
import type { VaultItem } from '../../../common/vault.js';
import { SearchTexts } from './entry-search.js';

// The order and the search of the vault list, made cheap per keystroke at 10,000 entries. A listing
// is prepared once (parsed dates, and search texts with their letters as bits: entry-search.ts); each sort order is computed
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
  /** The entry's place in the listing: what the search and the orders refer to it by. */
  row: number;
  updated: number;
}

/** Size and date ties are ordered by name, ascending whichever way the main key runs (common/key-order.ts). */
const byName = (a: Row, b: Row): number => compareKeys(a.item.key, b.item.key);

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

/** One order of a listing: its rows (places in the listing) and its entries, in that order. */
interface Order {
  rows: Int32Array;
  items: VaultItem[];
}

/** Runs `work` once the window has nothing else to do (soon, in any case). */
function whenIdle(work: () => void): void {
  // Through globalThis: the module is also type-checked where the DOM's types are not loaded.
  const idle = (globalThis as { requestIdleCallback?: (callback: () => void, options: { timeout: number }) => number }).requestIdleCallback;
  if (typeof idle === 'function') idle.call(globalThis, work, { timeout: 1000 });
  else setTimeout(work, 50);
}

/** A listing prepared for ordering and searching; build one per listing (see `entryIndex`). */
export class EntryIndex {
  readonly #entries: readonly VaultItem[];
  readonly #rows: Row[];
  #searchTexts: SearchTexts | undefined;
  readonly #orders = new Map<string, Order>();
  /** The last search: typing on narrows it, so the next keystroke filters only its matches. */
  #last: (Order & { order: string; needle: string }) | undefined;

  constructor(entries: readonly VaultItem[]) {
    this.#entries = entries;
    this.#rows = entries.map((item, row) => ({ item, row, updated: Date.parse(item.updatedAt) }));
    // The search texts are made after the list is drawn, when the window is idle, not before: at
    // 10,000 entries they were a sixth of what the window did between an unlock and its list.
    // Typing before that (unlikely that fast) makes them at once.
    whenIdle(() => void this.#search);
  }

  get #search(): SearchTexts {
    this.#searchTexts ??= new SearchTexts(this.#entries);
    return this.#searchTexts;
  }

  /** The entries in this order: sorted the first time, then kept. */
  #ordered(id: string, sort: EntrySort): Order {
    let order = this.#orders.get(id);
    if (!order) {
      const sorted = [...this.#rows].sort(compareFor(sort));
      order = { rows: Int32Array.from(sorted.map((row) => row.row)), items: sorted.map((row) => row.item) };
      this.#orders.set(id, order);
    }
    return order;
  }

  /** Entries whose name, notes or file name contain the search (case ignored), in the chosen order. */
  visible(search: string, sort: EntrySort): VaultItem[] {
    const id = `${sort.key}:${sort.descending ? 'desc' : 'asc'}`;
    const ordered = this.#ordered(id, sort);
    const needle = search.trim().toLowerCase();
    if (!needle) return ordered.items;
    const last = this.#last;
    if (last && last.order === id && last.needle === needle) return last.items;
    // Whatever contains the new text contains any part of it: a search that extends the last one
    // (the user typed on) looks only among the last matches, which are already in order.
    const from = last && last.order === id && needle.includes(last.needle) ? last : ordered;
    const rows = this.#search.matching(from.rows, needle);
    // Every entry looked at matched (a first letter often does): the same array as before, so
    // nothing below sees a new list of entries.
    const items = rows === from.rows ? from.items : SearchTexts.items(this.#entries, rows);
    this.#last = { order: id, needle, rows, items };
    return items;
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
