import { run } from './program.js';

// The command line's entry, bundled into out/cli/ as plain JavaScript (no renderer code, the core
// loaded only by commands that need it). The process ends as soon as the answer is written: the
// core keeps timers and sockets a long-running app wants and a one-shot command does not.

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const { exitCode } = await run(argv);
  if (process.stdout.writableLength > 0) await new Promise((resolve) => process.stdout.once('drain', resolve));
  process.exit(exitCode);
}

void main();
