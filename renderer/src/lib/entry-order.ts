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
  /**
   * Lower-cased once: the name, the notes and the file name, joined by a NUL, so that one `includes`
   * per entry looks at all three rather than up to three (a first character scans every entry). A
   * search with a NUL in it (which no one types) is looked for in each part alone (see `contains`).
   */
  text: string;
  /** Where the name and the notes end in `text`. */
  nameEnd: number;
  notesEnd: number;
  /** Which of the letters a to z are in `text` (see `letters`). */
  letters: number;
  updated: number;
}

const A = 'a'.charCodeAt(0);

/**
 * The letters a to z in a lower-case text, one bit each. A row lacking a letter of the search cannot
 * match, whatever the search, so most rows of a search are ruled out without reading their text; a
 * one-letter search (the first keystroke, which looks at every entry) is answered by the bits alone.
 */
function letters(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const letter = text.charCodeAt(i) - A;
    if (letter >= 0 && letter < 26) bits |= 1 << letter;
  }
  return bits;
}

const SEPARATOR = '\0';

/** Whether the name, the notes or the file name of a row contains `needle`, never across two of them. */
function contains(row: Row, needle: string): boolean {
  if (!needle.includes(SEPARATOR)) return row.text.includes(needle);
  const { text, nameEnd, notesEnd } = row;
  return text.slice(0, nameEnd).includes(needle) || text.slice(nameEnd + 1, notesEnd).includes(needle) || text.slice(notesEnd + 1).includes(needle);
}

/** The rows of `from` that contain `needle` (lower case); `from` itself when all of them do. */
function matching(from: Row[], needle: string): Row[] {
  const wanted = letters(needle);
  // One letter: having it is containing it.
  const exact = needle.length === 1 && wanted !== 0;
  let rows: Row[] | undefined;
  for (let i = 0; i < from.length; i += 1) {
    const row = from[i]!;
    const found = (row.letters & wanted) === wanted && (exact || contains(row, needle));
    if (found) rows?.push(row);
    // The first row left out: a new array, with the rows before it (all matched).
    else rows ??= from.slice(0, i);
  }
  return rows ?? from;
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
  /** The last search: typing on narrows it, so the next keystroke filters only its matches. */
  #last: { order: string; needle: string; rows: Row[]; items: VaultItem[] } | undefined;

  constructor(entries: readonly VaultItem[]) {
    this.#rows = entries.map((item) => {
      const name = item.key.toLowerCase();
      const notes = item.notes.toLowerCase();
      const text = `${name}${SEPARATOR}${notes}${SEPARATOR}${(item.filename ?? '').toLowerCase()}`;
      return { item, text, nameEnd: name.length, notesEnd: name.length + 1 + notes.length, letters: letters(text), updated: Date.parse(item.updatedAt) };
    });
  }

  /** The entries in this order: sorted the first time, then kept. */
  #ordered(id: string, sort: EntrySort): { rows: Row[]; items: VaultItem[] } {
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
    const id = `${sort.key}:${sort.descending ? 'desc' : 'asc'}`;
    const ordered = this.#ordered(id, sort);
    const needle = search.trim().toLowerCase();
    if (!needle) return ordered.items;
    const last = this.#last;
    if (last && last.order === id && last.needle === needle) return last.items;
    // Whatever contains the new text contains any part of it: a search that extends the last one
    // (the user typed on) looks only among the last matches, which are already in order.
    const from = last && last.order === id && needle.includes(last.needle) ? last.rows : ordered.rows;
    const rows = matching(from, needle);
    // Every entry matched (a first letter often does): the list's own array, so nothing below
    // sees a new list of entries.
    const items = rows === ordered.rows ? ordered.items : rows === last?.rows ? last.items : rows.map((row) => row.item);
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
