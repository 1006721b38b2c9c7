import type { AppError } from '../../common/errors.js';
import { CoreError } from './core-error.js';

// The one way from a thrown error to what crosses the wire. Dispatch, serve mode's upload and
// Electron's file channel all answer through it, so a new error code or a new field on CoreError
// reaches every transport at once, and no unexpected failure leaves without being logged.

/** Where unexpected failures are reported; their details never reach the caller. */
export type OnUnexpected = (where: string, error: unknown) => void;

export const INTERNAL_MESSAGE = 'Something went wrong inside the app. The details were written to its log.';

/**
 * A CoreError becomes its own AppError. Anything else is a bug or a fault the core did not expect:
 * it is reported to `onUnexpected` (with `where`, e.g. the operation's name) and the caller only
 * learns that something failed, never the stack, a path or a secret that an exception might carry.
 */
export function toAppError(error: unknown, where: string, onUnexpected?: OnUnexpected): AppError {
  if (error instanceof CoreError) return error.toAppError();
  try {
    onUnexpected?.(where, error);
  } catch {
    // A failing logger must not turn an answer into a thrown exception.
  }
  return { code: 'INTERNAL', message: INTERNAL_MESSAGE };
}
