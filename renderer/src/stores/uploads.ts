import { create } from 'zustand';
import type { AppError } from '../../../common/errors.js';
import type { UploadProgress } from '../../../common/vault-files.js';
import { hoody } from '../lib/hoody.js';

export interface UploadRow {
  uploadId: string;
  key: string;
  name: string;
  total: number;
  sent: number;
  state: 'waiting' | UploadProgress['state'];
  error?: AppError | undefined;
}

interface UploadsStore {
  rows: UploadRow[];
  add(rows: UploadRow[]): void;
  update(uploadId: string, patch: Partial<UploadRow>): void;
  clearFinished(): void;
  reset(): void;
}

export const useUploads = create<UploadsStore>()((set) => ({
  rows: [],
  add: (rows) => set((s) => ({ rows: [...s.rows, ...rows] })),
  update: (uploadId, patch) => set((s) => ({ rows: s.rows.map((r) => (r.uploadId === uploadId ? { ...r, ...patch } : r)) })),
  clearFinished: () => set((s) => ({ rows: s.rows.filter((r) => r.state === 'waiting' || r.state === 'uploading') })),
  reset: () => set({ rows: [] }),
}));

/** Progress comes from main as it seals: bytes read, sealed and sent. */
export function followUploads(): () => void {
  return hoody().on('vault.upload', (progress) => {
    const { state, sent, error } = progress;
    useUploads.getState().update(progress.uploadId, { state, sent, ...(error ? { error: { code: 'INTERNAL', message: error } } : {}) });
  });
}
