import type { Result } from '../../../common/errors.js';
import type { HistoryItem, RenameResult, ValueHistory } from '../../../common/value-history.js';
import type { VaultItem } from '../../../common/vault.js';
import { hoody } from '../lib/hoody.js';
import { say } from './notices.js';
import { entryId } from './all-scopes.js';
import { useVault } from './vault.js';
import { copied } from './vault-actions.js';

// The Edit dialog's actions: the current value and the earlier ones (opened only on request, kept
// in the dialog, never in the store), restoring one, and renaming the key. Each calls main once.

const vault = () => useVault.getState();

/** The current value, for the dialog alone: not added to the list's revealed values. */
export async function openCurrentValue(item: VaultItem): Promise<Result<string>> {
  const result = await hoody().vault.reveal({ realmId: item.realmId, key: item.key });
  return result.ok ? { ok: true, data: result.data.value } : result;
}

export function loadHistory(item: VaultItem): Promise<Result<ValueHistory>> {
  return hoody().vault.history({ realmId: item.realmId, key: item.key });
}

export async function openHistoryValue(item: VaultItem, { index, at }: HistoryItem): Promise<Result<string>> {
  const result = await hoody().vault.revealHistoryValue({ realmId: item.realmId, key: item.key, index, at });
  return result.ok ? { ok: true, data: result.data.value } : result;
}


export async function copyHistoryValue(item: VaultItem, { index, at }: HistoryItem, label: string): Promise<Result<{ clearAfterSeconds: number }>> {
  return copied(await hoody().vault.copyHistoryValue({ realmId: item.realmId, key: item.key, index, at }), `the value of ${item.key} from ${label}`);
}

export async function copyCurrentValue(item: VaultItem): Promise<Result<{ clearAfterSeconds: number }>> {
  return copied(await hoody().vault.copy({ realmId: item.realmId, key: item.key }), item.key);
}

/** Restoring is a save: the list shows the new version, and the value it replaced joins the history. */
export async function restoreValue(item: VaultItem, { index, at }: HistoryItem, label: string): Promise<Result<VaultItem>> {
  const result = await hoody().vault.restoreValue({ realmId: item.realmId, key: item.key, index, at });
  if (!result.ok) return result;
  vault().upsert(result.data);
  vault().hide(entryId(item));
  say(result.data.pending ? `The value of ${item.key} from ${label} is restored on this computer; it is sent when the server is back.` : `Restored the value of ${item.key} from ${label}.`);
  void vault().refresh(item.realmId);
  return result;
}

/** Copy under the new name, then delete the old: the list is reloaded whatever happened, since either step may have. */
export async function renameKey(item: VaultItem, newKey: string): Promise<Result<RenameResult>> {
  const result = await hoody().vault.renameKey({ realmId: item.realmId, key: item.key, newKey });
  if (result.ok) {
    vault().remove(item);
    vault().upsert(result.data.item);
    say(result.data.pending ? `${item.key} will be renamed to ${newKey} when the server is back.` : `Renamed ${item.key} to ${newKey}.`);
  }
  void vault().refresh(item.realmId);
  return result;
}
