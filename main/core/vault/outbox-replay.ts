import type { VaultValue } from '../../../common/hoody-types.js';
import type { OutboxConflict } from '../../../common/vault.js';
import type { OutboxOp } from './outbox-store.js';

/** Whether a waiting change still applies to the entry as the server has it now. */
export function conflictOf(op: OutboxOp, current: VaultValue | undefined): OutboxConflict | undefined {
  const base = { opId: op.id, realmId: op.realmId, key: op.key, change: op.op };
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
