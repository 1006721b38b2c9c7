import type { Core } from '../../main/core/core.js';

/**
 * Resolves with the next `vault.synced` event of a scope: the app's own signal that this
 * computer's copy was written. Subscribe before the listing that starts the sync.
 */
export function nextSync(core: Core, realmId: string): Promise<{ realmId: string; syncedAt: string; repaired: boolean }> {
  return new Promise((resolve) => {
    const unsubscribe = core.events.subscribe((event, payload) => {
      const sync = payload as { realmId: string; syncedAt: string; repaired: boolean };
      if (event !== 'vault.synced' || sync.realmId !== realmId) return;
      unsubscribe();
      resolve(sync);
    });
  });
}
