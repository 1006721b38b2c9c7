import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/serve-process.js';
import { useTempDir } from '../support/temp-dir.js';
import { call } from './client.js';

const tempDir = useTempDir();
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const running = new Set<number>();

/** Signals the whole process group: npx -> tsx -> node, as a terminal's Ctrl-C would. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

// Whatever a failed test left running is killed at the end (not after each: some tests run concurrently).
afterAll(() => {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
});

function runCli(args: string[]) {
  const child = spawn(npx, ['tsx', 'sandbox/main.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child.pid!);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  // stderr is shared by every process of the group, so it closes only when all of them have exited.
  const allExited = new Promise<void>((resolve) =>
    child.stderr.once('close', () => {
      running.delete(child.pid!);
      resolve();
    }),
  );
  const firstLine = new Promise<string | undefined>((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    lines.once('close', () => resolve(undefined));
  });
  return { child, exited, allExited, firstLine, stderr: () => stderr };
}

describe('npm run sandbox', () => {
  it('prints "listening on <url>" first, serves the API, seeds demo.json, and closes cleanly on SIGTERM', async () => {
    const dataDir = await tempDir();
    const cli = runCli(['--port', '0', '--data', dataDir, '--seed-demo', '--vault-limit-mb', '5', '--retention-days', '14', '--token-ttl', '600']);
    const line = await cli.firstLine;
    const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line ?? '');
    expect(match, `first line ${JSON.stringify(line)}; stderr: ${cli.stderr()}`).not.toBeNull();
    const url = match![1]!;

    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));
    expect(demo.url).toBe(url);
    const user = demo.users.find((u: { is_admin: boolean; totp_secret?: string }) => !u.is_admin && !u.totp_secret);
    const apiUrl = `${url}/api/v1`;
    expect((await call(apiUrl, 'GET', '/users/me', { token: user.token })).body.data.id).toBe(user.id);
    expect((await call(apiUrl, 'GET', '/vault/stats', { token: user.token })).body.data.limit_mb).toBe(5);
    expect((await call(apiUrl, 'GET', '/users/auth/activity/stats', { token: user.token })).body.data.retention_days).toBe(14);
    const login = await call(apiUrl, 'POST', '/users/auth/login', { body: { username: user.username, password: user.password } });
    expect(login.body.data.expires_in).toBe(600);
    expect((await call(url, 'DELETE', '/__sandbox/faults')).status).toBe(404);

    signalGroup(cli.child.pid!, 'SIGTERM');
    await cli.allExited;
    expect(cli.stderr()).toContain('SIGTERM: closing the sandbox');
    expect(cli.stderr()).not.toContain('close failed');
    expect(existsSync(join(dataDir, 'sandbox.sqlite'))).toBe(true);
    // A clean close checkpoints the write-ahead log and removes it.
    expect(existsSync(join(dataDir, 'sandbox.sqlite-wal'))).toBe(false);
  });

  it.concurrent.each([
    [['--port', 'abc'], /--port must be a whole number from 0 to 65535/],
    [['--port', '70000'], /--port/],
    [['--vault-limit-mb', '0'], /--vault-limit-mb must be a number greater than 0/],
    [['--retention-days', '1.5'], /--retention-days must be a whole number greater than 0/],
    [['--token-ttl', '-3'], /--token-ttl/],
    [['--bogus'], /--bogus/],
  ])('refuses %j with a message naming the flag, and exit code 2', async (args, message) => {
    const cli = runCli(args);
    expect(await cli.exited).toBe(2);
    expect(await cli.firstLine).toBeUndefined();
    expect(cli.stderr()).toMatch(message);
  });
});
