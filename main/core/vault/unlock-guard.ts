import { join } from 'node:path';
import { CoreError } from '../core-error.js';
import { readJsonFile, writeJsonFile } from '../storage/json-file.js';

// Growing delays after wrong passphrases: the first three tries are free, then each failure
// doubles the wait (1 s, 2 s, 4 s … up to 5 minutes). Kept on disk, so quitting the app does not
// reset the count. Argon2id already makes each guess cost; this bounds how many a person at the
// keyboard (or a script driving the window) can make.

const FREE_TRIES = 3;
const MAX_DELAY_S = 300;

interface GuardState {
  failures: number;
  retryAt: number;
}

export class UnlockGuard {
  #state: GuardState = { failures: 0, retryAt: 0 };
  #loaded = false;
  readonly #file: string;

  constructor(
    accountDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.#file = join(accountDir, 'unlock-guard.json');
  }

  async #load(): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    const read = await readJsonFile(this.#file).catch(() => ({ state: 'missing' as const }));
    if (read.state === 'ok' && typeof read.value === 'object' && read.value !== null) {
      const { failures, retryAt } = read.value as Partial<GuardState>;
      this.#state = { failures: Number.isInteger(failures) ? failures! : 0, retryAt: typeof retryAt === 'number' ? retryAt : 0 };
    }
  }

  /** Refuses an attempt made before the wait is over, saying how long is left. */
  async check(): Promise<void> {
    await this.#load();
    const wait = Math.ceil((this.#state.retryAt - this.now()) / 1000);
    if (wait > 0) {
      throw new CoreError('RATE_LIMITED', `Too many wrong attempts. Wait ${wait} s before trying again.`, { retryAfter: wait });
    }
  }

  /** After a wrong passphrase: the new count and the time of the next allowed try. */
  async failed(): Promise<GuardState> {
    await this.#load();
    const failures = this.#state.failures + 1;
    const delay = failures < FREE_TRIES ? 0 : Math.min(MAX_DELAY_S, 2 ** (failures - FREE_TRIES));
    this.#state = { failures, retryAt: this.now() + delay * 1000 };
    await writeJsonFile(this.#file, this.#state).catch(() => {});
    return { ...this.#state };
  }

  async succeeded(): Promise<void> {
    await this.#load();
    if (this.#state.failures === 0) return;
    this.#state = { failures: 0, retryAt: 0 };
    await writeJsonFile(this.#file, this.#state).catch(() => {});
  }

  get state(): GuardState {
    return { ...this.#state };
  }
}
