import { jsonStringAt } from './json-string-stream.js';
import { UnchangedAnswers } from './unchanged-answers.js';
import { noteVaultWrite } from './vault-writes.js';
import type {
  ActivityRecord,
  ActivityStats,
  LoginTokens,
  PageMetadata,
  RetrySetupResult,
  TwoFactorChallenge,
  User,
  VaultEntry,
  VaultStats,
  VaultValue,
} from '../../../common/hoody-types.js';
import {
  activityQuerySchema,
  keyNameSchema,
  metadataSchema,
  objectIdSchema,
  realmIdSchema,
  regionSchema,
  userUpdateSchema,
  type ActivityQuery,
  type UserUpdate,
} from '../../../common/rules.js';
import {
  tfaDisableBody,
  tfaRegenerateBody,
  tfaSetupBody,
  tfaVerifySetupBody,
  type ApiTwoFactorChange,
  type ApiTwoFactorSetup,
  type ApiTwoFactorStatus,
} from '../../../common/two-factor.js';
import { CoreError } from '../core-error.js';
import { validateInput } from '../validate.js';
import { isStatus } from './errors.js';
import type { HttpEngine, RequestSpec } from './http.js';
import type { AuthSession } from './session.js';

// One typed function per endpoint the app uses (docs/hoody-api/hoody-api.md). Inputs are checked against
// the API's own rules before anything is sent, so a refusal the app can predict never costs a
// round trip (nor an activity-log entry).

const realmQuery = (realmId: string | undefined) => (realmId ? { realm_id: validateInput(realmIdSchema, realmId, 'realm_id') } : {});
const keyPath = (key: string) => `/vault/keys/${encodeURIComponent(validateInput(keyNameSchema, key, 'key'))}`;

export type LoginAnswer = { kind: 'tokens'; tokens: LoginTokens } | { kind: 'two-factor'; challenge: TwoFactorChallenge };

/** POST /users/auth/login, by username or email. Never retried: a replay could count as a second failed attempt. */
export async function login(engine: HttpEngine, credentials: { login: string; password: string }): Promise<LoginAnswer> {
  const who = credentials.login.trim();
  const body = who.includes('@') ? { email: who, password: credentials.password } : { username: who, password: credentials.password };
  const { data } = await engine.send<LoginTokens | TwoFactorChallenge>({ method: 'POST', path: '/users/auth/login', body, idempotent: false });
  if ((data as TwoFactorChallenge)?.requires_2fa === true) return { kind: 'two-factor', challenge: data as TwoFactorChallenge };
  return { kind: 'tokens', tokens: data as LoginTokens };
}

/** POST /users/auth/2fa/verify with the code from the user's authenticator app. */
export async function verifyTwoFactor(engine: HttpEngine, challenge: { temp_token: string; code: string }): Promise<LoginTokens> {
  const { data } = await engine.send<LoginTokens>({ method: 'POST', path: '/users/auth/2fa/verify', body: challenge, idempotent: false });
  return data;
}

/** A vault write, counted when it starts and when it ends (listings made ahead of it are then stale: vault-writes.ts). */
async function vaultWrite<T>(send: () => Promise<T>): Promise<T> {
  noteVaultWrite();
  try {
    return await send();
  } finally {
    noteVaultWrite();
  }
}

/** A key listing's envelope, parsed as the engine parses any other (http.ts), its entries frozen. */
function keyListing(text: string, root: string): readonly VaultEntry[] {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    envelope = undefined;
  }
  if (!isObject(envelope) || !('data' in envelope)) {
    throw new CoreError('SERVER_ERROR', `The server at ${new URL(root).host} answered in a form this app does not understand. Is this a Hoody API address?`, { status: 200 });
  }
  const data = envelope.data;
  const entries = Array.isArray(data) ? (data.filter(isObject) as unknown as VaultEntry[]) : [];
  for (const entry of entries) Object.freeze(entry);
  return Object.freeze(entries);
}

export class HoodyClient {
  /** The last key listing of each scope, as read (unchanged-answers.ts). */
  readonly #keyListings = new UnchangedAnswers<readonly VaultEntry[]>('data');

  constructor(readonly session: AuthSession) {}

  /**
   * Whether the server answers at all, asked without credentials, so the check is never an entry in
   * the user's activity log: any HTTP answer (a 401 included) means it is there; no answer, a
   * timeout or a gateway error means it is not.
   */
  async reachable(): Promise<boolean> {
    try {
      await this.session.engine.send({ method: 'GET', path: '/users/me', idempotent: true });
      return true;
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      return !(error.code === 'NETWORK' || error.code === 'TIMEOUT' || [502, 503, 504].includes(error.status ?? 0));
    }
  }

  async #data<T>(spec: RequestSpec): Promise<T> {
    return (await this.session.request<T>(spec)).data;
  }

  async me(): Promise<User> {
    return this.#data<User>({ method: 'GET', path: '/users/me', idempotent: true }).then(parseUser);
  }

  async getUser(id: string): Promise<User> {
    return this.#data<User>({ method: 'GET', path: `/users/${validateInput(objectIdSchema, id, 'id')}`, idempotent: true }).then(parseUser);
  }

  /**
   * PATCH as the seed documents; a server that answers 404 or 405 gets it once more as PUT (the
   * official SDK's method). A password change is never repeated after a network failure: if the
   * first attempt landed, a replay would fail on the now-wrong current password.
   */
  async updateUser(id: string, update: UserUpdate): Promise<User> {
    const body = validateInput(userUpdateSchema, update);
    const path = `/users/${validateInput(objectIdSchema, id, 'id')}`;
    const idempotent = update.password === undefined;
    try {
      return parseUser(await this.#data<User>({ method: 'PATCH', path, body, idempotent }));
    } catch (error) {
      if (!isStatus(error, 404, 405)) throw error;
      return parseUser(await this.#data<User>({ method: 'PUT', path, body, idempotent }));
    }
  }

  /** Idempotent by the API's own word, so safe to repeat; rate limited to one a minute. */
  async retrySetup(region?: string): Promise<RetrySetupResult> {
    const body = region ? { region: validateInput(regionSchema, region, 'region') } : {};
    return this.#data<RetrySetupResult>({ method: 'POST', path: '/users/me/retry-setup', body, idempotent: true });
  }

  async activity(query: ActivityQuery = {}, signal?: AbortSignal): Promise<{ records: ActivityRecord[]; metadata: PageMetadata }> {
    const parsed: Record<string, string | number | undefined> = validateInput(activityQuerySchema, query);
    const response = await this.session.request<unknown>({ method: 'GET', path: '/users/auth/activity', query: parsed, idempotent: true, signal });
    const records = Array.isArray(response.data) ? response.data.filter(isObject).map(parseActivity) : [];
    return { records, metadata: parseMetadata(response.metadata, records.length, parsed) };
  }

  async activityStats(): Promise<ActivityStats> {
    return this.#data<ActivityStats>({ method: 'GET', path: '/users/auth/activity/stats', idempotent: true });
  }

  /**
   * A scope's entries, frozen: an answer holding what the last one for that scope held (byte for
   * byte, or the same entries in another order) gives back the very same array (unchanged-answers.ts),
   * so callers compare listings by reference first and never change one.
   */
  async listKeys(realmId?: string): Promise<readonly VaultEntry[]> {
    const consume = (body: AsyncIterable<Uint8Array>) => this.#keyListings.read(realmId ?? '', body, (text) => keyListing(text, this.session.engine.root));
    return (await this.session.request<readonly VaultEntry[]>({ method: 'GET', path: '/vault/keys', query: realmQuery(realmId), idempotent: true, consume })).data;
  }

  async getKey(key: string, realmId?: string): Promise<VaultValue> {
    return this.#data<VaultValue>({ method: 'GET', path: keyPath(key), query: realmQuery(realmId), idempotent: true });
  }

  /**
   * A stored value read as it arrives, never held whole by this call: `consume` gets the value's
   * text in pieces (this computer's copy writes a file's value to disk that way) and must read it
   * to the end. Called again if the request is retried.
   */
  async getKeyValue<T>(key: string, realmId: string | undefined, consume: (value: AsyncIterable<string>) => Promise<T>): Promise<T> {
    const response = await this.session.request<T>({ method: 'GET', path: keyPath(key), query: realmQuery(realmId), idempotent: true, consume: (body) => consume(jsonStringAt(body, ['data', 'value'])) });
    return response.data;
  }

  /** Setting a key to a value is idempotent, so it is safe to repeat after a lost answer. */
  async setKey(key: string, entry: { value: string; metadata?: Record<string, unknown> | null }, realmId?: string): Promise<{ entry: VaultValue; created: boolean }> {
    if (entry.metadata) validateInput(metadataSchema, entry.metadata, 'metadata');
    const response = await vaultWrite(() => this.session.request<VaultValue>({ method: 'PATCH', path: keyPath(key), query: realmQuery(realmId), body: entry, idempotent: true }));
    return { entry: response.data, created: response.status === 201 };
  }

  /**
   * Stores a value produced as a stream (a file): the request body streams with its exact length,
   * and the echoed answer is left unread (the connection is closed instead). Resolves with the HTTP status (201 created, 200 updated).
   */
  async setKeyStream(key: string, body: { length: number; open: () => AsyncIterable<string>; replayable: boolean }, realmId: string | undefined, signal?: AbortSignal): Promise<number> {
    const response = await vaultWrite(() =>
      this.session.request<unknown>({
        method: 'PATCH',
        path: keyPath(key),
        query: realmQuery(realmId),
        stream: body,
        discardResponse: true,
        idempotent: body.replayable,
        signal,
      }),
    );
    return response.status;
  }

  async deleteKey(key: string, realmId?: string): Promise<void> {
    await vaultWrite(() => this.#data<null>({ method: 'DELETE', path: keyPath(key), query: realmQuery(realmId), idempotent: true }));
  }

  async clearVault(realmId?: string): Promise<number> {
    const data = await vaultWrite(() => this.#data<{ deleted_count?: number }>({ method: 'DELETE', path: '/vault', query: realmQuery(realmId), idempotent: true }));
    return data?.deleted_count ?? 0;
  }

  async vaultStats(realmId?: string): Promise<VaultStats> {
    return this.#data<VaultStats>({ method: 'GET', path: '/vault/stats', query: realmQuery(realmId), idempotent: true });
  }

  // --- two-factor sign-in (never repeated: a replayed setup would replace the secret just shown) --

  async twoFactorStatus(): Promise<ApiTwoFactorStatus> {
    return (await this.#data<ApiTwoFactorStatus | null>({ method: 'GET', path: '/users/auth/2fa/status', idempotent: true })) ?? {};
  }

  async twoFactorSetup(password: string): Promise<ApiTwoFactorSetup> {
    const body = validateInput(tfaSetupBody, { password });
    return (await this.#data<ApiTwoFactorSetup | null>({ method: 'POST', path: '/users/auth/2fa/setup', body, idempotent: false })) ?? {};
  }

  /** Turns 2FA on; new session tokens in the answer replace this account's (see AuthSession.adopt). */
  async twoFactorVerifySetup(code: string): Promise<ApiTwoFactorChange> {
    const body = validateInput(tfaVerifySetupBody, { code });
    return this.#adopting(await this.#data<ApiTwoFactorChange | null>({ method: 'POST', path: '/users/auth/2fa/verify-setup', body, idempotent: false }));
  }

  async twoFactorDisable(password: string, code: string): Promise<ApiTwoFactorChange> {
    const body = validateInput(tfaDisableBody, { password, code });
    return this.#adopting(await this.#data<ApiTwoFactorChange | null>({ method: 'DELETE', path: '/users/auth/2fa', body, idempotent: false }));
  }

  /** Takes the authenticator's 6-digit code only: the API refuses a backup code here. */
  async regenerateBackupCodes(password: string, code: string): Promise<string[]> {
    const body = validateInput(tfaRegenerateBody, { password, code });
    const data = await this.#data<{ backup_codes?: unknown } | null>({ method: 'POST', path: '/users/auth/2fa/backup-codes/regenerate', body, idempotent: false });
    return stringList(data?.backup_codes);
  }

  async #adopting(data: ApiTwoFactorChange | null): Promise<ApiTwoFactorChange> {
    const answer = data ?? {};
    await this.session.adopt(answer);
    return answer;
  }

  async realms(): Promise<string[]> {
    const data = await this.#data<{ realm_ids?: unknown }>({ method: 'GET', path: '/realms/', idempotent: true });
    return Array.isArray(data?.realm_ids) ? data.realm_ids.filter((id): id is string => typeof id === 'string') : [];
  }
}

export const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseUser(value: unknown): User {
  if (!isObject(value) || typeof value.id !== 'string') throw new CoreError('SERVER_ERROR', 'The server answered without a user.');
  return {
    ...(value as unknown as User),
    username: typeof value.username === 'string' ? value.username : '',
    alias: typeof value.alias === 'string' ? value.alias : '',
    is_admin: value.is_admin === true,
    is_banned: value.is_banned === true,
    created_at: typeof value.created_at === 'string' ? value.created_at : '',
    updated_at: typeof value.updated_at === 'string' ? value.updated_at : '',
  };
}

/** Every field of an activity record may be missing; keep only the ones of the right type. */
export function parseActivity(item: Record<string, unknown>): ActivityRecord {
  const record: ActivityRecord = {};
  for (const name of ['id', 'user_id', 'realm_id', 'method', 'path', 'ip_address', 'user_agent', 'created_at'] as const) {
    const value = item[name];
    if (typeof value === 'string') record[name] = value;
  }
  const status = Number(item.status_code);
  if (Number.isInteger(status)) record.status_code = status;
  return record;
}

function parseMetadata(value: unknown, count: number, query: Record<string, unknown>): PageMetadata {
  const m = isObject(value) ? value : {};
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const limit = num(m.limit, typeof query.limit === 'number' ? query.limit : 50);
  const total = num(m.total, count);
  return { total, page: num(m.page, typeof query.page === 'number' ? query.page : 1), limit, pages: num(m.pages, Math.ceil(total / Math.max(1, limit))) };
}
