import { create } from 'zustand';
import type { AppError, Result } from '../../../common/errors.js';
import type { User } from '../../../common/hoody-types.js';
import { hoody } from '../lib/hoody.js';

// Admin › Users. The API has no list of users: a user is opened by id. To help, the view offers the
// ids opened lately (kept on this computer, per account) and the ids seen in this account's own
// API activity log (its user id, and ids in paths such as /users/<id>).

const RECENT_MAX = 8;
const ID = /\b[0-9a-f]{24}\b/gi;
const recentKey = (accountId: string) => `hoody-vault.recent-users.${accountId}`;

export interface UserChange {
  alias?: string;
  metadata?: Record<string, unknown>;
  is_admin?: boolean;
  is_banned?: boolean;
}

interface UsersStore {
  accountId: string | undefined;
  user: User | undefined;
  error: AppError | undefined;
  busy: boolean;
  recent: Array<{ id: string; label: string }>;
  /** Ids found in the activity log, newest first, without the recent ones. */
  seen: string[];
  start(accountId: string): Promise<void>;
  open(id: string): Promise<Result<User>>;
  update(change: UserChange): Promise<Result<User>>;
}

function readRecent(accountId: string): Array<{ id: string; label: string }> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(recentKey(accountId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((r): r is { id: string; label: string } => typeof r?.id === 'string' && typeof r?.label === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

function remember(accountId: string, user: User, recent: Array<{ id: string; label: string }>): Array<{ id: string; label: string }> {
  const next = [{ id: user.id, label: user.alias || user.username }, ...recent.filter((r) => r.id !== user.id)].slice(0, RECENT_MAX);
  try {
    window.localStorage.setItem(recentKey(accountId), JSON.stringify(next));
  } catch {
    // Only a convenience: without storage the list lasts until the window reloads.
  }
  return next;
}

export const useUsers = create<UsersStore>()((set, get) => ({
  accountId: undefined,
  user: undefined,
  error: undefined,
  busy: false,
  recent: [],
  seen: [],

  async start(accountId) {
    if (get().accountId !== accountId) set({ accountId, user: undefined, error: undefined, recent: readRecent(accountId), seen: [] });
    const log = await hoody().activity.query({ page: 1, limit: 100 });
    if (!log.ok || get().accountId !== accountId) return;
    const found: string[] = [];
    for (const record of log.data.records) {
      for (const id of [record.user_id ?? '', ...(record.path?.match(ID) ?? [])]) {
        const lower = id.toLowerCase();
        if (/^[0-9a-f]{24}$/.test(lower) && !found.includes(lower)) found.push(lower);
      }
    }
    set({ seen: found });
  },

  async open(id) {
    set({ busy: true, error: undefined });
    const result = await hoody().users.get({ id });
    const accountId = get().accountId;
    if (result.ok) set({ user: result.data, busy: false, ...(accountId ? { recent: remember(accountId, result.data, get().recent) } : {}) });
    else set({ user: undefined, error: result.error, busy: false });
    return result;
  },

  async update(change) {
    const user = get().user;
    if (!user) return { ok: false, error: { code: 'NOT_FOUND', message: 'Open a user first.' } };
    const result = await hoody().users.update({ id: user.id, ...change });
    if (result.ok) set({ user: result.data });
    return result;
  },
}));
