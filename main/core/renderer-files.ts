import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { contentTypeFor } from './security-headers.js';

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
