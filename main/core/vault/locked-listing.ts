import type { VaultEntry } from '../../../common/hoody-types.js';
import { RESERVED_PREFIX, type VaultItem, type VaultStatsView } from '../../../common/vault.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { isEntryMetadata, valueFormat } from '../crypto/envelope.js';
import { fetchStoredValues } from './bulk-fetch.js';

// A scope's entries as far as they can be told without the vault key (the command line lists them
// before, or without, unlocking): name, kind and size from the plain part of this app's metadata,
// and, for values other tools wrote, whether they are plain text or Hoody SDK envelopes. Notes and
// file names are sealed, so they are not here; nothing is decrypted and no key is derived.

/** As many values of unknown format are looked at as the unlocked listing does (CLASSIFY_LIMIT). */
const CLASSIFY_LIMIT = 300;
const MIB = 1024 * 1024;

export async function listLocked(accounts: AccountsService, realmId: string, withStats = false): Promise<{ realmId: string; entries: VaultItem[]; stats?: VaultStatsView }> {
  const client = accounts.client();
  const [all, stats] = await Promise.all([client.listKeys(realmId || undefined), withStats ? client.vaultStats(realmId || undefined) : undefined]);
  const entries = all.filter((e) => !e.key.startsWith(RESERVED_PREFIX));
  const items = entries.map((entry) => lockedItem(realmId, entry));
  const foreign = items.filter((item) => item.format === 'foreign').slice(0, CLASSIFY_LIMIT);
  if (foreign.length) {
    const fetched = await fetchStoredValues(client, realmId, foreign.map((item) => item.key)).catch(() => new Map<string, string | undefined>());
    for (const item of foreign) {
      const value = fetched.get(item.key);
      if (value !== undefined) item.format = valueFormat(value);
    }
  }
  if (!stats) return { realmId, entries: items };
  // As the unlocked listing counts them: the app's own keyring entry is not the user's.
  const reservedBytes = all.filter((e) => e.key.startsWith(RESERVED_PREFIX)).reduce((sum, e) => sum + e.size_bytes, 0);
  const limit = Math.round(stats.limit_mb * MIB);
  const remaining = Math.max(0, Math.round(stats.remaining_mb * MIB));
  const view: VaultStatsView = {
    keys: items.length,
    scopeBytes: Math.max(0, stats.total_size_bytes - reservedBytes),
    accountLimitBytes: limit,
    accountUsedBytes: Math.max(0, limit - remaining, stats.total_size_bytes),
    usedPercentage: stats.used_percentage,
    remainingBytes: remaining,
  };
  return { realmId, entries: items, stats: view };
}

function lockedItem(realmId: string, entry: VaultEntry): VaultItem {
  const base = { key: entry.key, realmId, notes: '', storedBytes: entry.size_bytes, createdAt: entry.created_at, updatedAt: entry.updated_at };
  if (isEntryMetadata(entry.metadata)) return { ...base, kind: entry.metadata.kind, format: 'hv1', size: entry.metadata.size };
  const plain = entry.metadata && typeof entry.metadata === 'object' ? (entry.metadata as Record<string, unknown>) : {};
  return { ...base, kind: 'secret', format: 'foreign', size: entry.size_bytes, ...(typeof plain.filename === 'string' ? { filename: plain.filename } : {}) };
}
