// Bundles the command line (main/cli) into out/cli/: one CommonJS file with the core, commander and
// zod inside (so bin/hoody-vault.mjs can start it from V8's code cache), the chunks only some
// commands load (libsodium; zxcvbn and its dictionaries, for a new passphrase), and the Argon2id
// worker. The launcher gives each chunk a code cache of its own, so a command pays for reading and
// compiling only what it runs. keytar (native) stays in node_modules. No renderer code is reachable
// from main/cli.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * The core's lazy `import()`s of a chunk become lazy requires of it: the bundle runs from V8's code
 * cache (vm.Script), where import() has no loader, and the launcher's require loads `./<chunk>.cjs`
 * through the chunk's own cache.
 */
const LAZY_CHUNKS = [
  { file: /[\\/]crypto[\\/]sodium\.ts$/, from: "??= import('libsodium-wrappers-sumo')", chunk: 'libsodium' },
  { file: /[\\/]vault[\\/]passphrase-floor\.ts$/, from: "??= import('../../../common/passphrase-strength.js')", chunk: 'passphrase-strength' },
];
const lazyChunks = {
  name: 'lazy-chunks',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    for (const { file, from, chunk } of LAZY_CHUNKS) {
      b.onLoad({ filter: file }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const contents = text.replace(from, `??= Promise.resolve().then(() => require('./${chunk}.cjs'))`);
        if (contents === text) throw new Error(`${args.path} no longer loads its chunk the way build-cli.mjs expects (${from})`);
        return { contents, loader: 'ts' };
      });
    }
  },
};

/**
 * libsodium's WebAssembly, compiled and instantiated on the main thread (about 15 ms here) rather
 * than by WebAssembly.instantiate, which hands the work to V8's background threads: on a busy
 * machine those waited 100–190 ms for a core while the command had nothing else to do. A failure
 * still lands in libsodium's own catch, as an asynchronous one did.
 */
const syncWasm = {
  name: 'libsodium-sync-wasm',
  setup(b) {
    b.onLoad({ filter: /[\\/]libsodium-sumo[\\/]dist[\\/].*libsodium-sumo\.m?js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const call = /return await WebAssembly\.instantiate\((\w+),(\w+)\)/g;
      if ((text.match(call) ?? []).length !== 1) throw new Error(`${args.path} no longer instantiates its WebAssembly the way build-cli.mjs expects`);
      return { contents: text.replace(call, 'return (m=>({module:m,instance:new WebAssembly.Instance(m,$2)}))(new WebAssembly.Module($1))'), loader: 'js' };
    });
  },
};

export async function buildCli() {
  const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', legalComments: 'none', absWorkingDir: root };
  await build({
    ...common,
    entryPoints: [join(root, 'main/cli/index.ts')],
    outfile: join(root, 'out/cli/hoody-vault.cjs'),
    format: 'cjs',
    external: ['keytar'],
    plugins: [lazyChunks],
    // import.meta.url in the core (the keychain module's require, the worker's path) means this file.
    define: { 'import.meta.url': '__hoodyVaultModuleUrl', __HOODY_VAULT_VERSION__: JSON.stringify(version) },
    banner: { js: 'var __hoodyVaultModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    minifySyntax: true,
    minifyWhitespace: true,
  });
  // The chunks: libsodium's wrappers with the WebAssembly build they load (the sumo build: Argon2id;
  // its ES module build, as the app's main process loads it: 0.55 MB against the CommonJS build's
  // 1.2 MB, which adds a pure-JavaScript fallback for engines without WebAssembly), and the passphrase
  // strength checker with zxcvbn's dictionaries (1.6 MB the other commands skip).
  for (const [chunk, entry] of [['libsodium', 'libsodium-wrappers-sumo'], ['passphrase-strength', join(root, 'common/passphrase-strength.ts')]]) {
    await build({ ...common, entryPoints: [entry], outfile: join(root, `out/cli/${chunk}.cjs`), format: 'cjs', minifyWhitespace: true, plugins: [syncWasm] });
  }
  await build({
    ...common,
    entryPoints: [join(root, 'main/core/crypto/kdf-worker.mjs')],
    outfile: join(root, 'out/cli/kdf-worker.mjs'),
    format: 'esm',
    external: ['libsodium-wrappers-sumo'],
  });
}

/**
 * One throwaway run through the core (signing in to a closed port fails at once), so the launcher's
 * V8 code cache is written holding the functions a real command compiles, not just `--help`'s.
 */
function warmCodeCache() {
  for (const name of readdirSync(join(root, 'out/cli'))) if (name.startsWith('.code-cache-')) rmSync(join(root, 'out/cli', name));
  const data = mkdtempSync(join(tmpdir(), 'hoody-cli-warm-'));
  try {
    spawnSync(process.execPath, [join(root, 'bin/hoody-vault.mjs'), '--data', data, '-o', 'json', 'vault', 'list'], {
      env: { ...process.env, HOODY_TOKEN: 'hdy_warmup_only', HOODY_BASE_URL: 'http://127.0.0.1:9' },
      stdio: 'ignore',
      timeout: 60_000,
    });
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
  warmCodeCache();
}
