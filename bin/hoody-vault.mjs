#!/usr/bin/env node
// `hoody-vault`: starts the bundled command line (out/cli/hoody-vault.cjs, built by `npm run build`;
// built here first if it is missing). The bundle is compiled through V8's code cache, kept beside
// it, so each run skips parsing most of its code again: the difference between a command that
// feels instant and one that does not (see bench/cli.bench.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { Script } from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'hoody-vault.cjs');

if (!existsSync(bundle)) {
  const builder = join(root, 'scripts', 'ensure-build.mjs');
  if (!existsSync(builder)) {
    process.stderr.write('hoody-vault: the command line is not built (out/cli is missing).\n');
    process.exit(1);
  }
  const built = spawnSync(process.execPath, [builder, '--cli-only'], { stdio: ['ignore', process.stderr, process.stderr] });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const cacheFile = join(root, 'out', 'cli', `.code-cache-${process.versions.v8}-${process.arch}`);
const source = readFileSync(bundle, 'utf8');
let cached;
try {
  cached = readFileSync(cacheFile);
} catch {
  cached = undefined;
}
const script = new Script(Module.wrap(source), { filename: bundle, ...(cached ? { cachedData: cached } : {}) });
const run = script.runInThisContext();
const module = { exports: {} };
// The cache is written as the first run ends, so it holds every function that run compiled.
if (!cached || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      // Beside it, then renamed: a run starting meanwhile reads the old cache or the new, never half of one.
      const temp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      // A read-only install runs without the cache: slower to start, the same otherwise.
    }
  });
}
run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
