import type { AppError, ErrorCode } from '../../common/errors.js';

/** Thrown inside main/core; the dispatcher turns it into an `AppError` at the boundary. */
export class CoreError extends Error {
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly fields: Record<string, string> | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { status?: number; fields?: Record<string, string>; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'CoreError';
    this.code = code;
    this.status = extra.status;
    this.fields = extra.fields;
    this.retryAfter = extra.retryAfter;
  }

  toAppError(): AppError {
    const error: AppError = { code: this.code, message: this.message };
    if (this.status !== undefined) error.status = this.status;
    if (this.fields !== undefined) error.fields = { ...this.fields };
    if (this.retryAfter !== undefined) error.retryAfter = this.retryAfter;
    return error;
  }
}
