import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

// Runs the BUILT command line (bin/hoody-vault.mjs → out/cli, built by the global setup) as a
// subprocess, the way a user's shell does: arguments, environment, stdin in, stdout/stderr and the
// exit code out. The keychain is the real one (tests run inside scripts/with-keyring.sh).

export const BIN = fileURLToPath(new URL('../../bin/hoody-vault.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export interface CliOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Drop these variables from the environment (e.g. the D-Bus address, to take the keychain away). */
  unset?: string[];
}

/** A base environment: the test Argon2id cost (documented as test-only), no colours. */
export function baseEnv(extra: NodeJS.ProcessEnv = {}, unset: string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOODY_VAULT_TEST_ARGON2: 'fast', NO_COLOR: '1', ...extra };
  // A test runner under CI may set FORCE_COLOR, which overrides NO_COLOR (Node then colours even its
  // NODE_DEBUG lines, which cold-start.test.ts reads).
  if (!('FORCE_COLOR' in extra)) delete env.FORCE_COLOR;
  for (const name of ['HOODY_TOKEN', 'HOODY_BASE_URL', 'HOODY_VAULT_SESSION', 'HOODY_VAULT_PASSPHRASE']) if (!(name in extra)) delete env[name];
  for (const name of unset) delete env[name];
  return env;
}

export function start(args: string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: baseEnv(options.env, options.unset), stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  return { child, done };
}

export function cli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return start(args, options).done;
}

/** A data folder of its own for one test file (like a user's ~/.config/hoody-vault). */
export function useDataDir(): () => string {
  let dir: string | undefined;
  const ready = mkdtemp(join(tmpdir(), 'hoody-cli-')).then((made) => (dir = made));
  afterAll(async () => {
    await ready;
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('the data folder is not made yet');
    return dir;
  };
}

export const ready = (getDir: () => string): Promise<string> => new Promise((resolve) => {
  const poll = () => {
    try {
      resolve(getDir());
    } catch {
      setTimeout(poll, 10);
    }
  };
  poll();
});

/** Fails with the whole run shown, so a failing exit code explains itself. */
export function expectCode(run: CliRun, code: number): CliRun {
  if (run.code !== code) throw new Error(`expected exit ${code}, got ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  return run;
}
