import { create } from 'zustand';
import { SERVE_IMPORT_MAX_BYTES, type BackupExportKind, type BackupProgress, type ImportFormat, type ImportOutcome, type ImportPreview } from '../../../common/backup.js';
import type { AppError } from '../../../common/errors.js';
import { hoody } from '../lib/hoody.js';
import { downloadFile } from '../views/activity/download.js';

// Backup and move in the window: exports, and imports in two steps (read and preview, then store).
// Values never come here: main reads the file, opens it and answers the names it will store.

export interface BackupJob {
  jobId: string;
  label: string;
  phase: BackupProgress['phase'];
  done: number;
  total: number;
  cancelling: boolean;
}

export interface Notice {
  tone: 'info' | 'warning' | 'error';
  text: string;
}

interface BackupState {
  job: BackupJob | undefined;
  exportNotice: Notice | undefined;
  exportError: AppError | undefined;
  preview: ImportPreview | undefined;
  previewError: AppError | undefined;
  outcome: ImportOutcome | undefined;
  exportVault(input: { kind: BackupExportKind; password?: string; confirmPlaintext?: boolean }): Promise<void>;
  previewImport(input: { file: File; format: ImportFormat; password?: string; realmId?: string; desktop: boolean }): Promise<void>;
  runImport(): Promise<void>;
  cancel(): Promise<void>;
  clearImport(): void;
  progress(update: BackupProgress): void;
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

function newJobId(): string {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `job-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export const useBackup = create<BackupState>()((set, get) => ({
  job: undefined,
  exportNotice: undefined,
  exportError: undefined,
  preview: undefined,
  previewError: undefined,
  outcome: undefined,

  async exportVault(input) {
    const jobId = newJobId();
    set({ job: { jobId, label: 'Exporting the vault', phase: 'reading', done: 0, total: 0, cancelling: false }, exportNotice: undefined, exportError: undefined });
    const result = await hoody().backup.export({ jobId, ...input });
    set({ job: undefined });
    if (!result.ok) return set({ exportError: result.error });
    const data = result.data;
    if (data.status === 'dismissed') return;
    if (data.status === 'cancelled') return set({ exportNotice: { tone: 'info', text: `Export cancelled after ${data.done.toLocaleString()} of ${plural(data.total, 'entry')}; no file was written.` } });
    if (data.status === 'download') downloadFile(data.fileName, data.mimeType, data.content);
    const what = `${plural(data.secrets, 'secret')} and ${plural(data.files, 'file')} from ${plural(data.scopes, 'scope')}`;
    const where = data.status === 'saved' ? `Saved ${what} to ${data.path}.` : `Downloaded ${data.fileName} with ${what}.`;
    const left = data.left.length ? ` Left out: ${data.left.map((l) => `${l.realmId || 'global'}/${l.key} (${l.reason})`).join('; ')}.` : '';
    set({ exportNotice: { tone: left ? 'warning' : 'info', text: where + left } });
  },

  async previewImport({ file, format, password, realmId, desktop }) {
    const jobId = newJobId();
    set({ job: { jobId, label: 'Reading the file', phase: 'reading', done: 0, total: 0, cancelling: false }, preview: undefined, previewError: undefined, outcome: undefined });
    // The desktop app hands main the file's path (main reads it); serve mode sends its text.
    let source: { fileId: string } | { text: string };
    if (desktop) {
      const added = await hoody().files.add([file]);
      if (!added.ok) return set({ job: undefined, previewError: added.error });
      source = { fileId: added.data[0]!.fileId };
    } else {
      if (file.size > SERVE_IMPORT_MAX_BYTES) {
        const text = `is larger than the ${(SERVE_IMPORT_MAX_BYTES / 1024 / 1024).toFixed(1)} MB the browser window can send; import it in the desktop app`;
        return set({ job: undefined, previewError: { code: 'INVALID_INPUT', message: `The file ${text}.`, fields: { text } } });
      }
      source = { text: await file.text() };
    }
    const result = await hoody().backup.preview({ jobId, format, ...source, ...(password ? { password } : {}), ...(realmId !== undefined ? { realmId } : {}) });
    set(result.ok ? { job: undefined, preview: result.data } : { job: undefined, previewError: result.error });
  },

  async runImport() {
    const preview = get().preview;
    if (!preview) return;
    const jobId = newJobId();
    set({ job: { jobId, label: 'Importing', phase: 'writing', done: 0, total: preview.items.length, cancelling: false }, outcome: undefined, previewError: undefined });
    const result = await hoody().backup.import({ jobId, importId: preview.importId });
    if (!result.ok) return set({ job: undefined, previewError: result.error });
    set({ job: undefined, outcome: result.data, ...(result.data.status === 'done' ? { preview: undefined } : {}) });
  },

  async cancel() {
    const job = get().job;
    if (!job) return;
    set({ job: { ...job, cancelling: true } });
    await hoody().backup.cancel({ jobId: job.jobId });
  },

  clearImport: () => set({ preview: undefined, previewError: undefined, outcome: undefined }),

  progress(update) {
    const job = get().job;
    if (job && job.jobId === update.jobId) set({ job: { ...job, phase: update.phase, done: update.done, total: update.total } });
  },
}));

export function followBackupProgress(): () => void {
  return hoody().on('backup.progress', (update) => useBackup.getState().progress(update));
}
