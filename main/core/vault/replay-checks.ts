import type { VaultValue } from '../../../common/hoody-types.js';
import type { OutboxConflict } from '../../../common/vault.js';
import { isStatus } from '../api/errors.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { openValue, valueFormat } from '../crypto/envelope.js';
import type { OutboxOp } from './outbox-store.js';
import type { OpenVault } from './vault-part.js';

// What the replay checks before it sends a waiting change: whether it still applies (a conflict
// otherwise), whether it already arrived before a crash, and whether "keep both" would only store
// a second copy of something already there.

export function currentValue(client: HoodyClient, realmId: string, key: string): Promise<VaultValue | undefined> {
  return client.getKey(key, realmId || undefined).catch((error: unknown) => {
    if (isStatus(error, 404)) return undefined;
    throw error;
  });
}

/**
 * Whether the server already holds a change that was in flight: a deletion, by the entry being
 * gone; a save, by the very sealed value (its random nonce makes a match certain), or, stored
 * under another name (keep both), by a value there that opens to the same text.
 */
export async function alreadyArrived(open: OpenVault, op: OutboxOp, current: VaultValue | undefined): Promise<boolean> {
  if (op.op === 'delete') return !current;
  if (!current) return false;
  if (current.value === op.value) return true;
  const asKey = op.sentAs ?? op.key;
  if (asKey === op.key) return false;
  const [mine, there] = await Promise.all([openValue(open.keys, op.realmId, op.key, op.value), openValue(open.keys, op.realmId, asKey, current.value)]);
  return mine !== undefined && mine === there;
}

/** For "keep both": whether one of these entries already holds exactly my change's text. */
export async function alreadyKept(open: OpenVault, client: HoodyClient, op: OutboxOp & { op: 'save' }, keys: string[]): Promise<boolean> {
  const mine = await openValue(open.keys, op.realmId, op.key, op.value);
  if (mine === undefined) return false;
  for (const key of keys) {
    const there = await currentValue(client, op.realmId, key);
    if (!there) continue;
    const text = valueFormat(there.value) === 'plain' ? there.value : await openValue(open.keys, op.realmId, key, there.value);
    if (text === mine) return true;
  }
  return false;
}

/** Whether a waiting change still applies to the entry as the server has it now. */
export function conflictOf(op: OutboxOp, current: VaultValue | undefined): OutboxConflict | undefined {
  const base = { opId: op.id, realmId: op.realmId, key: op.key, change: op.op, mineMadeAt: op.madeAt };
  if (op.op === 'delete') {
    if (!current || current.updated_at === op.baseUpdatedAt) return undefined;
    return { ...base, reason: 'changed', theirsUpdatedAt: current.updated_at, message: `“${op.key}” was changed on the server after you deleted it here.` };
  }
  if (op.baseUpdatedAt === null) {
    return current ? { ...base, reason: 'exists', theirsUpdatedAt: current.updated_at, message: `“${op.key}” was created on the server while you made it here.` } : undefined;
  }
  if (!current) return { ...base, reason: 'deleted', message: `“${op.key}” was deleted on the server after you edited it here.` };
  if (current.updated_at !== op.baseUpdatedAt) {
    return { ...base, reason: 'changed', theirsUpdatedAt: current.updated_at, message: `“${op.key}” was changed on the server after you edited it here.` };
  }
  return undefined;
}
