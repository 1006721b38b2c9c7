import { protocol } from 'electron';
import { serveRendererFile } from '../web/renderer-files.js';
import { securityHeaders } from '../web/security-headers.js';
import { APP_HOST, APP_SCHEME } from './security.js';

/** Must run before `app` is ready: makes `app://` a standard, secure origin (not file://). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves the built renderer from `app://hoody/`, with the app's CSP on every response. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => respond(rendererDir, request.url));
}

export async function respond(rendererDir: string, url: string): Promise<Response> {
  const parsed = new URL(url);
  const file = parsed.host === APP_HOST ? await serveRendererFile(rendererDir, parsed.pathname) : undefined;
  if (!file) return new Response('Not Found', { status: 404, headers: securityHeaders() });
  return new Response(new Uint8Array(file.body), { status: 200, headers: file.headers });
}
