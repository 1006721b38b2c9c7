import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileValueLength } from '../common/vault-files.js';
import { serveBridge, startBenchServe } from './browser.js';
import { curl } from './curl.js';
import { report } from './measure.js';
import { startSandboxProcess } from './sandbox-process.js';

// A 100 MiB file stored in serve mode, as the window sends it (an HTTP upload to the serve host,
// which seals it and streams it on to the server), against curl sending a ready body of the sealed
// size straight to the server (bench/curl.ts). The sandbox runs in its own process; both are timed from outside.

const SIZE = 100 * 1024 * 1024;
const RUNS = 3;
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function benchServeUpload(): Promise<void> {
  const sandbox = await startSandboxProcess(['--vault-limit-mb', String(Math.ceil((RUNS * 2 * SIZE * 1.4) / 1024 / 1024))]);
  const serve = await startBenchServe();
  const dir = await mkdtemp(join(tmpdir(), 'hoody-bench-upload-'));
  try {
    const token = sandbox.tokens.dave!;
    const bridge = await serveBridge(serve);
    await bridge.call('accounts.signInWithToken', { serverUrl: sandbox.url, token, sessionOnly: true });
    await bridge.call('vault.setup', { passphrase: 'serve upload benchmark words' });
    bridge.close();

    const file = join(dir, 'big.bin');
    await writeFile(file, randomBytes(SIZE));
    const bodyBytes = fileValueLength(SIZE) + 500;
    const body = join(dir, 'body.json');
    await writeFile(body, `{"value":"${randomBytes(Math.floor(((bodyBytes - 14) * 3) / 4)).toString('base64')}"}`);

    const origin = new URL(serve.url).origin;
    const ours: number[] = [];
    const base: number[] = [];
    const baseAnswer: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const query = new URLSearchParams({ realmId: '', key: `upload-${i}`, name: 'big.bin', type: 'application/octet-stream', uploadId: crypto.randomUUID() });
      const up = await curl(['-X', 'POST', '-H', `Origin: ${origin}`, '-H', 'Content-Type: application/octet-stream', '--data-binary', `@${file}`, `${serve.url}upload?${query}`]);
      if (up.status !== '200') throw new Error(`serve mode answered ${up.status}: ${serve.stderr()}`);
      ours.push(up.ms);
      const direct = await curl(['-X', 'PATCH', '-H', 'Content-Type: application/json', '-H', `Authorization: Bearer ${token}`, '--data-binary', `@${body}`, `${sandbox.url}/api/v1/vault/keys/curl-baseline-${i}`]);
      if (!/^20[01]$/.test(direct.status)) throw new Error(`the sandbox answered curl ${direct.status}`);
      base.push(direct.ms);
      baseAnswer.push(direct.answerMs);
    }
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    report(
      `Store a ${MB(SIZE)} file in serve mode, median of ${RUNS} (goal: ≤ 1.5× curl)`,
      { label: `serve mode: upload to the host, seal, stream on to the sandbox`, ms: median(ours) },
      { label: `curl: send a ready ${MB(bodyBytes)} body straight to the sandbox`, ms: median(base) },
    );
    process.stdout.write(`  ours / curl = ${(median(ours) / median(base)).toFixed(2)}×\n`);
    // The app stops at the server's status line and leaves the echoed value unread; curl above reads
    // all of it. Against curl stopped at the same point:
    report(
      `The same uploads against curl stopped where the app stops: at the status line, the echoed value unread`,
      { label: 'serve mode, as above', ms: median(ours) },
      { label: "curl: the same body, until the answer's status line", ms: median(baseAnswer) },
    );
    process.stdout.write(`  ours / curl to the status line = ${(median(ours) / median(baseAnswer)).toFixed(2)}×\n`);
  } finally {
    await serve.close();
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
