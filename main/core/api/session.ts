import type { LoginTokens } from '../../../common/hoody-types.js';
import { CoreError } from '../core-error.js';
import type { Credentials } from './credentials.js';
import { isStatus } from './errors.js';
import type { ApiResponse, HttpEngine, RequestSpec } from './http.js';

export interface SessionHooks {
  /** New tokens after a refresh: persist them (keychain) before they are used. */
  onRefreshed?: (credentials: Credentials) => Promise<void>;
  /** The server no longer accepts this account's credentials: the user must sign in again. */
  onExpired?: () => void;
}

/** Seconds before expiry at which a session is refreshed without waiting for a 401. */
const REFRESH_SKEW_MS = 30_000;

/**
 * Signs requests for one account. An expired session is refreshed once, however many calls notice
 * at the same time (they all wait for the same refresh), and each call is then repeated once. A
 * refused refresh ends the session: every later call fails with SESSION_EXPIRED until sign-in.
 */
export class AuthSession {
  #credentials: Credentials;
  #refreshing: Promise<void> | undefined;
  #expired = false;
  readonly #engine: HttpEngine;
  readonly #hooks: SessionHooks;
  readonly #now: () => number;

  constructor(engine: HttpEngine, credentials: Credentials, hooks: SessionHooks = {}, now: () => number = Date.now) {
    this.#engine = engine;
    this.#credentials = credentials;
    this.#hooks = hooks;
    this.#now = now;
  }

  get expired(): boolean {
    return this.#expired;
  }

  get engine(): HttpEngine {
    return this.#engine;
  }

  async request<T>(spec: RequestSpec): Promise<ApiResponse<T>> {
    this.#assertUsable();
    const credentials = this.#credentials;
    if (credentials.kind === 'session' && credentials.expiresAt && Date.parse(credentials.expiresAt) - REFRESH_SKEW_MS <= this.#now()) {
      await this.#refreshOnce(credentials.token);
    }
    const used = this.#credentials.token;
    try {
      return await this.#engine.send<T>(spec, used);
    } catch (error) {
      if (!isStatus(error, 401)) throw error;
      if (this.#credentials.kind !== 'session') throw this.#expire('The server no longer accepts this API token. Sign in again with a valid one.');
      await this.#refreshOnce(used);
      try {
        return await this.#engine.send<T>(spec, this.#credentials.token);
      } catch (retryError) {
        if (isStatus(retryError, 401)) throw this.#expire();
        throw retryError;
      }
    }
  }

  /**
   * The server ended this account's sessions and answered new tokens for the caller (two-factor
   * sign-in turned on or off): keep them (keychain first), or the next call would be signed out.
   * An API token is not a session and stays as it is.
   */
  async adopt(tokens: { token?: unknown; refreshToken?: unknown }): Promise<boolean> {
    if (this.#credentials.kind !== 'session' || typeof tokens.token !== 'string' || !tokens.token) return false;
    const next = credentialsFromLogin(tokens as LoginTokens);
    await this.#hooks.onRefreshed?.(next);
    this.#credentials = next;
    return true;
  }

  #assertUsable(): void {
    if (this.#expired) throw new CoreError('SESSION_EXPIRED', 'Your session has expired. Sign in again to continue.');
  }

  async #refreshOnce(usedToken: string): Promise<void> {
    // Another call refreshed while this one was in flight: just use the new token.
    if (this.#credentials.token !== usedToken) return;
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    await this.#refreshing;
  }

  async #refresh(): Promise<void> {
    const current = this.#credentials;
    if (current.kind !== 'session') throw this.#expire();
    let response: ApiResponse<LoginTokens>;
    try {
      // Never repeated blindly: a refresh token rotates on use, so a replay would be refused anyway.
      response = await this.#engine.send<LoginTokens>(
        { method: 'POST', path: '/users/auth/refresh', body: { refreshToken: current.refreshToken }, idempotent: false },
        current.refreshToken,
      );
    } catch (error) {
      if (isStatus(error, 400, 401, 403)) throw this.#expire();
      throw error;
    }
    const next: Credentials = credentialsFromLogin(response.data);
    if (next.kind === 'session' && !next.refreshToken) next.refreshToken = current.refreshToken;
    await this.#hooks.onRefreshed?.(next);
    this.#credentials = next;
  }

  #expire(message = 'Your session has expired. Sign in again to continue.'): CoreError {
    if (!this.#expired) {
      this.#expired = true;
      this.#hooks.onExpired?.();
    }
    return new CoreError('SESSION_EXPIRED', message, { status: 401 });
  }
}

export function credentialsFromLogin(tokens: LoginTokens): Credentials {
  if (typeof tokens?.token !== 'string' || !tokens.token) {
    throw new CoreError('SERVER_ERROR', 'The server signed you in but sent no token.');
  }
  return {
    kind: 'session',
    token: tokens.token,
    refreshToken: typeof tokens.refreshToken === 'string' ? tokens.refreshToken : '',
    expiresAt: tokens.expires_at ?? (typeof tokens.expires_in === 'number' ? new Date(Date.now() + tokens.expires_in * 1000).toISOString() : undefined),
    refreshExpiresAt: tokens.refresh_expires_at,
  };
}
