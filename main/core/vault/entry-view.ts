import type { VaultEntry, VaultStats } from '../../../common/hoody-types.js';
import type { VaultItem, VaultStatsView } from '../../../common/vault.js';
import { checkMetadata, isEntryMetadata } from '../crypto/envelope.js';
import type { VaultKeys } from '../crypto/vault-keys.js';

// How the server's entries and figures are shown to the window: pure mappings, no state. The only
// work here is opening an entry's sealed metadata (its notes, file name, kind and true size) and
// checking the clear hints against it.

const MIB = 1024 * 1024;

export async function entryItem(keys: VaultKeys, realmId: string, entry: VaultEntry): Promise<VaultItem> {
  const base = { key: entry.key, realmId, storedBytes: entry.size_bytes, size: entry.size_bytes, createdAt: entry.created_at, updatedAt: entry.updated_at };
  if (!isEntryMetadata(entry.metadata)) {
    const plain = entry.metadata && typeof entry.metadata === 'object' ? (entry.metadata as Record<string, unknown>) : {};
    return { ...base, kind: 'secret', format: 'foreign', notes: '', ...(typeof plain.filename === 'string' ? { filename: plain.filename } : {}) };
  }
  // The kind and size shown are the sealed ones; clear ones that disagree mark the entry unreadable.
  const checked = await checkMetadata(keys, realmId, entry.key, entry.metadata);
  if (!checked) return { ...base, kind: entry.metadata.kind, format: 'unreadable', notes: '' };
  const { sealed } = checked;
  return {
    ...base,
    kind: checked.kind,
    format: 'hv1',
    size: checked.size ?? entry.metadata.size,
    notes: sealed.notes ?? '',
    ...(sealed.filename ? { filename: sealed.filename } : {}),
    ...(sealed.content_type ? { contentType: sealed.content_type } : {}),
  };
}

/** The server's figures in bytes. The account figures come in MB with two decimals. */
export function statsView(stats: VaultStats): VaultStatsView {
  const limit = Math.round(stats.limit_mb * MIB);
  const remaining = Math.max(0, Math.round(stats.remaining_mb * MIB));
  return {
    keys: stats.total_keys,
    scopeBytes: stats.total_size_bytes,
    accountLimitBytes: limit,
    accountUsedBytes: Math.max(0, limit - remaining),
    usedPercentage: stats.used_percentage,
    remainingBytes: remaining,
  };
}
