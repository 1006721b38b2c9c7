// The vault list's name order, one definition for the window and main. The window sorts by it; main
// keeps this computer's record of opened entries in it (main/core/vault/opened-items-store.ts), so
// the first listing after an unlock arrives in name order and the window's sort (a merge sort that
// finds runs already in order) checks it in one pass rather than sorting 10,000 names again.

/**
 * One collator for every comparison: numeric ("key-2" before "key-10"), case and accents ignored.
 * Made at the first comparison: making one loads ICU's collation data (about 6 ms), which a
 * command-line run that sorts nothing (`vault get`) should not pay.
 */
let collator: Intl.Collator | undefined;

/**
 * Equal names under the collator ("API" and "api") fall back to their code units, so the order never
 * depends on the order the server listed them in.
 */
export function compareKeys(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
