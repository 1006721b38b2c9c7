import { create } from 'zustand';
import type { AppError } from '../../../common/errors.js';
import type { User } from '../../../common/hoody-types.js';
import { hoody } from '../lib/hoody.js';

interface ProfileStore {
  /** Keyed by account, so switching accounts never shows the previous user's profile. */
  accountId: string | undefined;
  user: User | undefined;
  loading: boolean;
  error: AppError | undefined;
  load(accountId: string): Promise<void>;
  set(user: User): void;
  reset(): void;
}

export const useProfile = create<ProfileStore>()((set, get) => ({
  accountId: undefined,
  user: undefined,
  loading: false,
  error: undefined,
  async load(accountId) {
    if (get().accountId !== accountId) set({ accountId, user: undefined });
    set({ loading: true, error: undefined });
    const result = await hoody().profile.get();
    if (get().accountId !== accountId) return;
    set(result.ok ? { user: result.data, loading: false } : { error: result.error, loading: false });
  },
  set: (user) => set({ user }),
  reset: () => set({ accountId: undefined, user: undefined, error: undefined, loading: false }),
}));
