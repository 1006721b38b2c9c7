import type { FilePreview } from '../../../common/contract.js';
import type { Result } from '../../../common/errors.js';
import type { VaultItem } from '../../../common/vault.js';
import type { DroppedFile } from '../../../common/vault-files.js';
import { hoody } from '../lib/hoody.js';
import { say } from './notices.js';
import { useUploads } from './uploads.js';
import { useVault } from './vault.js';

// Files in the vault: made known, stored one after another with progress, opened, saved to disk.

export function addFiles(files: File[]): Promise<Result<DroppedFile[]>> {
  return hoody().files.add(files);
}

/** Stores the planned files in order (each upload already streams at full speed); progress comes as events. */
export async function uploadFiles(planned: Array<DroppedFile & { key: string }>): Promise<void> {
  const realmId = useVault.getState().realmId;
  const jobs = planned.map((file) => ({ file, uploadId: crypto.randomUUID() }));
  const uploads = useUploads.getState();
  uploads.add(jobs.map(({ file, uploadId }) => ({ uploadId, key: file.key, name: file.name, total: file.size, sent: 0, state: 'waiting' })));
  for (const { file, uploadId } of jobs) {
    const row = useUploads.getState().rows.find((r) => r.uploadId === uploadId);
    if (row?.state === 'cancelled') continue;
    const result = await hoody().files.upload({ fileId: file.fileId, realmId, key: file.key, uploadId });
    if (result.ok) {
      useUploads.getState().update(uploadId, { state: 'done', sent: file.size });
      useVault.getState().upsert(result.data);
    } else {
      const cancelled = /cancelled/.test(result.error.message);
      useUploads.getState().update(uploadId, { state: cancelled ? 'cancelled' : 'failed', error: result.error });
    }
  }
  void useVault.getState().refresh();
}

/** A waiting upload is only marked; one under way is stopped in main. */
export function cancelUpload(uploadId: string, waiting: boolean): void {
  if (waiting) useUploads.getState().update(uploadId, { state: 'cancelled' });
  else void hoody().vault.cancelUpload({ uploadId });
}

export async function saveFileToDisk(item: VaultItem): Promise<Result<{ saved: string | null }>> {
  const result = await hoody().files.download({ realmId: item.realmId, key: item.key });
  if (result.ok) say(result.data.saved ? `Saved ${item.filename ?? item.key} to ${result.data.saved}.` : `Decrypted ${item.filename ?? item.key}; your browser is saving it.`);
  return result;
}

export function previewFile(item: VaultItem): Promise<Result<FilePreview>> {
  return hoody().vault.previewFile({ realmId: item.realmId, key: item.key });
}
