import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileValueLength } from '../common/vault-files.js';
import { report } from './measure.js';
import { startSandboxProcess } from './sandbox-process.js';

const SIZE = 20 * 1024 * 1024;
const RUNS = 3;
const child = fileURLToPath(new URL('../test/support/store-file-child.ts', import.meta.url));
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function storeInChild(url: string, token: string, path: string): Promise<{ ms: number; baselineRss: number; peakRss: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, url, token, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk) => (out += String(chunk)));
    proc.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`store child exited with ${code}`))));
  });
}

export async function benchFiles(): Promise<void> {
  const sandbox = await startSandboxProcess(['--vault-limit-mb', '500']);
  const dir = await mkdtemp(join(tmpdir(), 'hoody-bench-files-'));
  try {
    // Each run sets up a vault of its own, so each uses another demo account.
    const runners = ['dave', 'alice', 'admin'].map((name) => sandbox.tokens[name]!);
    const token = runners[0]!;
    const file = join(dir, 'big.bin');
    await writeFile(file, randomBytes(SIZE));
    // The baseline sends a body of the same size as the app's request (the sealed, base64 value
    // plus about 500 bytes of sealed metadata), already prepared on disk: transport only.
    const bodyBytes = fileValueLength(SIZE) + 500;
    const body = join(dir, 'body.json');
    const value = randomBytes(Math.floor(((bodyBytes - 14) * 3) / 4)).toString('base64');
    await writeFile(body, `{"value":"${value}"}`);

    const ours: Array<{ ms: number; extra: number }> = [];
    for (let i = 0; i < RUNS; i += 1) {
      const run = await storeInChild(sandbox.url, runners[i]!, file);
      ours.push({ ms: run.ms, extra: run.peakRss - run.baselineRss });
    }
    const curl: Array<{ ms: number; rss: number }> = [];
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      const result = spawnSync('/usr/bin/time', ['-f', '%M', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PATCH', '-H', 'Content-Type: application/json', '-H', `Authorization: Bearer ${token}`, '--data-binary', `@${body}`, `${sandbox.url}/api/v1/vault/keys/curl-baseline-${i}`], { encoding: 'utf8' });
      const ms = performance.now() - started;
      if (!/^20[01]/.test(result.stdout)) throw new Error(`curl answered ${result.stdout}: ${result.stderr}`);
      curl.push({ ms, rss: Number(result.stderr.trim().split('\n').pop()) * 1024 });
    }
    const median = <T>(list: T[], key: (t: T) => number) => list.map(key).sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    report(
      `Store a ${MB(SIZE)} file in the sandbox (its own process), median of ${RUNS}`,
      { label: `app: read + secretstream seal + base64 + stream (peak +${MB(median(ours, (o) => o.extra))} over its baseline)`, ms: median(ours, (o) => o.ms) },
      { label: `curl: send a ready ${MB(bodyBytes)} body (curl's own peak RSS ${MB(median(curl, (c) => c.rss))})`, ms: median(curl, (c) => c.ms) },
    );
    process.stdout.write(`  memory:   app's peak over baseline ${MB(median(ours, (o) => o.extra))} = ${(median(ours, (o) => o.extra) / SIZE).toFixed(2)}× the file (bound: 3×)\n`);
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
