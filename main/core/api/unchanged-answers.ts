// The API has no "changed since": a scope's listing is its whole key list every time, 3.4 MB of JSON
// at 10,000 entries, and most listings (every return to the vault) are byte for byte the one before.
// Comparing the bytes takes well under a millisecond where decoding and parsing them took tens: an
// answer the same as the last one gives back what was made of that one, the very same frozen value,
// and the listing's later steps, which compare by reference first, find nothing to do.

/** How many answers are kept (one per scope listed; a few scopes are in use at a time). */
const KEPT = 8;

export class UnchangedAnswers<T> {
  readonly #last = new Map<string, { bytes: Buffer; made: T }>();

  /**
   * Reads a successful answer's body whole; `make` turns its text into the value (which must not be
   * changed afterwards: it is frozen and given out again) unless the bytes are those of the last
   * answer read under `key`.
   */
  async read(key: string, body: AsyncIterable<Uint8Array>, make: (text: string) => T): Promise<T> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const last = this.#last.get(key);
    if (last && last.bytes.equals(bytes)) return last.made;
    const made = make(bytes.toString('utf8'));
    // Kept in the order last read, the oldest dropped first.
    this.#last.delete(key);
    this.#last.set(key, { bytes, made });
    if (this.#last.size > KEPT) this.#last.delete(this.#last.keys().next().value!);
    return made;
  }

  /** Forgets every kept answer (the account signs out or its session ends). */
  clear(): void {
    this.#last.clear();
  }
}
