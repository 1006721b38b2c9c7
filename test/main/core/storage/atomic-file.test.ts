import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../main/core/storage/atomic-file.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir();
const writer = fileURLToPath(new URL('../../../support/atomic-writer.ts', import.meta.url));

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temporary file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'a.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('creates the folder, private to the user', async () => {
    const dir = await tempDir();
    const file = join(dir, 'nested', 'deeper', 'a.json');
    await writeFileAtomic(file, 'x');
    const { stat } = await import('node:fs/promises');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('a process killed while writing leaves the previous or the next content, never a mix', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    for (let round = 0; round < 4; round += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Wait until it has completed at least one write, then kill it mid-stream.
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 40 + round * 37));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const parsed = JSON.parse(await readFile(file, 'utf8')) as { n: number; pad: string };
      expect(parsed.pad).toHaveLength(512 * 1024);
      expect(parsed.n).toBeGreaterThanOrEqual(1);
    }
  }, 30_000);
});
