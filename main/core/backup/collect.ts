import type { BackupCounts } from '../../../common/backup.js';
import { CoreError } from '../core-error.js';
import { toBase64 } from '../crypto/bytes.js';
import { openFileValue } from '../crypto/file-stream.js';
import type { PayloadEntry } from './container.js';
import { JobCancelled } from './jobs.js';
import type { BackupVaultPort } from './vault-port.js';

// Reads the whole vault for an export: every scope the token may use (the global scope too when
// allowed), every entry in it opened, files whole. Entries that cannot be opened here are left out
// and listed, never silently dropped.

export interface Collected {
  entries: PayloadEntry[];
  counts: BackupCounts;
}

export async function collectVault(vault: BackupVaultPort, signal: AbortSignal, progress: (done: number, total: number) => void): Promise<Collected> {
  const { realms, globalAllowed } = await vault.realms();
  const scopes = [...(globalAllowed ? [''] : []), ...realms];
  const listings = [];
  for (const realmId of scopes) {
    if (signal.aborted) throw new JobCancelled();
    listings.push(await vault.list(realmId));
  }
  const items = listings.flatMap((listing) => listing.entries.filter((item) => item.pending !== 'delete'));
  const entries: PayloadEntry[] = [];
  const counts: BackupCounts = { secrets: 0, files: 0, scopes: listings.filter((l) => l.entries.length > 0).length, left: [] };
  progress(0, items.length);
  for (const [index, item] of items.entries()) {
    if (signal.aborted) throw new JobCancelled();
    const { realmId, key } = item;
    try {
      if (item.kind === 'file') {
        const stored = await vault.storedValue(realmId, key);
        const parts: Uint8Array[] = [];
        for await (const chunk of openFileValue(vault.openVault().keys, realmId, key, stored.value)) parts.push(chunk);
        const bytes = Buffer.concat(parts);
        entries.push({ kind: 'file', realm_id: realmId, key, value_b64: toBase64(bytes), notes: item.notes, filename: item.filename ?? key, content_type: item.contentType ?? 'application/octet-stream' });
        counts.files += 1;
      } else {
        const { value, history } = await vault.secret(realmId, key);
        entries.push({ kind: 'secret', realm_id: realmId, key, value, notes: item.notes, ...(history.length ? { history } : {}) });
        counts.secrets += 1;
      }
    } catch (error) {
      // A value sealed with its own Hoody SDK password, or one another vault sealed: the export
      // goes on without it and says so. Anything else (the server failing) stops the export.
      if (!(error instanceof CoreError) || !['PASSWORD_REQUIRED', 'UNREADABLE'].includes(error.code)) throw error;
      counts.left.push({ realmId, key, reason: error.code === 'PASSWORD_REQUIRED' ? 'is sealed with its own Hoody SDK password: open it in the vault first' : 'does not open with this vault key' });
    }
    progress(index + 1, items.length);
  }
  return { entries, counts };
}
