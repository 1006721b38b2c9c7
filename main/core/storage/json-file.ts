import { readFile, rename } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';

export type JsonRead = { state: 'missing' } | { state: 'ok'; value: unknown } | { state: 'corrupt'; movedTo: string };

/**
 * Reads a JSON file. A file that does not parse is moved aside (kept for the user, never
 * overwritten) so that the next write cannot destroy what may still be recoverable by hand.
 */
export async function readJsonFile(path: string): Promise<JsonRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  try {
    return { state: 'ok', value: JSON.parse(text) as unknown };
  } catch {
    const movedTo = `${path}.corrupt-${Date.now()}`;
    await rename(path, movedTo);
    return { state: 'corrupt', movedTo };
  }
}

export const writeJsonFile = (path: string, value: unknown): Promise<void> =>
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
