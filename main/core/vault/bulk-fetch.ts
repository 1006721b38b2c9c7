import { isStatus } from '../api/errors.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { mapLimit } from '../util/concurrency.js';

/** How many values are fetched at once: enough to hide the round trips on a kept-alive pool, few enough to stay polite. */
export const BULK_CONCURRENCY = 8;

/**
 * Fetches many stored values with overlapping requests (the API has no batch read): how the app
 * fills this computer's copy of a scope and looks at values other tools wrote. An entry gone
 * meanwhile (404) comes back undefined.
 */
export async function fetchStoredValues(client: HoodyClient, realmId: string, names: readonly string[], concurrency = BULK_CONCURRENCY): Promise<Map<string, string | undefined>> {
  const values = await mapLimit(names, concurrency, (name) =>
    client.getKey(name, realmId || undefined).then(
      (entry) => entry.value,
      (error: unknown) => {
        if (isStatus(error, 404)) return undefined;
        throw error;
      },
    ),
  );
  return new Map(names.map((name, index) => [name, values[index]]));
}
