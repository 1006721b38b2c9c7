// npm run test:stress: the whole suite (npm test) three times in a row, each time with two CPU
// burners running beside it, so that a test that only passes on an idle machine shows up here and
// not in someone's CI run. Prints each run's `tests:` line and ends with `stress: N/3 passed`.
//
//   npm run test:stress [-- --runs N] [--burners N] [any npm test arguments, e.g. --unit or a filter]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root } from './ensure-build.mjs';

const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} needs a whole number, not ${JSON.stringify(args[at + 1])}\n`);
    process.exit(2);
  }
  args.splice(at, 2);
  return value;
}
const runs = option('--runs', 3);
const burnerCount = option('--burners', 2);

// Busy loops in their own processes: each takes one core for as long as it lives.
const burners = Array.from({ length: burnerCount }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopBurners = () => {
  for (const burner of burners) if (burner.exitCode === null && burner.signalCode === null) burner.kill('SIGKILL');
};
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopBurners();
    process.exit(130);
  });
}
process.stdout.write(`stress: ${runs} run(s) of npm test${args.length ? ` ${args.join(' ')}` : ''} beside ${burnerCount} CPU burner(s) (pids ${burners.map((b) => b.pid).join(', ') || 'none'})\n`);

/** One run of the suite, its output shown live; resolves to its exit code and its `tests:` line. */
function runSuite() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'test.mjs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let summary = '';
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (/^tests: \d+ passed, \d+ failed/.test(line)) summary = line;
    });
    child.on('close', (code, signal) => {
      if (/^tests: \d+ passed, \d+ failed/.test(pending)) summary = pending;
      resolve({ code: code ?? (signal ? 1 : 0), summary: summary || `tests: no summary (exited with ${code ?? signal})` });
    });
  });
}

const results = [];
for (let run = 1; run <= runs; run += 1) {
  process.stdout.write(`\n══ stress run ${run}/${runs} ══\n`);
  const result = await runSuite();
  results.push(result);
}
stopBurners();

process.stdout.write('\n');
results.forEach((result, index) => process.stdout.write(`run ${index + 1}: ${result.summary}\n`));
const passed = results.filter((r) => r.code === 0 && /^tests: \d+ passed, 0 failed/.test(r.summary)).length;
process.stdout.write(`stress: ${passed}/${runs} passed\n`);
process.exit(passed === runs ? 0 : 1);
