import type { VaultEntry, VaultStats } from '../../../common/hoody-types.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { vaultWrites } from '../api/vault-writes.js';

// Unlock → list: the key derivation takes seconds, and the window's first listing then waited for
// two more rounds of requests (the realms, then the scope's keys and figures). Those need the API
// token, not the vault key: they are started with the unlock, run while Argon2id does, and the first
// `vault.realms` and `vault.list` after it take their answers instead of asking again. Nothing here
// is opened: the keys' metadata stays sealed until the vault key exists.

/** An answer older than this is asked for again: a listing is a snapshot, and this one was for an unlock. */
const FRESH_MS = 60_000;

export interface RealmsAnswer {
  realms: string[];
  globalAllowed: boolean;
}

interface Prefetch {
  accountId: string;
  startedAt: number;
  /** The vault writes counted when it started: one since makes it stale (../api/vault-writes.ts). */
  writes: number;
  realms: Promise<RealmsAnswer>;
  realmsTaken: boolean;
  /** The scope a freshly loaded window lists first (the global one, or the first allowed realm). */
  listing: Promise<{ realmId: string; entries: readonly VaultEntry[]; stats: VaultStats }>;
}

export class ListingPrefetch {
  #prefetch: Prefetch | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts the requests for this account; `realms` is how the listing part finds the scopes. */
  start(accountId: string, client: HoodyClient, realms: () => Promise<RealmsAnswer>): void {
    const writes = vaultWrites();
    const realmsAnswer = realms();
    const listing = realmsAnswer.then(async ({ realms: list, globalAllowed }) => {
      const realmId = globalAllowed ? '' : (list[0] ?? '');
      const [entries, stats] = await Promise.all([client.listKeys(realmId || undefined), client.vaultStats(realmId || undefined)]);
      return { realmId, entries, stats };
    });
    // Unused (the unlock failed, the window asked for another scope) or failed: no unhandled rejection;
    // whoever takes a failed one asks again itself.
    realmsAnswer.catch(() => {});
    listing.catch(() => {});
    this.#prefetch = { accountId, startedAt: this.now(), writes, realms: realmsAnswer, realmsTaken: false, listing };
  }

  #fresh(accountId: string): Prefetch | undefined {
    const prefetch = this.#prefetch;
    if (!prefetch || prefetch.accountId !== accountId) return undefined;
    if (this.now() - prefetch.startedAt > FRESH_MS || vaultWrites() !== prefetch.writes) {
      this.#prefetch = undefined;
      return undefined;
    }
    return prefetch;
  }

  /** The scope the unlock's early listing is of (the window lists it first), without taking anything. */
  async scope(accountId: string): Promise<string | undefined> {
    const prefetch = this.#fresh(accountId);
    return prefetch?.listing.then((answer) => answer.realmId, () => undefined);
  }

  /** The realms asked for at the unlock, if they came (taken once). */
  async takeRealms(accountId: string): Promise<RealmsAnswer | undefined> {
    const prefetch = this.#fresh(accountId);
    if (!prefetch || prefetch.realmsTaken) return undefined;
    prefetch.realmsTaken = true;
    return prefetch.realms.catch(() => undefined);
  }

  /** The scope's keys and figures asked for at the unlock, if that was this scope and they came (taken once). */
  async takeListing(accountId: string, realmId: string): Promise<{ entries: readonly VaultEntry[]; stats: VaultStats } | undefined> {
    const prefetch = this.#fresh(accountId);
    if (!prefetch) return undefined;
    const answer = await prefetch.listing.catch(() => undefined);
    if (!answer || answer.realmId !== realmId || this.#prefetch !== prefetch || vaultWrites() !== prefetch.writes) return undefined;
    this.#prefetch = undefined;
    return { entries: answer.entries, stats: answer.stats };
  }
}
