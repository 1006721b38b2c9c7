import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, report } from './measure.js';
import { startSandboxProcess } from './sandbox-process.js';

// This computer's copy of a scope holding files (issue: "Files inflate the offline copy"). Each
// figure comes from a fresh child process (bench/copy-child.ts) against the sandbox in its own
// process, and is printed beside its baseline from the same run: the file's size and the memory
// before the store; the same no-change sync before the files were added.

const MIB = 1024 * 1024;
const SIZE = 20 * MIB;
const FILES = 6;
/** Small files (2 KiB each) for the per-file cost of a no-change sync, beside a scope of as many secrets. */
const MANY = 1000;
const child = fileURLToPath(new URL('./copy-child.ts', import.meta.url));
const MB = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

function runChild(args: string[]): Promise<Record<string, number> & { before?: Record<string, number>; afterStore?: Record<string, number>; after?: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk) => (out += String(chunk)));
    proc.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`copy child exited with ${code}`))));
  });
}

export async function benchLocalCopy(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'hoody-bench-copy-'));
  const file = join(dir, 'big.bin');
  await writeFile(file, randomBytes(SIZE));
  // A sandbox per scenario, so each measurement starts from an empty vault of its own.
  for (const scenario of ['store-sync', 'no-change', 'many-files'] as const) {
    const sandbox = await startSandboxProcess(['--vault-limit-mb', '1000']);
    try {
      const token = sandbox.tokens.dave!;
      if (scenario === 'store-sync') {
        const r = await runChild([sandbox.url, token, file, 'store-sync']);
        const peak = r.peakRss! - r.beforeRss!;
        process.stdout.write(
          `\nStore a ${MB(SIZE)} file, then the listing and sync after it (this computer's copy), one fresh process\n` +
            `  peak memory over before:  ${MB(peak).padStart(10)}   baseline: the file, ${MB(SIZE)}   = ${(peak / SIZE).toFixed(2)}× the file (goal: ≤ 3×)\n` +
            `  memory after, settled:    ${MB(r.afterRss!).padStart(10)}   baseline: before the store, ${MB(r.beforeRss!)}   = ${(r.afterRss! / r.beforeRss!).toFixed(2)}× (goal: ≤ 1.2×)\n` +
            `    (settled after the store alone, before the sync: ${MB(r.afterStore!.rss!)} = ${(r.afterStore!.rss! / r.beforeRss!).toFixed(2)}×)\n` +
            `  the listing + sync alone: ${ms(r.syncMs!)}\n` +
            `  before → after: V8 heap ${MB(r.before!.heapUsed!)} → ${MB(r.after!.heapUsed!)}, buffers ${MB(r.before!.arrayBuffers!)} → ${MB(r.after!.arrayBuffers!)}\n`,
        );
      } else if (scenario === 'many-files') {
        const r = await runChild([sandbox.url, token, file, 'many-files', String(MANY)]);
        report(
          `A no-change sync of a scope holding ${MANY} secrets and ${MANY} small files, against a scope of ${2 * MANY} secrets, synced in turn (median of 31): what a kept file costs a sync that changes nothing, beside a kept secret`,
          { label: `${MANY} secrets + ${MANY} files`, ms: r.syncWithMs! },
          { label: `${2 * MANY} secrets`, ms: r.syncWithoutMs! },
        );
        process.stdout.write(`  with / without = ${(r.syncWithMs! / r.syncWithoutMs!).toFixed(2)}×\n`);
      } else {
        const r = await runChild([sandbox.url, token, file, 'no-change', String(FILES)]);
        report(
          `A no-change sync of a scope holding ${FILES} × ${MB(SIZE)} of files (the sync a listing starts, given the same entries), against the same scope before the files (median of 31; goal: ≤ 1.5×)`,
          { label: `with ${MB(FILES * SIZE)} of files in the scope`, ms: r.syncWithMs! },
          { label: 'the same scope without them', ms: r.syncWithoutMs! },
        );
        process.stdout.write(`  with / without = ${(r.syncWithMs! / r.syncWithoutMs!).toFixed(2)}×\n`);
        report(
          `The whole no-change listing + sync (vault.list to the synced event), same scope, median of 7`,
          { label: `with ${MB(FILES * SIZE)} of files in the scope`, ms: r.withMs! },
          { label: 'the same scope without them', ms: r.withoutMs! },
        );
        process.stdout.write(`  the server's own part (its two listing requests, bare fetch): ${ms(r.bareWithMs!)} with the files, ${ms(r.bareWithoutMs!)} without\n`);
        process.stdout.write(`  with / without = ${(r.withMs! / r.withoutMs!).toFixed(2)}× (goal: ≤ 1.5×)   (the first sync, fetching the files: ${ms(r.firstMs!)}; memory after: ${MB(r.rss!)})\n`);
      }
    } finally {
      await sandbox.stop();
    }
  }
  await rm(dir, { recursive: true, force: true });
}
