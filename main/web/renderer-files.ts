import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { contentTypeFor, securityHeaders, type CspOptions } from './security-headers.js';

export interface RendererFile {
  body: Buffer;
  contentType: string;
}

/**
 * Resolves a URL path to a file inside the built renderer folder, refusing anything that would
 * escape it (`..`, encoded separators, absolute paths). The empty path is index.html.
 */
export async function readRendererFile(rendererDir: string, urlPath: string): Promise<RendererFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const root = resolve(rendererDir);
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const target = resolve(root, relative);
  if (target !== root && !target.startsWith(root + sep)) return undefined;
  try {
    return { body: await readFile(target), contentType: contentTypeFor(target) };
  } catch {
    return undefined;
  }
}

export interface ServedFile {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * A renderer file with its headers. The page itself gets a fresh style nonce, in its CSP header and
 * in a meta tag the renderer hands to the libraries that insert <style> elements; `headTags` are
 * added first in <head> (serve mode's bridge script).
 */
export async function serveRendererFile(rendererDir: string, urlPath: string, options: CspOptions & { headTags?: string } = {}): Promise<ServedFile | undefined> {
  const file = await readRendererFile(rendererDir, urlPath);
  if (!file) return undefined;
  if (!file.contentType.startsWith('text/html')) {
    return { body: file.body, headers: { ...securityHeaders(options), 'Content-Type': file.contentType } };
  }
  const styleNonce = randomBytes(16).toString('base64');
  const head = `<head>\n    ${options.headTags ?? ''}<meta name="style-nonce" content="${styleNonce}" />`;
  const body = Buffer.from(file.body.toString('utf8').replace('<head>', head));
  return { body, headers: { ...securityHeaders({ ...options, styleNonce }), 'Content-Type': file.contentType } };
}
