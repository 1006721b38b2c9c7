import type { HoodyClient } from '../api/hoody-client.js';
import { mapLimit } from '../concurrency.js';
import { openValue, valueFormat } from '../crypto/envelope.js';
import type { VaultKeys } from '../crypto/vault-keys.js';

/** How many values are fetched at once: enough to hide the round trips on a kept-alive pool, few enough to stay polite. */
export const BULK_CONCURRENCY = 8;

/**
 * Fetches and opens many values: the requests overlap (the API has no batch read), the opening is
 * microseconds each. Values that are not this app's envelopes, or do not open, come back undefined.
 */
export async function fetchAndOpen(client: HoodyClient, keys: VaultKeys, realmId: string, names: readonly string[], concurrency = BULK_CONCURRENCY): Promise<Map<string, string | undefined>> {
  const values = await mapLimit(names, concurrency, async (name) => {
    const entry = await client.getKey(name, realmId || undefined);
    return valueFormat(entry.value) === 'hv1' ? openValue(keys, realmId, name, entry.value) : undefined;
  });
  return new Map(names.map((name, index) => [name, values[index]]));
}
