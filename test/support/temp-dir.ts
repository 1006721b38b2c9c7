import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh temporary folder, removed after the test. */
export function useTempDir(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    // A core a test left open may still be finishing a write in the folder (ENOTEMPTY while removing
    // it): Node retries those itself, a little longer each time.
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hoody-test-'));
    made.push(dir);
    return dir;
  };
}
