import { create } from 'zustand';
import type { HoodyApi } from '../../../common/bridge.js';
import type { KeyPair } from '../../../common/contract.js';
import type { AppError, Result } from '../../../common/errors.js';
import type { RetrySetupResult, User } from '../../../common/hoody-types.js';
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

// ——— actions: each calls main once, keeps the store's user current, and returns the Result ———

type ProfileChange = Parameters<HoodyApi['profile']['update']>[0];

export async function updateProfile(change: ProfileChange): Promise<Result<User>> {
  const result = await hoody().profile.update(change);
  if (result.ok) useProfile.getState().set(result.data);
  return result;
}

export async function changePassword(input: { currentPassword: string; newPassword: string }): Promise<Result<User>> {
  const result = await hoody().profile.changePassword(input);
  if (result.ok) useProfile.getState().set(result.data);
  return result;
}

export function generateKeyPair(): Promise<Result<KeyPair>> {
  return hoody().profile.generateKeyPair();
}

export function retrySetup(region?: string): Promise<Result<RetrySetupResult>> {
  return hoody().profile.retrySetup(region ? { region } : {});
}
