import type { Result } from '../../../common/errors.js';
import { scopeLabel, type RealmNamesView } from '../../../common/realm-names.js';
import { hoody } from '../lib/hoody.js';
import { say } from './notices.js';
import { useVault } from './vault.js';

// Naming realms: main seals the names into the vault (so they follow the user to other computers)
// and answers with every name as the server now has them, which the store takes as they are.

/** Names a realm; an empty name removes it (the realm shows by its id again). */
export async function nameRealm(realmId: string, name: string): Promise<Result<RealmNamesView>> {
  const before = scopeLabel(realmId, useVault.getState().names);
  const result = await hoody().vault.nameRealm({ realmId, name: name.trim() === '' ? null : name });
  if (!result.ok) return result;
  useVault.setState({ names: result.data.names, namesWritable: result.data.namesWritable });
  const after = result.data.names[realmId];
  say(after ? `${before} is now called ${after}.` : `${before} has no name now; it shows by its id.`);
  return result;
}
