import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FILE_CHUNK, fileValueLength } from '../common/vault-files.js';
import { sealerBackend, startStreamSeal } from '../main/core/crypto/stream-sealer.js';
import { curl } from './curl.js';
import { median, report } from './measure.js';
import { startSandboxProcess } from './sandbox-process.js';

const SIZE = 20 * 1024 * 1024;
const RUNS = 3;
const child = fileURLToPath(new URL('../test/support/store-file-child.ts', import.meta.url));
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function storeInChild(url: string, token: string, path: string, env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; baselineRss: number; peakRss: number; sealer: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, url, token, path], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    proc.stdout.on('data', (chunk) => (out += String(chunk)));
    proc.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`store child exited with ${code}`))));
  });
}

/** Crypto alone: 20 MiB sealed in 64 KiB chunks, in memory, by each build. */
async function benchSealing(): Promise<void> {
  const data = randomBytes(SIZE);
  const key = randomBytes(32);
  const ad = Buffer.from('hoody-vault/file/v1\n\nbench');
  const sealAll = (push: (chunk: Uint8Array, final: boolean) => Uint8Array) => {
    for (let at = 0; at < SIZE; at += FILE_CHUNK) push(data.subarray(at, at + FILE_CHUNK), at + FILE_CHUNK >= SIZE);
  };
  if (sealerBackend() !== 'native') {
    process.stdout.write('\nSealing: the native binding (sodium-native) does not load here; files are sealed with the wasm build.\n');
    return;
  }
  const native = await median(5, async () => sealAll((await startStreamSeal(key, ad)).push));
  const wasm = await median(5, async () => sealAll((await startStreamSeal(key, ad, 'wasm')).push));
  const rate = (ms: number) => `${(SIZE / 1024 / 1024 / (ms / 1000)).toFixed(0)} MiB/s`;
  report(
    `Seal ${MB(SIZE)} with secretstream in 64 KiB chunks, in memory (crypto only), median of 5`,
    { label: `native binding, sodium-native (${rate(native)})`, ms: native },
    { label: `libsodium wasm build, the fallback (${rate(wasm)})`, ms: wasm },
  );
}

export async function benchFiles(): Promise<void> {
  await benchSealing();
  const sandbox = await startSandboxProcess(['--vault-limit-mb', '1000']);
  const dir = await mkdtemp(join(tmpdir(), 'hoody-bench-files-'));
  try {
    // The first store sets the account's vault up; the next ones unlock it.
    const token = sandbox.tokens.dave!;
    const file = join(dir, 'big.bin');
    await writeFile(file, randomBytes(SIZE));
    // The baseline sends a body of the same size as the app's request (the sealed, base64 value
    // plus about 500 bytes of sealed metadata), already prepared on disk: transport only.
    const bodyBytes = fileValueLength(SIZE) + 500;
    const body = join(dir, 'body.json');
    const value = randomBytes(Math.floor(((bodyBytes - 14) * 3) / 4)).toString('base64');
    await writeFile(body, `{"value":"${value}"}`);

    // Turn about, so that a change in the machine's load falls on both builds alike.
    const ours: Array<{ ms: number; extra: number }> = [];
    const wasm: Array<{ ms: number; extra: number }> = [];
    for (let i = 0; i < RUNS; i += 1) {
      for (const [list, env] of [[ours, {}], [wasm, { HOODY_SODIUM: 'wasm' }]] as const) {
        const run = await storeInChild(sandbox.url, token, file, env);
        if (run.sealer !== (list === wasm ? 'wasm' : 'native')) throw new Error(`sealed with ${run.sealer}: the native binding did not load`);
        list.push({ ms: run.ms, extra: run.peakRss - run.baselineRss });
      }
    }
    const baseline: Array<{ ms: number; answerMs: number; rss: number }> = [];
    for (let i = 0; i < RUNS; i += 1) {
      const run = await curl(['-X', 'PATCH', '-H', 'Content-Type: application/json', '-H', `Authorization: Bearer ${token}`, '--data-binary', `@${body}`, `${sandbox.url}/api/v1/vault/keys/curl-baseline-${i}`], ['/usr/bin/time', '-f', '%M']);
      if (!/^20[01]$/.test(run.status)) throw new Error(`curl answered ${run.status}: ${run.stderr}`);
      baseline.push({ ms: run.ms, answerMs: run.answerMs, rss: Number(run.stderr.trim().split('\n').pop()) * 1024 });
    }
    const middle = <T>(list: T[], key: (t: T) => number) => list.map(key).sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    report(
      `Store a ${MB(SIZE)} file in the sandbox (its own process), median of ${RUNS} (goal: ≤ 1.3× curl)`,
      { label: `app: read + seal (native sodium) + base64 + stream, read ahead (peak +${MB(middle(ours, (o) => o.extra))})`, ms: middle(ours, (o) => o.ms) },
      { label: `curl: send a ready ${MB(bodyBytes)} body (curl's own peak RSS ${MB(middle(baseline, (c) => c.rss))})`, ms: middle(baseline, (c) => c.ms) },
    );
    process.stdout.write(`  ours / curl = ${(middle(ours, (o) => o.ms) / middle(baseline, (c) => c.ms)).toFixed(2)}×\n`);
    // The app stops at the server's status line and leaves the echoed value unread; curl above reads it.
    report(
      `The same store against curl stopped where the app stops: at the status line, the echoed value unread`,
      { label: 'app, as above', ms: middle(ours, (o) => o.ms) },
      { label: "curl: the same body, until the answer's status line", ms: middle(baseline, (c) => c.answerMs) },
    );
    process.stdout.write(`  ours / curl to the status line = ${(middle(ours, (o) => o.ms) / middle(baseline, (c) => c.answerMs)).toFixed(2)}×\n`);
    report(
      `The same store, sealing with the native binding (sodium-native) against the wasm build (the fallback)`,
      { label: 'app, native sealing', ms: middle(ours, (o) => o.ms) },
      { label: `app, HOODY_SODIUM=wasm (peak +${MB(middle(wasm, (o) => o.extra))})`, ms: middle(wasm, (o) => o.ms) },
    );
    process.stdout.write(`  memory:   app's peak over baseline ${MB(middle(ours, (o) => o.extra))} = ${(middle(ours, (o) => o.extra) / SIZE).toFixed(2)}× the file (bound: 3×)\n`);
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
