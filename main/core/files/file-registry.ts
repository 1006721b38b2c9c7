import { randomUUID } from 'node:crypto';
import { lstat, realpath } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { CoreError } from '../core-error.js';

// Files the user dropped on or picked in the window, by opaque id. Only the preload can add to it
// (it alone can turn a dropped File into a path), so a compromised page cannot make main read an
// arbitrary path: it can only name ids of files the user actually gave it.

export interface RegisteredFile {
  fileId: string;
  name: string;
  size: number;
  type: string;
}

interface Entry extends RegisteredFile {
  path: string;
  expiresAt: number;
}

const TTL_MS = 30 * 60_000;

const TYPES: Record<string, string> = {
  '.txt': 'text/plain', '.md': 'text/markdown', '.csv': 'text/csv', '.json': 'application/json', '.xml': 'application/xml',
  '.yaml': 'application/yaml', '.yml': 'application/yaml', '.html': 'text/html', '.js': 'text/javascript', '.ts': 'text/plain',
  '.pem': 'application/x-pem-file', '.key': 'application/x-pem-file', '.env': 'text/plain', '.log': 'text/plain',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip',
};

export const guessType = (name: string): string => TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';

export class FileRegistry {
  readonly #entries = new Map<string, Entry>();

  /** Checks each path again in main (a regular file, not a link or device) and gives it an id. */
  async register(paths: readonly string[]): Promise<RegisteredFile[]> {
    const now = Date.now();
    for (const [id, entry] of this.#entries) if (entry.expiresAt < now) this.#entries.delete(id);
    const registered: RegisteredFile[] = [];
    for (const given of paths) {
      if (typeof given !== 'string' || !given || given.includes('\0')) throw new CoreError('INVALID_INPUT', 'A dropped item has no usable path.');
      const path = await realpath(given).catch(() => undefined);
      const stat = path ? await lstat(path).catch(() => undefined) : undefined;
      if (!path || !stat?.isFile()) throw new CoreError('INVALID_INPUT', `${basename(given)} is not a regular file (folders and devices cannot be stored).`);
      const fileId = randomUUID();
      const name = basename(path);
      const entry: Entry = { fileId, name, size: stat.size, type: guessType(name), path, expiresAt: now + TTL_MS };
      this.#entries.set(fileId, entry);
      registered.push({ fileId, name, size: stat.size, type: entry.type });
    }
    return registered;
  }

  resolve(fileId: string): Entry {
    const entry = this.#entries.get(fileId);
    if (!entry || entry.expiresAt < Date.now()) throw new CoreError('NOT_FOUND', 'That file is no longer available here: drop or pick it again.');
    return entry;
  }

  forget(fileId: string): void {
    this.#entries.delete(fileId);
  }
}
