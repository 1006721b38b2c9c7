import type { ErrorCode } from '../../../common/errors.js';
import { CoreError } from '../core-error.js';

// How the Hoody API's error envelopes become the app's errors. Behaviour keys on the HTTP status plus
// `error`/`message` (docs/hoody-api/hoody-api.md: a machine `code` field is not reliably present).

export interface ErrorEnvelope {
  statusCode?: number;
  error?: string;
  message?: string;
  data?: unknown;
}

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'CONFLICT',
  422: 'CONFLICT',
  429: 'RATE_LIMITED',
};

export function apiErrorFromEnvelope(status: number, envelope: ErrorEnvelope | undefined, retryAfter?: number): CoreError {
  const code: ErrorCode =
    envelope?.error === 'VAULT_LIMIT_EXCEEDED' ? 'QUOTA_EXCEEDED' : (BY_STATUS[status] ?? (status >= 500 ? 'SERVER_ERROR' : 'INVALID_INPUT'));
  const serverText = typeof envelope?.message === 'string' && envelope.message.trim() ? envelope.message.trim() : undefined;
  const fields = fieldsFromData(envelope?.data);
  let message = serverText ?? defaultMessage(code, status);
  const attempts = (envelope?.data as { attempts_remaining?: unknown } | undefined)?.attempts_remaining;
  if (typeof attempts === 'number') message = `${message.replace(/\.?$/, '.')} ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'} left.`;
  const extra: ConstructorParameters<typeof CoreError>[2] = { status };
  if (fields) extra.fields = fields;
  if (retryAfter !== undefined) extra.retryAfter = retryAfter;
  return new CoreError(code, message, extra);
}

/** ajv-style `[{instancePath: "/alias", message}]` → `{alias: message}`. */
export function fieldsFromData(data: unknown): Record<string, string> | undefined {
  if (!Array.isArray(data)) return undefined;
  const fields: Record<string, string> = {};
  for (const item of data) {
    if (typeof item !== 'object' || item === null) continue;
    const { instancePath, message, params } = item as { instancePath?: unknown; message?: unknown; params?: { missingProperty?: unknown; additionalProperty?: unknown } };
    let path = typeof instancePath === 'string' ? instancePath.replace(/^\//, '').replaceAll('/', '.') : '';
    if (typeof params?.missingProperty === 'string') path = path ? `${path}.${params.missingProperty}` : params.missingProperty;
    if (typeof params?.additionalProperty === 'string') path = path ? `${path}.${params.additionalProperty}` : params.additionalProperty;
    fields[path || '(input)'] ??= typeof message === 'string' ? message : 'is not valid';
  }
  return Object.keys(fields).length ? fields : undefined;
}

function defaultMessage(code: ErrorCode, status: number): string {
  switch (code) {
    case 'UNAUTHORIZED':
      return 'The server did not accept these credentials.';
    case 'FORBIDDEN':
      return 'Your account is not allowed to do this.';
    case 'NOT_FOUND':
      return 'The server has no such item.';
    case 'RATE_LIMITED':
      return 'Too many requests; wait a moment and try again.';
    case 'SERVER_ERROR':
      return `The server failed to answer (HTTP ${status}). Try again later.`;
    default:
      return `The server refused the request (HTTP ${status}).`;
  }
}

export const isStatus = (error: unknown, ...statuses: number[]): error is CoreError =>
  error instanceof CoreError && error.status !== undefined && statuses.includes(error.status);
