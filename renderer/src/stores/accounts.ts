import { create } from 'zustand';
import type { AccountSummary, AccountsState, SignInResult } from '../../../common/accounts.js';
import type { LocalSandboxInfo } from '../../../common/contract.js';
import type { AppError, Result } from '../../../common/errors.js';
import { hoody } from '../lib/hoody.js';

interface AccountsStore {
  state: AccountsState | undefined;
  error: AppError | undefined;
  load(): Promise<void>;
}

export const useAccounts = create<AccountsStore>()((set) => ({
  state: undefined,
  error: undefined,
  async load() {
    const result = await hoody().accounts.list();
    set(result.ok ? { state: result.data, error: undefined } : { error: result.error });
  },
}));

export function followAccountChanges(): () => void {
  return hoody().on('accounts.changed', (state) => useAccounts.setState({ state }));
}

export function useActiveAccount(): AccountSummary | undefined {
  return useAccounts((s) => s.state?.accounts.find((a) => a.id === s.state?.activeId));
}

export const accountLabel = (account: AccountSummary): string => account.alias || account.username;
export const serverLabel = (serverUrl: string): string => {
  try {
    return new URL(serverUrl).host;
  } catch {
    return serverUrl;
  }
};

// ——— actions: each calls main once and returns its Result; the state follows from accounts.changed ———

export type SignInAnswer = Result<SignInResult>;

export function signInWithToken(input: { serverUrl: string; token: string; sessionOnly?: boolean; replace?: boolean }): Promise<SignInAnswer> {
  return hoody().accounts.signInWithToken(input);
}

export function signInWithPassword(input: { serverUrl: string; login: string; password: string; sessionOnly?: boolean; replace?: boolean }): Promise<SignInAnswer> {
  return hoody().accounts.signInWithPassword(input);
}

export function verifyTwoFactor(input: { challengeId: string; code: string }): Promise<SignInAnswer> {
  return hoody().accounts.verifyTwoFactor(input);
}

export async function switchAccount(id: string): Promise<Result<AccountsState>> {
  const result = await hoody().accounts.switch({ id });
  if (result.ok) useAccounts.setState({ state: result.data });
  return result;
}

export async function signOut(id: string): Promise<Result<AccountsState>> {
  const result = await hoody().accounts.signOut({ id });
  if (result.ok) useAccounts.setState({ state: result.data });
  return result;
}

export function startLocalSandbox(): Promise<Result<LocalSandboxInfo>> {
  return hoody().sandbox.start();
}
