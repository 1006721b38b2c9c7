import { create } from 'zustand';
import type { AppError, Result } from '../../../common/errors.js';
import type { TwoFactorEnrolment, TwoFactorStatus } from '../../../common/two-factor.js';
import { hoody } from '../lib/hoody.js';

// The Profile card's two-factor state, one action per call to main. Backup codes stay here only
// until the user says they saved them; the enrolment (secret and QR) until confirmed or cancelled.

interface TwoFactorStore {
  accountId: string | undefined;
  status: TwoFactorStatus | undefined;
  loading: boolean;
  error: AppError | undefined;
  enrolment: TwoFactorEnrolment | undefined;
  /** Shown once, then forgotten: the server keeps only their hashes. */
  backupCodes: string[] | undefined;
  load(accountId: string): Promise<void>;
  startSetup(password: string): Promise<Result<TwoFactorEnrolment>>;
  cancelSetup(): void;
  confirm(code: string): Promise<Result<unknown>>;
  regenerate(password: string, code: string): Promise<Result<unknown>>;
  disable(password: string, code: string): Promise<Result<TwoFactorStatus>>;
  codesSaved(): void;
}

export const useTwoFactor = create<TwoFactorStore>()((set, get) => ({
  accountId: undefined,
  status: undefined,
  loading: false,
  error: undefined,
  enrolment: undefined,
  backupCodes: undefined,

  async load(accountId) {
    if (get().accountId !== accountId) set({ accountId, status: undefined, enrolment: undefined, backupCodes: undefined });
    set({ loading: true, error: undefined });
    const result = await hoody().profile.twoFactorStatus();
    if (get().accountId !== accountId) return;
    set(result.ok ? { status: result.data, loading: false } : { error: result.error, loading: false });
  },

  async startSetup(password) {
    const result = await hoody().profile.twoFactorSetup({ password });
    if (result.ok) set({ enrolment: result.data });
    return result;
  },

  cancelSetup: () => set({ enrolment: undefined }),

  async confirm(code) {
    const result = await hoody().profile.twoFactorEnable({ code });
    if (result.ok) set({ enrolment: undefined, status: result.data.status, backupCodes: result.data.backupCodes });
    return result;
  },

  async regenerate(password, code) {
    const result = await hoody().profile.twoFactorRegenerateCodes({ password, code });
    if (result.ok) set({ status: result.data.status, backupCodes: result.data.backupCodes });
    return result;
  },

  async disable(password, code) {
    const result = await hoody().profile.twoFactorDisable({ password, code });
    if (result.ok) set({ status: result.data, backupCodes: undefined });
    return result;
  },

  codesSaved: () => set({ backupCodes: undefined }),
}));
