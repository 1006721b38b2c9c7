// Bundles the command line (main/cli) into out/cli/: one CommonJS file with the core, commander and
// zod inside (so bin/hoody-vault.mjs can start it from V8's code cache), plus the Argon2id worker.
// Native and WebAssembly modules stay in node_modules: keytar (native), libsodium (loaded lazily,
// only by commands that open the vault). No renderer code is reachable from main/cli.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * The bundle runs from V8's code cache (vm.Script), where import() has no loader: the core's lazy
 * `import('libsodium-wrappers-sumo')` becomes a lazy require of the same package's CommonJS build.
 */
const lazyRequire = {
  name: 'lazy-require',
  setup(b) {
    b.onLoad({ filter: /[\\/]crypto[\\/]sodium\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const contents = text.replace("import('libsodium-wrappers-sumo')", "Promise.resolve().then(() => require('libsodium-wrappers-sumo'))");
      if (contents === text) throw new Error('sodium.ts no longer imports libsodium the way build-cli.mjs expects');
      return { contents, loader: 'ts' };
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
    external: ['keytar', 'libsodium-wrappers-sumo'],
    plugins: [lazyRequire],
    // import.meta.url in the core (the keychain module's require, the worker's path) means this file.
    define: { 'import.meta.url': '__hoodyVaultModuleUrl', __HOODY_VAULT_VERSION__: JSON.stringify(version) },
    banner: { js: 'var __hoodyVaultModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    minifySyntax: true,
    minifyWhitespace: true,
  });
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
