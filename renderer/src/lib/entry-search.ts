import type { VaultItem } from '../../../common/vault.js';

// The vault list's search, made cheap for the keystrokes that look at the most entries: the first and
// the second character of a search (later ones only look among the last matches). Each entry's search
// text (name, notes and file name, lower case) is prepared once per listing with the letters a to z it
// has and the pairs of letters that follow each other in it, as bits. An entry lacking a letter or a
// pair of the search cannot match, so most entries are ruled out without reading their text; a search
// of one or two letters is answered by the bits alone. At 10,000 entries reading every text took
// about 1-2 ms of a keystroke in Chromium; the bits take a few hundredths of that.

/** Joins the parts of an entry's text: a search matches inside one part, never across two. */
const SEPARATOR = '\0';
const A = 97; // 'a'
/** 26 × 26 letter pairs, one bit each, in 32-bit words. */
const PAIR_WORDS = Math.ceil((26 * 26) / 32);

const letterOf = (code: number): number => (code >= A && code < A + 26 ? code - A : -1);

/** What a search asks of an entry's bits: its letters, and each letter pair as a word and a bit. */
interface Wanted {
  letters: number;
  pairWords: number[];
  pairBits: number[];
  /** One letter, or two: having the bits is containing the search. */
  exact: boolean;
}

function wanted(needle: string): Wanted {
  const result: Wanted = { letters: 0, pairWords: [], pairBits: [], exact: false };
  let previous = -1;
  let allLetters = true;
  for (let i = 0; i < needle.length; i += 1) {
    const letter = letterOf(needle.charCodeAt(i));
    if (letter < 0) allLetters = false;
    else result.letters |= 1 << letter;
    if (letter >= 0 && previous >= 0) {
      const pair = previous * 26 + letter;
      result.pairWords.push(pair >>> 5);
      result.pairBits.push(1 << (pair & 31));
    }
    previous = letter;
  }
  result.exact = allLetters && (needle.length === 1 || needle.length === 2);
  return result;
}

/** The search texts of one listing's entries, by row (the entry's place in the listing). */
export class SearchTexts {
  readonly #texts: string[];
  /** Where the name and the notes end in each text: for a search that has a NUL in it. */
  readonly #nameEnds: Int32Array;
  readonly #notesEnds: Int32Array;
  readonly #letters: Uint32Array;
  readonly #pairs: Uint32Array;

  constructor(entries: readonly VaultItem[]) {
    const count = entries.length;
    this.#texts = new Array<string>(count);
    this.#nameEnds = new Int32Array(count);
    this.#notesEnds = new Int32Array(count);
    this.#letters = new Uint32Array(count);
    this.#pairs = new Uint32Array(count * PAIR_WORDS);
    for (let row = 0; row < count; row += 1) {
      const item = entries[row]!;
      const name = item.key.toLowerCase();
      const notes = item.notes.toLowerCase();
      const text = `${name}${SEPARATOR}${notes}${SEPARATOR}${(item.filename ?? '').toLowerCase()}`;
      this.#texts[row] = text;
      this.#nameEnds[row] = name.length;
      this.#notesEnds[row] = name.length + 1 + notes.length;
      let letters = 0;
      let previous = -1;
      const base = row * PAIR_WORDS;
      for (let i = 0; i < text.length; i += 1) {
        const letter = letterOf(text.charCodeAt(i));
        if (letter >= 0) {
          letters |= 1 << letter;
          if (previous >= 0) {
            const pair = previous * 26 + letter;
            this.#pairs[base + (pair >>> 5)]! |= 1 << (pair & 31);
          }
        }
        previous = letter;
      }
      this.#letters[row] = letters;
    }
  }

  /** Whether the name, the notes or the file name of a row contains `needle` (lower case). */
  #contains(row: number, needle: string): boolean {
    const text = this.#texts[row]!;
    if (!needle.includes(SEPARATOR)) return text.includes(needle);
    const nameEnd = this.#nameEnds[row]!;
    const notesEnd = this.#notesEnds[row]!;
    return text.slice(0, nameEnd).includes(needle) || text.slice(nameEnd + 1, notesEnd).includes(needle) || text.slice(notesEnd + 1).includes(needle);
  }

  /** The rows among `from` (in its order) that contain `needle` (lower case, not empty); `from` itself when all do. */
  matching(from: Int32Array, needle: string): Int32Array {
    const want = wanted(needle);
    // Locals rather than fields and properties in the loop, which runs for every entry.
    const letters = this.#letters;
    const pairs = this.#pairs;
    const { letters: wantLetters, pairWords, pairBits, exact } = want;
    const pairCount = pairWords.length;
    const found = new Int32Array(from.length);
    let count = 0;
    rows: for (let i = 0; i < from.length; i += 1) {
      const row = from[i]!;
      if ((letters[row]! & wantLetters) !== wantLetters) continue;
      const base = row * PAIR_WORDS;
      for (let p = 0; p < pairCount; p += 1) if ((pairs[base + pairWords[p]!]! & pairBits[p]!) === 0) continue rows;
      if (exact || this.#contains(row, needle)) found[count++] = row;
    }
    return count === from.length ? from : found.slice(0, count);
  }

  /** The entries of `rows`, in that order (a loop: `Array.from` walks a typed array through its iterator). */
  static items(entries: readonly VaultItem[], rows: Int32Array): VaultItem[] {
    const items = new Array<VaultItem>(rows.length);
    for (let i = 0; i < rows.length; i += 1) items[i] = entries[rows[i]!]!;
    return items;
  }
}
