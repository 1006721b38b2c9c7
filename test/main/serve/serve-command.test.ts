import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../../main/serve/main.js';
import { repoRoot, startServeProcess } from '../../support/serve-process.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir();

describe('npm run serve', () => {
  it('prints exactly `serving at <url>` first, honours --port and --data, and stops on SIGTERM', async () => {
    const data = await tempDir();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const serve = await startServeProcess(['--port', String(port), '--data', data]);
    try {
      expect(serve.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/[\\w-]{32}/$`));
      const page = await fetch(serve.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('serve-bridge.js');
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    } finally {
      await serve.stop();
    }
    expect(serve.child.exitCode).toBe(0);
    // The data folder is where settings will be written.
    await expect(readFile(join(data, 'settings.json'), 'utf8')).rejects.toThrow();
  });

  it('runs through npm with the same first line (npm kept quiet by .npmrc)', () => {
    const result = spawnSync('npm', ['run', 'serve', '--', '--help'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Usage: npm run serve -- [--port N] [--data DIR] [--no-open]');
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /--port must be a whole number/],
    [['--data', ''], /--data must name a folder/],
    [['--bogus'], /Unknown option/],
  ])('refuses %j with a clear message', (args, message) => {
    expect(() => parseServeArgs(args)).toThrow(message);
  });

  it('defaults to a free port, the user-data folder and opening a window', () => {
    expect(parseServeArgs([])).toMatchObject({ port: 0, open: true, dataDir: expect.stringContaining('hoody-vault') });
    expect(parseServeArgs(['--no-open', '--port', '0'])).toMatchObject({ open: false });
  });
});
