import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountSummary, AccountsState, SignInResult } from '../../../common/accounts.js';
import type { User } from '../../../common/hoody-types.js';
import { HttpEngine, type EngineOptions } from '../api/http.js';
import { isApiToken, parseCredentials, serializeCredentials, type Credentials } from '../api/credentials.js';
import { HoodyClient, login, verifyTwoFactor } from '../api/hoody-client.js';
import { AuthSession, credentialsFromLogin } from '../api/session.js';
import { CoreError } from '../core-error.js';
import { readJsonFile, writeJsonFile } from '../storage/json-file.js';
import { MemoryStore, type SecretStore } from './secret-store.js';

// The accounts signed in on this computer. accounts.json (no secrets) says who and where; each
// account's credentials live in the keychain under its id (one entry per account), or in memory
// for a session-only sign-in, which is never written anywhere.

const ACCOUNTS_FILE = 'accounts.json';
const CHALLENGE_TTL_MS = 5 * 60_000;

type StoredAccount = Omit<AccountSummary, 'storage' | 'status'>;

interface LiveAccount {
  summary: AccountSummary;
  session: AuthSession | undefined;
  client: HoodyClient | undefined;
}

interface Challenge {
  serverUrl: string;
  tempToken: string;
  sessionOnly: boolean;
  replace: boolean;
  expiresAt: number;
}

export interface AccountsOptions {
  dataDir: string;
  /** The OS keychain, when one works. */
  keychain: SecretStore | undefined;
  keychainProblem?: string;
  engine?: Omit<EngineOptions, 'baseUrl'>;
  onChange?: (state: AccountsState) => void;
  log?: (message: string) => void;
}

export class AccountsService {
  readonly #options: AccountsOptions;
  readonly #memory = new MemoryStore();
  readonly #live = new Map<string, LiveAccount>();
  readonly #challenges = new Map<string, Challenge>();
  #activeId: string | null = null;
  #writes: Promise<void> = Promise.resolve();

  constructor(options: AccountsOptions) {
    this.#options = options;
  }

  get #file(): string {
    return join(this.#options.dataDir, ACCOUNTS_FILE);
  }

  /** Restores the accounts kept in the keychain: a restart brings the user back signed in. */
  async load(): Promise<AccountsState> {
    const read = await readJsonFile(this.#file);
    const stored = read.state === 'ok' ? (read.value as { accounts?: StoredAccount[]; activeId?: string | null }) : {};
    for (const record of Array.isArray(stored.accounts) ? stored.accounts : []) {
      if (typeof record?.id !== 'string' || typeof record.serverUrl !== 'string') continue;
      const credentials = this.#options.keychain ? parseCredentials(await this.#options.keychain.get(record.id).catch(() => null)) : undefined;
      const summary: AccountSummary = { ...record, storage: 'keychain', status: credentials ? 'signed-in' : 'expired' };
      this.#live.set(record.id, this.#attach(summary, credentials));
    }
    this.#activeId = stored.activeId && this.#live.has(stored.activeId) ? stored.activeId : (this.#live.keys().next().value ?? null);
    return this.state();
  }

  state(): AccountsState {
    const keychain = this.#options.keychain ? { available: true } : { available: false, reason: this.#options.keychainProblem ?? 'no keychain is available' };
    return { accounts: [...this.#live.values()].map((a) => ({ ...a.summary })), activeId: this.#activeId, keychain };
  }

  async signInWithToken(input: { serverUrl: string; token: string; sessionOnly?: boolean | undefined; replace?: boolean | undefined }): Promise<SignInResult> {
    const credentials: Credentials = isApiToken(input.token)
      ? { kind: 'api-token', token: input.token }
      : { kind: 'session', token: input.token, refreshToken: '' };
    return this.#complete(input.serverUrl, credentials, input.sessionOnly === true, input.replace === true);
  }

  async signInWithPassword(input: { serverUrl: string; login: string; password: string; sessionOnly?: boolean | undefined; replace?: boolean | undefined }): Promise<SignInResult> {
    this.#requireStorage(input.sessionOnly === true);
    const answer = await login(this.#engine(input.serverUrl), input).catch(rewordCredentialError);
    if (answer.kind === 'two-factor') {
      const challengeId = randomUUID();
      // The temporary token stays in main; the renderer only gets an opaque id for it.
      this.#challenges.set(challengeId, {
        serverUrl: input.serverUrl,
        tempToken: answer.challenge.temp_token,
        sessionOnly: input.sessionOnly === true,
        replace: input.replace === true,
        expiresAt: Date.now() + CHALLENGE_TTL_MS,
      });
      return { status: 'two-factor', challengeId, method: answer.challenge.method ?? 'totp' };
    }
    return this.#complete(input.serverUrl, credentialsFromLogin(answer.tokens), input.sessionOnly === true, input.replace === true);
  }

  async verifyTwoFactor(input: { challengeId: string; code: string }): Promise<SignInResult> {
    const challenge = this.#challenges.get(input.challengeId);
    if (!challenge || challenge.expiresAt < Date.now()) {
      this.#challenges.delete(input.challengeId);
      throw new CoreError('SESSION_EXPIRED', 'This sign-in took too long. Enter your password again.');
    }
    let tokens;
    try {
      tokens = await verifyTwoFactor(this.#engine(challenge.serverUrl), { temp_token: challenge.tempToken, code: input.code });
    } catch (error) {
      if (error instanceof CoreError && (error.status === 400 || error.status === 401)) {
        throw new CoreError('UNAUTHORIZED', 'That code is not right. Enter the current code from your authenticator app.', { status: error.status, fields: { code: 'is not the current code' } });
      }
      throw error;
    }
    this.#challenges.delete(input.challengeId);
    return this.#complete(challenge.serverUrl, credentialsFromLogin(tokens), challenge.sessionOnly, challenge.replace);
  }

  /** `remember: false` (the command line's --account) changes the active account for this run only. */
  async switchTo(id: string, options: { remember?: boolean } = {}): Promise<AccountsState> {
    this.#get(id);
    this.#activeId = id;
    if (options.remember !== false) await this.#save();
    return this.#changed();
  }

  /** Forgets the account here: its keychain entry and its local data. Other devices stay signed in. */
  async signOut(id: string): Promise<AccountsState> {
    const account = this.#get(id);
    await this.#store(account.summary.storage).delete(id).catch((error: unknown) => {
      throw new CoreError('STORAGE', `The keychain entry could not be deleted: ${(error as Error).message}`);
    });
    await this.#store(account.summary.storage).delete(localStateName(id)).catch(() => false);
    await rm(this.accountDataDir(id), { recursive: true, force: true });
    this.#live.delete(id);
    if (this.#activeId === id) this.#activeId = this.#live.keys().next().value ?? null;
    await this.#save();
    return this.#changed();
  }

  /** The active account's API client, or a clear error saying what the user must do. */
  client(): HoodyClient {
    const account = this.#activeId ? this.#live.get(this.#activeId) : undefined;
    if (!account) throw new CoreError('NOT_SIGNED_IN', 'Sign in to a Hoody account first.');
    if (account.summary.status === 'expired' || !account.client) {
      throw new CoreError('SESSION_EXPIRED', `Your session for ${account.summary.username} has expired. Sign in again to continue.`);
    }
    return account.client;
  }

  active(): AccountSummary | undefined {
    return this.#activeId ? this.#live.get(this.#activeId)?.summary : undefined;
  }

  /** Per-account folder for caches; removed on sign-out. The name is a hash: ids contain ':' and '@'. */
  accountDataDir(id: string): string {
    return join(this.#options.dataDir, 'accounts', createHash('sha256').update(id).digest('hex').slice(0, 24));
  }

  /**
   * Where the vault's local-state counters live (rollback protection of the local copies and the
   * outbox): the account's keychain, under `<account id>#local-state` beside its credentials, or
   * memory for a session-only account (which has no keychain entry).
   */
  localStateCounters(id: string): { kind: 'keychain' | 'memory'; get(): Promise<string | null>; set(value: string): Promise<void> } {
    const storage = this.#live.get(id)?.summary.storage ?? 'memory';
    const store = storage === 'keychain' && this.#options.keychain ? this.#options.keychain : this.#memory;
    const name = localStateName(id);
    return { kind: store === this.#memory ? 'memory' : 'keychain', get: () => store.get(name), set: (value) => store.set(name, value) };
  }

  /** Applies a fresh copy of the active user (after a profile change) to the summary. */
  noteUser(user: User): void {
    const account = this.#activeId ? this.#live.get(this.#activeId) : undefined;
    if (!account || account.summary.userId !== user.id) return;
    const { summary } = account;
    if (summary.alias === user.alias && summary.isAdmin === user.is_admin && summary.isBanned === user.is_banned) return;
    Object.assign(summary, { alias: user.alias, isAdmin: user.is_admin, isBanned: user.is_banned });
    if (summary.storage === 'keychain') void this.#save();
    this.#changed();
  }

  async #complete(serverUrl: string, credentials: Credentials, sessionOnly: boolean, replace: boolean): Promise<SignInResult> {
    const storage = this.#requireStorage(sessionOnly);
    // Ask the server who this is before keeping anything: a wrong token is refused here, not later.
    const probe = new HoodyClient(new AuthSession(this.#engine(serverUrl), credentials));
    const user = await probe.me().catch(rewordCredentialError);
    const id = `${user.id}@${new URL(serverUrl).host}`;
    const summary: AccountSummary = {
      id,
      serverUrl,
      userId: user.id,
      username: user.username,
      alias: user.alias,
      isAdmin: user.is_admin,
      isBanned: user.is_banned,
      kind: credentials.kind,
      storage,
      status: 'signed-in',
    };
    const previous = this.#live.get(id);
    // The same user, already signed in here: replacing their token silently would lose it. Ask first.
    // (An expired session is what signing in again is for: it is replaced without a question.)
    if (previous && previous.summary.status === 'signed-in' && !replace) return { status: 'already-signed-in', account: { ...previous.summary }, newKind: credentials.kind };
    if (previous && previous.summary.storage !== storage) await this.#store(previous.summary.storage).delete(id).catch(() => false);
    await this.#store(storage).set(id, serializeCredentials(credentials)).catch((error: unknown) => {
      throw new CoreError('KEYCHAIN_UNAVAILABLE', `The keychain refused to store the token: ${(error as Error).message}`);
    });
    this.#live.set(id, this.#attach(summary, credentials));
    this.#activeId = id;
    await this.#save();
    const state = this.#changed();
    return { status: 'signed-in', account: { ...summary }, state };
  }

  #attach(summary: AccountSummary, credentials: Credentials | undefined): LiveAccount {
    if (!credentials) return { summary, session: undefined, client: undefined };
    const session = new AuthSession(this.#engine(summary.serverUrl), credentials, {
      onRefreshed: (next) => this.#store(summary.storage).set(summary.id, serializeCredentials(next)),
      onExpired: () => {
        summary.status = 'expired';
        this.#options.log?.(`session of ${summary.id} expired`);
        this.#changed();
      },
    });
    return { summary, session, client: new HoodyClient(session) };
  }

  #engine(serverUrl: string): HttpEngine {
    return new HttpEngine({ ...this.#options.engine, baseUrl: serverUrl });
  }

  #requireStorage(sessionOnly: boolean): 'keychain' | 'memory' {
    if (sessionOnly) return 'memory';
    if (this.#options.keychain) return 'keychain';
    throw new CoreError(
      'KEYCHAIN_UNAVAILABLE',
      `Your system keychain is not available: ${this.#options.keychainProblem ?? 'unknown reason'}. You can sign in for this session only; you will need to sign in again after the app restarts.`,
    );
  }

  #store(storage: 'keychain' | 'memory'): SecretStore {
    if (storage === 'memory') return this.#memory;
    if (!this.#options.keychain) throw new CoreError('KEYCHAIN_UNAVAILABLE', 'The keychain is not available.');
    return this.#options.keychain;
  }

  #get(id: string): LiveAccount {
    const account = this.#live.get(id);
    if (!account) throw new CoreError('NOT_FOUND', 'There is no such account on this computer.');
    return account;
  }

  /** Only keychain accounts are listed on disk: a session-only account must not outlive the app. */
  #save(): Promise<void> {
    const accounts: StoredAccount[] = [...this.#live.values()]
      .filter((a) => a.summary.storage === 'keychain')
      .map(({ summary: { storage: _s, status: _t, ...record } }) => record);
    const activeId = this.#activeId && this.#live.get(this.#activeId)?.summary.storage === 'keychain' ? this.#activeId : (accounts[0]?.id ?? null);
    const run = this.#writes.then(() => writeJsonFile(this.#file, { accounts, activeId }));
    this.#writes = run.catch(() => {});
    return run;
  }

  #changed(): AccountsState {
    const state = this.state();
    this.#options.onChange?.(state);
    return state;
  }
}

const localStateName = (id: string) => `${id}#local-state`;

/** At sign-in, a 401 means wrong credentials, not an expired session: say so in those words. */
function rewordCredentialError(error: unknown): never {
  if (error instanceof CoreError && (error.code === 'UNAUTHORIZED' || error.code === 'SESSION_EXPIRED')) {
    throw new CoreError('UNAUTHORIZED', error.message && error.code === 'UNAUTHORIZED' ? error.message : 'The server did not accept these credentials.', {
      status: 401,
      ...(error.fields ? { fields: error.fields } : {}),
    });
  }
  throw error;
}
