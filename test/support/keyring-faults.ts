import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './serve-process.js';

// A private D-Bus session with its own GNOME Keyring (scripts/with-keyring.sh), put into a faulty
// state by test/support/keyring-tool.c (libsecret, as keytar uses it) before the app starts in it.

/** Compiles keyring-tool.c into `dir`; throws with the compiler's words when it cannot. */
export function buildKeyringTool(dir: string): string {
  const output = join(dir, 'keyring-tool');
  const flags = spawnSync('pkg-config', ['--cflags', '--libs', 'libsecret-1'], { encoding: 'utf8' });
  if (flags.status !== 0) throw new Error(`pkg-config cannot find libsecret-1 (install libsecret-1-dev): ${flags.stderr}`);
  const compiler = ['cc', 'gcc'].find((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0) ?? 'cc';
  const built = spawnSync(compiler, ['-o', output, join(repoRoot, 'test/support/keyring-tool.c'), ...flags.stdout.trim().split(/\s+/)], { encoding: 'utf8' });
  if (built.status !== 0 || !existsSync(output)) throw new Error(`could not build keyring-tool with ${compiler}: ${built.stderr}`);
  return output;
}

export interface KeyringRun {
  /** Resolves with everything printed once `until` matches stdout (or the run ends). */
  output(until: RegExp): Promise<{ stdout: string; stderr: string }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): void;
}

/** Runs `script` (sh) inside a fresh private keyring; the whole process group is stopped by `stop`. */
export function inPrivateKeyring(script: string, env: NodeJS.ProcessEnv = {}): KeyringRun {
  const child = spawn('dbus-run-session', ['--', join(repoRoot, 'scripts/with-keyring.sh'), 'sh', '-c', script], {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, HOODY_KEYRING_READY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((fn) => fn());
  child.stdout!.on('data', (chunk) => {
    stdout += String(chunk);
    wake();
  });
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      wake();
      resolve({ code, signal });
    }),
  );
  return {
    output: (until) =>
      new Promise((resolve) => {
        const check = () => {
          if (until.test(stdout) || child.exitCode !== null || child.signalCode !== null) resolve({ stdout, stderr });
          else waiters.push(check);
        };
        check();
      }),
    exited,
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
