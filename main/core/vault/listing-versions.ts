import { randomUUID } from 'node:crypto';
import type { VaultItem, VaultListingChanges } from '../../../common/vault.js';
import type { VaultPart } from './vault-part.js';

// Versions of each scope's listing as the window was sent it, so a window that already holds a
// listing is sent only what changed since (`vault.listChanges`): at 10,000 entries the whole listing
// is a 2.5 MB message the window then parses, indexes and sorts again, though most returns to the
// vault change nothing. The API has no "changed since", so the core still asks the server for the
// whole listing; what is saved is everything after it.
//
// Each scope keeps a counter raised whenever a listing differs from the one before, and the counter
// at which each entry last changed or was removed. A version is `<session>:<scope>:<counter>`: one
// from before a lock (another session), or of another scope, is unknown and gets the whole listing.

interface ScopeVersions {
  at: number;
  items: Map<string, { item: VaultItem; changed: number }>;
  /** Keys gone from the listing, with the counter at which they went. */
  removed: Map<string, number>;
  /** The listing last recorded: the same array again (listing.ts gives out an unchanged one again) changed nothing. */
  last?: readonly VaultItem[];
}

/** Two entries as the window would show them: VaultItem is flat, so its own fields are compared. */
export function sameItem(a: VaultItem, b: VaultItem): boolean {
  const keys = Object.keys(a) as Array<keyof VaultItem>;
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

export class ListingVersions implements VaultPart {
  #session = randomUUID();
  readonly #scopes = new Map<string, ScopeVersions>();

  /** Names entries, notes and file names: dropped on lock, and versions from before are no longer known. */
  clearOnLock(): void {
    this.#scopes.clear();
    this.#session = randomUUID();
  }

  /** Takes the scope's listing as now sent; returns its version (the same as before when nothing changed). */
  record(realmId: string, entries: readonly VaultItem[]): string {
    let scope = this.#scopes.get(realmId);
    if (!scope) {
      scope = { at: 0, items: new Map(), removed: new Map() };
      this.#scopes.set(realmId, scope);
    }
    if (scope.last === entries) return `${this.#session}:${realmId}:${scope.at}`;
    scope.last = entries;
    const next = scope.at + 1;
    let changed = false;
    const before = scope.items.size;
    // How many of the listing's keys were known: all of them, and as many as before, means none went
    // (keys are unique), and the set of present keys is not built.
    let found = 0;
    for (const item of entries) {
      const known = scope.items.get(item.key);
      if (known) found += 1;
      // Unchanged entries come back as the very same item (opened-items.ts): compared by reference first.
      if (known && (known.item === item || sameItem(known.item, item))) continue;
      scope.items.set(item.key, { item, changed: next });
      scope.removed.delete(item.key);
      changed = true;
    }
    if (found < before) {
      const present = new Set(entries.map((item) => item.key));
      for (const key of scope.items.keys()) {
        if (present.has(key)) continue;
        scope.items.delete(key);
        scope.removed.set(key, next);
        changed = true;
      }
    }
    if (changed) scope.at = next;
    return `${this.#session}:${realmId}:${scope.at}`;
  }

  /**
   * What changed in the scope since `version` was sent, up to the version last recorded; undefined
   * when `version` is not one of this session's for this scope (the caller sends everything).
   */
  since(realmId: string, version: string): VaultListingChanges['changes'] | undefined {
    const scope = this.#scopes.get(realmId);
    const prefix = `${this.#session}:${realmId}:`;
    if (!scope || !version.startsWith(prefix)) return undefined;
    const digits = version.slice(prefix.length);
    const from = Number(digits);
    if (!/^\d{1,15}$/.test(digits) || from > scope.at) return undefined;
    const upserted: VaultItem[] = [];
    for (const { item, changed } of scope.items.values()) if (changed > from) upserted.push(item);
    const removed: string[] = [];
    for (const [key, at] of scope.removed) if (at > from) removed.push(key);
    return { since: version, upserted, removed };
  }
}
