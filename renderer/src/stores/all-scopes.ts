import type { AppError } from '../../../common/errors.js';
import { ALL_SCOPES } from '../../../common/realm-names.js';
import type { VaultItem, VaultListing } from '../../../common/vault.js';
import { hoody } from '../lib/hoody.js';
import { applyListingChanges } from '../lib/listing-changes.js';

// "All scopes": every scope's own listing (`vault.listChanges`, the same operation, cache and offline
// copy as when the scope is picked alone), merged into one. Each entry keeps its realmId, so opening,
// copying, editing or deleting a hit goes to its own scope. Each scope's listing is kept with its
// version, so listing again sends only what changed in each scope (at 10,000 entries, most returns
// to All scopes change nothing).

/** How many scopes are listed at once: each listing decrypts its notes in main, which is one process. */
const CONCURRENCY = 2;

/** One entry across every scope: a key can exist in several scopes. */
export const entryId = (item: Pick<VaultItem, 'realmId' | 'key'>): string => `${item.realmId}:${item.key}`;

export interface ScopePart {
  listing?: VaultListing;
  error?: AppError;
}

/** One listing made of every scope's that loaded: counts and sizes summed, the oldest sync shown, offline if any part is. */
export function mergeListings(parts: ReadonlyMap<string, ScopePart>): VaultListing {
  const listings = [...parts.values()].flatMap((part) => (part.listing ? [part.listing] : []));
  const online = listings.find((l) => !l.offline);
  const oldest = (dates: Array<string | undefined>) => dates.filter((d): d is string => !!d).sort()[0];
  const offlineSince = oldest(listings.map((l) => l.offline?.syncedAt));
  const syncedAt = oldest(listings.map((l) => l.copy.syncedAt));
  const stats = online?.stats ?? { keys: 0, scopeBytes: 0, accountUsedBytes: 0, accountLimitBytes: 0, usedPercentage: 0, remainingBytes: 0 };
  return {
    realmId: ALL_SCOPES,
    entries: listings.flatMap((l) => l.entries),
    stats: { ...stats, keys: listings.reduce((n, l) => n + l.stats.keys, 0), scopeBytes: listings.reduce((n, l) => n + l.stats.scopeBytes, 0) },
    ...(offlineSince ? { offline: { syncedAt: offlineSince } } : {}),
    copy: { state: listings.every((l) => l.copy.state === 'ok') ? 'ok' : 'missing', ...(syncedAt ? { syncedAt } : {}) },
  };
}

/**
 * Lists the scopes a few at a time, calling `onPart` as each one answers (so hits show while the
 * rest load), and stops early when `cancelled` says the user moved on. `held` gives the listing the
 * window holds of a scope: main then sends only what changed since its version, applied to it.
 */
export async function listScopes(scopes: readonly string[], held: (realmId: string) => VaultListing | undefined, onPart: (realmId: string, part: ScopePart) => void, cancelled: () => boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < scopes.length && !cancelled()) {
      const realmId = scopes[next++]!;
      // The changes are applied to the very listing they were asked from: the result is the scope exactly as main listed it.
      const base = held(realmId);
      const result = await hoody().vault.listChanges({ realmId, ...(base?.version ? { since: base.version } : {}) });
      if (cancelled()) return;
      onPart(realmId, result.ok ? { listing: applyListingChanges(base, result.data) } : { error: result.error });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, scopes.length) }, worker));
}
