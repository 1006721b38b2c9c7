import type { VaultItem, VaultListing, VaultListingChanges } from '../../../common/vault.js';

// The window keeps its listing and takes only what changed (`vault.listChanges`). When nothing did,
// the entries stay the very same array: the list's order and search index (entry-order.ts, kept per
// array) are reused and no row is drawn again. Entries the window changed itself meanwhile (a save,
// a delete) come back in the changes as the server has them, so the two never drift apart.

/** The listing after an answer of `vault.listChanges`, given the one the window holds. */
export function applyListingChanges(held: VaultListing | undefined, update: VaultListingChanges): VaultListing {
  const { entries, changes, ...rest } = update;
  if (entries) return { ...rest, entries };
  // Changes are relative to a listing of the same scope: without one (never expected), nothing to apply them to.
  const base = held && held.realmId === update.realmId ? held.entries : [];
  return { ...rest, entries: withChanges(base, changes.upserted, changes.removed) };
}

/** The entries with some replaced or added (by key) and some removed; the same array when none. */
export function withChanges(entries: VaultItem[], upserted: readonly VaultItem[], removed: readonly string[]): VaultItem[] {
  if (upserted.length === 0 && removed.length === 0) return entries;
  const replace = new Map(upserted.map((item) => [item.key, item]));
  const gone = new Set(removed);
  const next: VaultItem[] = [];
  for (const item of entries) {
    if (gone.has(item.key)) continue;
    const changed = replace.get(item.key);
    next.push(changed ?? item);
    replace.delete(item.key);
  }
  for (const item of replace.values()) next.push(item);
  return next;
}
