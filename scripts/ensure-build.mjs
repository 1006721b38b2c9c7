// Builds the app (electron-vite) when out/ is missing or older than any source file, with the build's
// own output sent to stderr: the commands that call this promise their first stdout line to scripts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['common', 'main', 'preload', 'renderer', 'electron.vite.config.ts', 'package.json', 'scripts/build-cli.mjs'];
const CLI_BUNDLE = join(root, 'out', 'cli', 'hoody-vault.cjs');
const STAMP = join(root, 'out', '.build-stamp');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function isBuildFresh() {
  if (!existsSync(STAMP) || !existsSync(CLI_BUNDLE)) return false;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.every((source) => !existsSync(join(root, source)) || newestMtime(join(root, source)) <= built);
}

export function ensureBuild({ force = false } = {}) {
  if (!force && isBuildFresh()) return;
  process.stderr.write('Building the app (electron-vite build)…\n');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) {
    process.stderr.write('The build failed; see the messages above.\n');
    process.exit(result.status ?? 1);
  }
  buildCommandLine();
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

/** The command line (out/cli), bundled by esbuild in a process of its own (see scripts/build-cli.mjs). */
export function buildCommandLine() {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0) {
    process.stderr.write('The command line did not build; see the messages above.\n');
    process.exit(result.status ?? 1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--cli-only')) buildCommandLine();
  else ensureBuild({ force: process.argv.includes('--force') });
}
