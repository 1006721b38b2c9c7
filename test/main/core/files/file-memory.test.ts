import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The bound: storing a 20 MB file keeps the app's peak memory under three times the file.
// Measured in a fresh process (its own maxRSS), against the sandbox over HTTP.

const sandbox = useSandbox({ vaultLimitMb: 60 });
const tempDir = useTempDir();
const child = fileURLToPath(new URL('../../../support/store-file-child.ts', import.meta.url));

describe('storing a 20 MB file', () => {
  it('stays under three times the file size in peak memory, above what the process used before', async () => {
    const size = 20 * 1024 * 1024;
    const path = join(await tempDir(), 'big.bin');
    await writeFile(path, randomBytes(size));
    const user = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const output = await new Promise<string>((resolve, reject) => {
      const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, sandbox().url, token, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      proc.stdout.on('data', (chunk) => (out += String(chunk)));
      proc.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
    });
    const { baselineRss, peakRss } = JSON.parse(output) as { baselineRss: number; peakRss: number };
    expect(peakRss - baselineRss).toBeLessThan(3 * size);
    // The file is really there, whole: its stored size is what the format predicts.
    const stats = (await (await fetch(`${sandbox().apiUrl}/vault/stats`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { total_size_bytes: number } };
    expect(stats.data.total_size_bytes).toBeGreaterThan(size * 1.33);
  }, 60_000);
});
