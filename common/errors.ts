// The error model every operation answers with. Errors cross process boundaries as data, never as
// thrown objects, so they must stay plain, serialisable and free of secrets.

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_OPERATION'
  | 'FORBIDDEN_SENDER'
  | 'STORAGE'
  | 'DISCONNECTED'
  | 'INTERNAL'
  // From the Hoody API, by HTTP status (see main/core/api/errors.ts).
  | 'UNAUTHORIZED'
  | 'SESSION_EXPIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'SERVER_ERROR'
  | 'NETWORK'
  | 'TIMEOUT'
  // The app's own states.
  | 'NOT_SIGNED_IN'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'NOT_AVAILABLE'
  | 'LOCKED'
  | 'PASSWORD_REQUIRED'
  | 'UNREADABLE';

export interface AppError {
  code: ErrorCode;
  /** One sentence a person can act on. */
  message: string;
  /** The HTTP status, when the error came from the Hoody API. */
  status?: number;
  /** Each bad input by its field path (e.g. `autoLockMinutes`), with the rule it broke. */
  fields?: Record<string, string>;
  /** Seconds to wait before trying again (from a 429's Retry-After). */
  retryAfter?: number;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };
