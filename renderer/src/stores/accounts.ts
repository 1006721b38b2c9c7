import { create } from 'zustand';
import type { AccountSummary, AccountsState } from '../../../common/accounts.js';
import type { AppError } from '../../../common/errors.js';
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
