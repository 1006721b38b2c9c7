import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LocalSandboxInfo } from '../../../common/contract.js';
import { CoreError } from '../core-error.js';

// "Try it locally": starts the development sandbox server (sandbox/, a devDependency-only program)
// as a child process, on demand. It exists only in a source checkout; the packaged app has none.

export const LOCAL_SANDBOX_MISSING = 'The local sandbox comes with the source code only (npm run sandbox); this copy of the app does not have it.';

interface DemoFile {
  url: string;
  users: Array<{ username: string; password: string; is_admin: boolean; is_banned: boolean; totp_secret?: string }>;
}

export class LocalSandbox {
  #child: ChildProcess | undefined;
  #starting: Promise<LocalSandboxInfo> | undefined;
  readonly #entry: string;
  readonly #tsx: string;

  constructor(
    private readonly appRoot: string,
    private readonly dataDir: string,
  ) {
    this.#entry = join(appRoot, 'sandbox', 'main.ts');
    this.#tsx = join(appRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  }

  available(): boolean {
    return existsSync(this.#entry) && existsSync(this.#tsx);
  }

  start(): Promise<LocalSandboxInfo> {
    if (!this.available()) return Promise.reject(new CoreError('NOT_AVAILABLE', LOCAL_SANDBOX_MISSING));
    this.#starting ??= this.#spawn().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async stop(): Promise<void> {
    this.#child?.kill('SIGTERM');
    this.#child = undefined;
    this.#starting = undefined;
  }

  async #spawn(): Promise<LocalSandboxInfo> {
    const data = join(this.dataDir, 'local-sandbox');
    const env = { ...process.env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) };
    const child = spawn(process.execPath, [this.#tsx, this.#entry, '--port', '0', '--data', data, '--seed-demo'], { cwd: this.appRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-2000)));
    child.once('exit', () => {
      if (this.#child === child) {
        this.#child = undefined;
        this.#starting = undefined;
      }
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new CoreError('NOT_AVAILABLE', `The local sandbox stopped at start (exit ${code}): ${stderr.trim().split('\n').pop() ?? ''}`)));
    });
    const url = /^listening on (\S+)$/.exec(firstLine)?.[1];
    if (!url) throw new CoreError('NOT_AVAILABLE', `The local sandbox said something unexpected: ${firstLine}`);
    const demo = JSON.parse(await readFile(join(data, 'demo.json'), 'utf8')) as DemoFile;
    return {
      url,
      users: demo.users.map((u) => ({ username: u.username, password: u.password, isAdmin: u.is_admin, isBanned: u.is_banned, twoFactor: Boolean(u.totp_secret), ...(u.totp_secret ? { totpSecret: u.totp_secret } : {}) })),
    };
  }
}
