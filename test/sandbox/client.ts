import type { Sandbox, SandboxOptions } from '../../sandbox/server.js';
import { useSandbox as useSandboxServer } from '../support/sandbox.js';

// A thin HTTP client for the contract tests: real requests over fetch, answers parsed as JSON.

// Answers are asserted field by field against the documented shapes; typing every payload here would
// only restate those shapes, so the body stays loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface Answer<T = Loose> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw body text, sent as given with Content-Type: application/json. */
  rawBody?: string;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
}

export async function call<T = Loose>(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const url = new URL(`${base}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined || options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** Binds `call` to a sandbox's API URL. */
export function client(sandbox: { apiUrl: string }) {
  return <T = Loose>(method: string, path: string, options?: CallOptions) => call<T>(sandbox.apiUrl, method, path, options);
}

/** One sandbox for the whole file, as the shared helper starts it (faults off unless asked), plus a bound `api`. */
export function useSandbox(options: SandboxOptions = {}): { readonly sandbox: Sandbox; api: ReturnType<typeof client> } {
  const get = useSandboxServer({ faults: false, ...options });
  return {
    get sandbox() {
      return get();
    },
    api: (method, path, opts) => call(get().apiUrl, method, path, opts),
  };
}

export const hex24 = (n: number): string => n.toString(16).padStart(24, '0');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
