#!/usr/bin/env node
// `hoody-vault`: starts the bundled command line (out/cli/hoody-vault.cjs, built by `npm run build`;
// built here first if it is missing). The bundle is compiled through V8's code cache, kept beside
// it, so each run skips parsing most of its code again: the difference between a command that
// feels instant and one that does not (see bench/cli.bench.ts). The parts only some commands need
// (libsodium, zxcvbn's dictionaries) are chunks beside it, loaded when first required, each through
// a code cache of its own: libsodium's 1.2 MB of JavaScript took longer to compile than the rest of
// a `vault get` with a session.
import { createRequire, Module } from 'node:module';

// Node's built-ins by require: static `import`s of them cost an ES module tens of milliseconds more
// at start on a busy machine (each goes through the ES module loader).
const require = createRequire(import.meta.url);
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const process = require('node:process');
const { fileURLToPath } = require('node:url');
const { debuglog } = require('node:util');
const { Script } = require('node:vm');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'cli');
const bundle = join(outDir, 'hoody-vault.cjs');

if (!existsSync(bundle)) {
  const builder = join(root, 'scripts', 'ensure-build.mjs');
  if (!existsSync(builder)) {
    process.stderr.write('hoody-vault: the command line is not built (out/cli is missing).\n');
    process.exit(1);
  }
  const { spawnSync } = require('node:child_process');
  const built = spawnSync(process.execPath, [builder, '--cli-only'], { stdio: ['ignore', process.stderr, process.stderr] });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** The caches written as this run ends: each holds every function its file compiled in the run. */
const caches = [];
process.once('exit', () => {
  for (const { script, cacheFile } of caches) {
    try {
      // Beside it, then renamed: a run starting meanwhile reads the old cache or the new, never half of one.
      const temp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      // A read-only install runs without the cache: slower to start, the same otherwise.
    }
  }
});

/** Runs one CommonJS file of out/cli through its code cache (made on the first run) and returns its exports. */
function runCached(file, name, requireInside) {
  const cacheFile = join(outDir, `.code-cache-${name}-${process.versions.v8}-${process.arch}`);
  const source = readFileSync(file, 'utf8');
  let cached;
  try {
    cached = readFileSync(cacheFile);
  } catch {
    cached = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: file, ...(cached ? { cachedData: cached } : {}) });
  if (!cached || script.cachedDataRejected) caches.push({ script, cacheFile });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, requireInside, module, file, dirname(file));
  return module.exports;
}

// The bundle's `require('./<chunk>.cjs')` loads that chunk of out/cli once, through its own cache;
// anything else (Node's built-ins, keytar) is an ordinary require. NODE_DEBUG=hoody-vault lists the
// chunks a run loaded (test/cli/cold-start.test.ts reads it).
const debug = debuglog('hoody-vault');
const CHUNK = /^\.\/([a-z][a-z0-9-]*)\.cjs$/;
const chunks = new Map();
const ordinary = createRequire(bundle);
const bundleRequire = Object.assign((id) => {
  const chunk = CHUNK.exec(id);
  if (!chunk) return ordinary(id);
  if (!chunks.has(id)) {
    debug('chunk %s', chunk[1]);
    chunks.set(id, runCached(join(outDir, `${chunk[1]}.cjs`), chunk[1], ordinary));
  }
  return chunks.get(id);
}, ordinary);

runCached(bundle, 'main', bundleRequire);
