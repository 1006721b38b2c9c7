import { arrayItems } from './json-array-items.js';

// The API has no "changed since": a scope's listing is its whole key list every time, 3.4 MB of JSON
// at 10,000 entries, and most listings (every return to the vault) hold what the one before held.
// Comparing the bytes takes well under a millisecond where decoding and parsing them took tens: an
// answer the same as the last one gives back what was made of that one, the very same frozen value,
// and the listing's later steps, which compare by reference first, find nothing to do. A server
// that promises no order may list the same entries in another order each time: then the answer's
// elements are compared as texts, in any order (json-array-items.ts), still without parsing them.

/** How many answers are kept (one per scope listed; a few scopes are in use at a time). */
const KEPT = 8;

interface Kept<T> {
  bytes: Buffer;
  made: T;
  /** The array's elements as texts (none repeated), each to its place, and the rest of the answer: for an answer in another order. */
  elements?: { texts: Map<string, number>; rest: string };
}

export class UnchangedAnswers<T> {
  readonly #last = new Map<string, Kept<T>>();

  /** `field`: the answer's array field whose elements may come in any order. */
  constructor(private readonly field?: string) {}

  /**
   * Reads a successful answer's body whole; `make` turns its text into the value (which must not be
   * changed afterwards: it is frozen and given out again) unless the answer holds what the last one
   * read under `key` held.
   */
  async read(key: string, body: AsyncIterable<Uint8Array>, make: (text: string) => T): Promise<T> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const last = this.#last.get(key);
    if (last && last.bytes.equals(bytes)) return last.made;
    const text = bytes.toString('utf8');
    const split = this.field === undefined ? undefined : arrayItems(text, this.field);
    if (last?.elements && split && sameElements(last.elements, split)) {
      last.bytes = bytes;
      return last.made;
    }
    const made = make(text);
    const texts = split && new Map(split.items.map((item, i) => [item, i]));
    // Kept in the order last read, the oldest dropped first.
    this.#last.delete(key);
    this.#last.set(key, { bytes, made, ...(split && texts!.size === split.items.length ? { elements: { texts: texts!, rest: split.rest } } : {}) });
    if (this.#last.size > KEPT) this.#last.delete(this.#last.keys().next().value!);
    return made;
  }
}

/** The same elements around the same rest: as many, each one of the kept ones, none twice. */
function sameElements(kept: { texts: Map<string, number>; rest: string }, now: { items: string[]; rest: string }): boolean {
  if (kept.rest !== now.rest || kept.texts.size !== now.items.length) return false;
  const found = new Uint8Array(now.items.length);
  for (const item of now.items) {
    const place = kept.texts.get(item);
    if (place === undefined || found[place] === 1) return false;
    found[place] = 1;
  }
  return true;
}
