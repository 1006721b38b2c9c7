import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// The sandbox in its own process, as a real server is: the client under test never shares its
// event loop with the server, so overlapping requests can show what they save.

const root = fileURLToPath(new URL('..', import.meta.url));

export interface SandboxProcess {
  url: string;
  tokens: Record<string, string>;
  addFault(spec: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandboxProcess(extra: string[] = []): Promise<SandboxProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'hoody-bench-'));
  const child: ChildProcess = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'sandbox', 'main.ts'), '--port', '0', '--data', dir, '--seed-demo', '--faults', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const url = line.replace('listening on ', '');
  const demo = JSON.parse(await readFile(join(dir, 'demo.json'), 'utf8')) as { users: Array<{ username: string; token: string }> };
  const control = (method: string, body?: unknown) =>
    fetch(`${url}/__sandbox/faults`, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, ...(body ? { body: JSON.stringify(body) } : {}) });
  return {
    url,
    tokens: Object.fromEntries(demo.users.map((u) => [u.username, u.token])),
    addFault: async (spec) => void (await control('POST', spec)),
    clearFaults: async () => void (await control('DELETE')),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
