// npm test: every runner (vitest for units, integration and components; Playwright for end to end in
// Chromium), each with its own live output, then one summary line summing them all:
//   tests: N passed, M failed
// npm run test:unit (`--unit`): vitest alone, the same way. Further arguments filter by file name.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuild, root } from './ensure-build.mjs';

const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(name, command, args, reportFile, count) {
  rmSync(reportFile, { force: true });
  process.stdout.write(`\n── ${name} ──\n`);
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' } });
  if (!existsSync(reportFile)) {
    return { name, passed: 0, failed: 1, skipped: 0, note: `${name} exited with ${status} before reporting` };
  }
  const counts = count(JSON.parse(readFileSync(reportFile, 'utf8')));
  // A runner that fails outside any test (a crashed worker, a broken setup) still counts as a failure.
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  return { name, ...counts };
}

// The keychain tests talk to a real Secret Service: run everything inside a private D-Bus session
// with an unlocked GNOME Keyring, unless this process already is.
if (!process.env.HOODY_KEYRING_READY && process.platform === 'linux') {
  const has = (tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (has('dbus-run-session') && has('gnome-keyring-daemon')) {
    const wrapped = spawnSync('dbus-run-session', ['--', join(root, 'scripts', 'with-keyring.sh'), process.execPath, ...process.argv.slice(1)], { stdio: 'inherit' });
    process.exit(wrapped.status ?? 1);
  }
  process.stdout.write('No dbus-run-session or gnome-keyring-daemon here: the keychain suites are skipped. Install dbus and gnome-keyring to run them.\n');
}

ensureBuild();
const unitOnly = process.argv.includes('--unit');
const filter = process.argv.slice(2).filter((arg) => arg !== '--unit');
const runners = [
  run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'vitest.json')}`, ...filter], join(results, 'vitest.json'), (r) => ({
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0),
    skipped: r.numPendingTests + r.numTodoTests,
  })),
  ...(unitOnly
    ? []
    : [
        run('playwright', bin('playwright'), ['test', ...filter], join(results, 'playwright.json'), (r) => ({
          passed: r.stats.expected + r.stats.flaky,
          failed: r.stats.unexpected + (r.errors?.length ?? 0),
          skipped: r.stats.skipped,
        })),
      ]),
];

const total = (key) => runners.reduce((sum, r) => sum + r[key], 0);
process.stdout.write('\n');
for (const r of runners) {
  process.stdout.write(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.note ? ` (${r.note})` : ''}\n`);
}
process.stdout.write(`tests: ${total('passed')} passed, ${total('failed')} failed\n`);
process.exit(total('failed') === 0 ? 0 : 1);
