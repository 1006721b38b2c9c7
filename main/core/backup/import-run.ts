import { entryLabel, type ImportOutcome } from '../../../common/backup.js';
import { isStatus } from '../api/errors.js';
import { CoreError } from '../core-error.js';
import { openFileValue } from '../crypto/file-stream.js';
import type { ImportRecord } from './formats.js';
import type { BackupVaultPort } from './vault-port.js';

// Stores an import's entries one after another. Before each, the entry's name is looked up: there
// with the same value, it is skipped (so running an import again after a failure adds no
// duplicates); there with another value, it is a conflict, left as it is. The first failure stops
// the run, and the outcome says what was stored, what was not, and why.

export interface PlannedEntry {
  realmId: string;
  key: string;
  record: ImportRecord;
}

async function existing(vault: BackupVaultPort, entry: PlannedEntry): Promise<'none' | 'same' | 'different'> {
  let stored: { value: string };
  try {
    stored = await vault.storedValue(entry.realmId, entry.key);
  } catch (error) {
    if (isStatus(error, 404) || (error instanceof CoreError && error.code === 'NOT_FOUND')) return 'none';
    throw error;
  }
  try {
    if (entry.record.kind === 'file') {
      const parts: Uint8Array[] = [];
      for await (const chunk of openFileValue(vault.openVault().keys, entry.realmId, entry.key, stored.value)) parts.push(chunk);
      return Buffer.concat(parts).equals(Buffer.from(entry.record.bytes ?? new Uint8Array())) ? 'same' : 'different';
    }
    const { value } = await vault.reveal(entry.realmId, entry.key);
    return value === entry.record.value ? 'same' : 'different';
  } catch {
    // There, but not openable here (another vault's, a file where a secret is expected): not ours to overwrite.
    return 'different';
  }
}

async function store(vault: BackupVaultPort, entry: PlannedEntry, jobId: string): Promise<void> {
  const { realmId, key, record } = entry;
  if (record.kind === 'secret') {
    await vault.save({ realmId, key, value: record.value, notes: record.notes, mode: 'create' }, record.history ? { history: record.history } : {});
    return;
  }
  const bytes = record.bytes ?? new Uint8Array();
  await vault.storeFile(
    { realmId, key, notes: record.notes, uploadId: `${jobId}-${key}`.slice(0, 200) },
    {
      name: record.filename ?? key,
      type: record.contentType ?? 'application/octet-stream',
      size: bytes.length,
      replayable: true,
      async *open() {
        yield bytes;
      },
    },
  );
}

export async function runImport(vault: BackupVaultPort, plan: readonly PlannedEntry[], jobId: string, signal: AbortSignal, progress: (done: number, total: number) => void): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { status: 'done', stored: [], skipped: [], conflicts: [], notStored: [] };
  progress(0, plan.length);
  for (const [index, entry] of plan.entries()) {
    const label = entryLabel(entry.realmId, entry.key);
    if (signal.aborted) {
      outcome.status = 'cancelled';
      outcome.notStored = plan.slice(index).map((e) => entryLabel(e.realmId, e.key));
      break;
    }
    try {
      const found = await existing(vault, entry);
      if (found === 'same') outcome.skipped.push(label);
      else if (found === 'different') outcome.conflicts.push(label);
      else {
        await store(vault, entry, jobId);
        outcome.stored.push(label);
      }
    } catch (error) {
      outcome.status = 'failed';
      outcome.failed = { key: label, message: error instanceof Error ? error.message : String(error) };
      outcome.notStored = plan.slice(index).map((e) => entryLabel(e.realmId, e.key));
      break;
    }
    progress(index + 1, plan.length);
  }
  return outcome;
}
