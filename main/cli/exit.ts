import type { AppError } from '../../common/errors.js';

// Exit codes, as the README lists them: scripts branch on these, so they never change meaning.
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  signedOut: 3,
  notFound: 4,
  locked: 5,
  offline: 6,
  /** Ctrl+C: 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

/** A failure the command line reports and exits with. */
export class CliError extends Error {
  constructor(
    readonly error: AppError,
    readonly exitCode: number = exitCodeOf(error),
  ) {
    super(error.message);
  }
}

export const usageError = (message: string, fields?: Record<string, string>): CliError =>
  new CliError({ code: 'INVALID_INPUT', message, ...(fields ? { fields } : {}) }, EXIT.usage);

/** Which exit code a core error means. */
export function exitCodeOf(error: AppError): number {
  // A passphrase or recovery key that does not open the vault is about the vault, not the account.
  if (error.fields && ('passphrase' in error.fields || 'recoveryKey' in error.fields) && error.code === 'UNAUTHORIZED') return EXIT.locked;
  switch (error.code) {
    case 'INVALID_INPUT':
      return EXIT.usage;
    case 'UNAUTHORIZED':
    case 'SESSION_EXPIRED':
    case 'NOT_SIGNED_IN':
    case 'FORBIDDEN':
      return EXIT.signedOut;
    case 'NOT_FOUND':
      return EXIT.notFound;
    case 'LOCKED':
    case 'PASSWORD_REQUIRED':
      return EXIT.locked;
    case 'NETWORK':
    case 'TIMEOUT':
      return EXIT.offline;
    case 'SERVER_ERROR':
      return [502, 503, 504].includes(error.status ?? 0) ? EXIT.offline : EXIT.failed;
    default:
      return EXIT.failed;
  }
}
