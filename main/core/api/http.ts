import { CoreError } from '../core-error.js';
import { sendStream } from './stream-send.js';
import { apiErrorFromEnvelope, type ErrorEnvelope } from './errors.js';

// The request engine under every API call: one base URL, timeouts, the Hoody envelope, and retries
// with backoff for requests that are safe to repeat. Node's fetch (undici) keeps connections alive
// and reuses them per origin, so consecutive calls share a socket.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestSpec {
  method: HttpMethod;
  /** Path under /api/v1, e.g. `/users/me`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /**
   * True when repeating the request after an ambiguous failure cannot do harm (reads, PUT/DELETE,
   * set-a-value PATCHes). A non-idempotent POST is never repeated once it may have reached the server.
   */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /**
   * A body too big to hold in memory, sent as it is produced (instead of `body`). `open` is called
   * for each attempt; a source that cannot be read twice says so with `replayable: false`.
   */
  stream?: { length: number; open: () => AsyncIterable<string | Uint8Array>; replayable: boolean };
  /** Leave a successful answer's body unread (the API echoes a whole stored value back). */
  discardResponse?: boolean;
  /**
   * Read a successful answer as it arrives instead of as one text (a stored file's value is tens of
   * megabytes): `consume` gets the body's bytes and its result is the response's `data`. Called again
   * on a retry; a connection lost mid-body is a network error like any other.
   */
  consume?: (body: AsyncIterable<Uint8Array>) => Promise<unknown>;
}

export interface ApiResponse<T> {
  status: number;
  message: string | undefined;
  data: T;
  metadata: unknown;
}

export interface EngineOptions {
  baseUrl: string;
  /** For requests with a body in hand; a streamed body always goes over node:http (stream-send.ts). */
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxRetries?: number;
  /** Longest Retry-After the engine waits for by itself; longer ones are handed to the user. */
  maxRetryAfterSeconds?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  userAgent?: string;
}

/** The statuses the official SDK retries. */
export const RETRY_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_DELAY_MS = 8_000;

/** `https://api.hoody.com`, `https://api.hoody.com/` and `…/api/v1` all name the same API. */
export function apiRoot(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/api/v1`;
}

export class HttpEngine {
  readonly root: string;
  readonly #fetch: typeof fetch;
  readonly #options: Required<Omit<EngineOptions, 'fetch' | 'baseUrl' | 'userAgent'>> & { userAgent: string | undefined };

  constructor(options: EngineOptions) {
    this.root = apiRoot(options.baseUrl);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#options = {
      timeoutMs: options.timeoutMs ?? 20_000,
      maxRetries: options.maxRetries ?? 3,
      maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 20,
      baseDelayMs: options.baseDelayMs ?? 300,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
      userAgent: options.userAgent,
    };
  }

  /** Sends with retries; resolves with the parsed success envelope or throws a CoreError. */
  async send<T>(spec: RequestSpec, bearer?: string): Promise<ApiResponse<T>> {
    const { maxRetries, maxRetryAfterSeconds, sleep } = this.#options;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#once<T>(spec, bearer);
      } catch (error) {
        const retry = this.#retryDecision(spec, error, attempt, maxRetries, maxRetryAfterSeconds);
        if (retry === undefined) throw error;
        await sleep(retry);
        if (spec.signal?.aborted) throw abortedError();
      }
    }
  }

  /** Milliseconds to wait before the next attempt, or undefined to give up. */
  #retryDecision(spec: RequestSpec, error: unknown, attempt: number, maxRetries: number, maxRetryAfter: number): number | undefined {
    if (attempt >= maxRetries || !(error instanceof CoreError) || spec.signal?.aborted) return undefined;
    const backoff = () => Math.min(MAX_DELAY_MS, this.#options.baseDelayMs * 2 ** attempt) * (0.5 + this.#options.random() / 2);
    if (spec.stream && !spec.stream.replayable) return undefined;
    if (error.code === 'NETWORK' || error.code === 'TIMEOUT') {
      // The request may or may not have reached the server: only repeat what is safe to repeat.
      const neverSent = (error.cause as { neverSent?: boolean } | undefined)?.neverSent === true;
      return spec.idempotent || neverSent ? backoff() : undefined;
    }
    if (error.status === undefined || !RETRY_STATUSES.has(error.status)) return undefined;
    // A 429 or 503 means the server did not act, so even a POST may be sent again; other 5xx may have.
    const notActedOn = error.status === 429 || error.status === 503 || error.status === 425;
    if (!spec.idempotent && !notActedOn) return undefined;
    if (error.retryAfter !== undefined) return error.retryAfter <= maxRetryAfter ? error.retryAfter * 1000 : undefined;
    return backoff();
  }

  async #once<T>(spec: RequestSpec, bearer: string | undefined): Promise<ApiResponse<T>> {
    const url = new URL(this.root + spec.path);
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (this.#options.userAgent) headers['User-Agent'] = this.#options.userAgent;
    let body: string | undefined;
    if (spec.stream) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(spec.stream.length);
    } else if (spec.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(spec.body);
    }
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;

    let response: Response;
    try {
      response =
        // A streamed body goes over node:http whatever fetch the engine was given (stream-send.ts).
        spec.stream ? await sendStream(url, { method: spec.method, headers, body: spec.stream.open(), signal }) : await this.#fetch(url, { method: spec.method, headers, body, signal, redirect: 'error' });
    } catch (cause) {
      const own = cause instanceof CoreError ? cause : (cause as { cause?: unknown })?.cause;
      // An error raised while producing the body (a file that changed while read) is reported as it is.
      if (own instanceof CoreError) throw own;
      if (spec.signal?.aborted) throw abortedError();
      if (timeout.aborted) throw new CoreError('TIMEOUT', `The server at ${url.host} did not answer within ${Math.round(this.#options.timeoutMs / 1000)} s.`, { cause });
      throw networkError(url, cause);
    }

    if (response.ok && spec.discardResponse) {
      // The status line already says the value is stored. The body would echo all of it back (a
      // file's whole sealed value, a third larger than the file), and reading it only to throw it
      // away made a 100 MiB store in serve mode 5–8% slower on loopback (bench/serve-upload.bench.ts;
      // more over a real link, where the echo is as long to download as the file was to send).
      // Cancelling closes this connection instead; the next request opens another.
      await response.body?.cancel().catch(() => {});
      return { status: response.status, data: undefined as T, metadata: undefined, message: undefined };
    }
    if (response.ok && spec.consume) {
      const data = await spec.consume(bodyOf(response, url, timeout));
      return { status: response.status, data: data as T, metadata: undefined, message: undefined };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      if (timeout.aborted) throw new CoreError('TIMEOUT', `The server at ${url.host} stopped answering mid-way.`, { cause });
      throw networkError(url, cause);
    }
    const envelope = parseJson(text);
    if (!response.ok) {
      throw apiErrorFromEnvelope(response.status, envelope as ErrorEnvelope | undefined, parseRetryAfter(response.headers.get('retry-after')));
    }
    if (!envelope || typeof envelope !== 'object' || !('data' in envelope)) {
      throw new CoreError('SERVER_ERROR', `The server at ${url.host} answered in a form this app does not understand. Is this a Hoody API address?`, { status: response.status });
    }
    const { data, metadata, message } = envelope as { data: T; metadata?: unknown; message?: unknown };
    return { status: response.status, data, metadata, message: typeof message === 'string' ? message : undefined };
  }
}

/** A response's body, a piece at a time; a connection lost or timed out mid-way is reported as such. */
async function* bodyOf(response: Response, url: URL, timeout: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return;
  let finished = false;
  try {
    for (;;) {
      let read: Awaited<ReturnType<typeof reader.read>>;
      try {
        read = await reader.read();
      } catch (cause) {
        if (timeout.aborted) throw new CoreError('TIMEOUT', `The server at ${url.host} stopped answering mid-way.`, { cause });
        throw networkError(url, cause);
      }
      if (read.done) {
        finished = true;
        return;
      }
      yield read.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function networkError(url: URL, cause: unknown): CoreError {
  const code = (cause as { cause?: { code?: string } })?.cause?.code;
  // A refused or unresolvable connection never reached the server, so any request may be repeated.
  const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  const why = code === 'ECONNREFUSED' ? 'nothing is listening there' : code === 'ENOTFOUND' ? 'the name does not resolve' : 'the connection failed';
  return new CoreError('NETWORK', `Cannot reach ${url.host}: ${why}. Check the server address and your connection.`, { cause: { neverSent, code } });
}

function abortedError(): CoreError {
  return new CoreError('NETWORK', 'The request was cancelled.');
}
