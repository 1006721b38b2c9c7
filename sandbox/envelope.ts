import { STATUS_CODES } from 'node:http';

// The two shapes every answer takes (docs/hoody-api/hoody-api.md, "Envelopes"). Clients key their behaviour on
// statusCode plus `error`/`message`, so every path out of the server goes through these.

export interface SuccessEnvelope<T> {
  statusCode: number;
  message: string;
  data: T;
  metadata?: PageMetadata;
}

export interface PageMetadata {
  total: number;
  page: number;
  limit: number;
  pages: number;
}

export interface ErrorEnvelope {
  statusCode: number;
  error: string;
  message: string;
  data?: unknown;
}

/** One validation problem in the shape Fastify's ajv produces, so clients can map it to a field. */
export interface FieldError {
  instancePath: string;
  keyword: string;
  message: string;
  params?: Record<string, unknown>;
  schemaPath?: string;
}

export function ok<T>(data: T, message = 'OK', statusCode = 200): SuccessEnvelope<T> {
  return { statusCode, message, data };
}

export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** An answer other than success, thrown from anywhere below a route and rendered by the error handler. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly error: string;
  readonly data: unknown;
  readonly headers: Record<string, string>;

  constructor(statusCode: number, message: string, extra: { error?: string; data?: unknown; headers?: Record<string, string> } = {}) {
    super(message);
    this.statusCode = statusCode;
    this.error = extra.error ?? reasonPhrase(statusCode);
    this.data = extra.data;
    this.headers = extra.headers ?? {};
  }

  toEnvelope(): ErrorEnvelope {
    const envelope: ErrorEnvelope = { statusCode: this.statusCode, error: this.error, message: this.message };
    if (this.data !== undefined) envelope.data = this.data;
    return envelope;
  }
}

/** A rule that JSON Schema cannot express, refused at a field the way ajv would refuse it. */
export function fieldError(field: string, keyword: string, message: string, params: Record<string, unknown> = {}): ApiError {
  return new ApiError(400, `body/${field} ${message}`, { data: [{ instancePath: `/${field}`, keyword, message, params }] });
}

export const unauthorized = (message: string, data?: unknown): ApiError => new ApiError(401, message, { data });
export const forbidden = (message: string): ApiError => new ApiError(403, message);
export const notFound = (message: string): ApiError => new ApiError(404, message);

export function tooManyRequests(retryAfterSeconds: number, message: string): ApiError {
  return new ApiError(429, message, { headers: { 'retry-after': String(retryAfterSeconds) } });
}
