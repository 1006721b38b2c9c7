import { join, resolve } from 'node:path';
import { CoreError } from '../core-error.js';
import { readJsonFile, writeJsonFile } from '../storage/json-file.js';

// Growing delays after wrong passphrases: the first three tries are free, then each failure
// doubles the wait (1 s, 2 s, 4 s … up to 5 minutes). Kept on disk, so quitting the app does not
// reset the count. Argon2id already makes each guess cost; this bounds how many a person at the
// keyboard (or a script driving the window) can make.
//
// One guard per account data folder (`UnlockGuard.for`), and one attempt at a time: a guard made
// afresh per call, or guesses checked side by side, would let ten guesses sent at once all be
// checked (and cost ten times the Argon2id memory) while the count went up by one.

const FREE_TRIES = 3;
const MAX_DELAY_S = 300;

export interface GuardState {
  failures: number;
  retryAt: number;
}

export class UnlockGuard {
  static readonly #byFolder = new Map<string, UnlockGuard>();

  /** The one guard of an account's data folder: every unlock of that account goes through it. */
  static for(accountDir: string): UnlockGuard {
    const key = resolve(accountDir);
    let guard = UnlockGuard.#byFolder.get(key);
    if (!guard) {
      guard = new UnlockGuard(key);
      UnlockGuard.#byFolder.set(key, guard);
    }
    return guard;
  }

  #state: GuardState = { failures: 0, retryAt: 0 };
  #loading: Promise<void> | undefined;
  /** State changes run one after another, each reading what the one before wrote. */
  #updates: Promise<unknown> = Promise.resolve();
  #running = false;
  readonly #file: string;

  /** Tests make their own guard with a clock of their own; the app uses `UnlockGuard.for`. */
  constructor(
    accountDir: string,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.#file = join(accountDir, 'unlock-guard.json');
  }

  #load(): Promise<void> {
    this.#loading ??= (async () => {
      const read = await readJsonFile(this.#file).catch(() => ({ state: 'missing' as const }));
      if (read.state === 'ok' && typeof read.value === 'object' && read.value !== null) {
        const { failures, retryAt } = read.value as Partial<GuardState>;
        this.#state = { failures: Number.isInteger(failures) && failures! >= 0 ? failures! : 0, retryAt: typeof retryAt === 'number' ? retryAt : 0 };
      }
    })();
    return this.#loading;
  }

  #update(change: (state: GuardState) => GuardState | undefined): Promise<GuardState> {
    const next = this.#updates.then(async () => {
      await this.#load();
      const changed = change({ ...this.#state });
      if (changed) {
        this.#state = changed;
        await writeJsonFile(this.#file, this.#state).catch(() => {});
      }
      return { ...this.#state };
    });
    this.#updates = next.catch(() => {});
    return next;
  }

  /** Refuses an attempt made before the wait is over, saying how long is left. */
  async check(): Promise<void> {
    await this.#load();
    await this.#updates;
    const wait = Math.ceil((this.#state.retryAt - this.now()) / 1000);
    if (wait > 0) {
      throw new CoreError('RATE_LIMITED', `Too many wrong attempts. Wait ${wait} s before trying again.`, { retryAfter: wait });
    }
  }

  /**
   * Runs one unlock attempt: `open` derives and returns the key, or undefined when the passphrase
   * (or recovery key) is wrong. Refused (RATE_LIMITED) while another attempt on this account is
   * still running or while the wait is on. The outcome is counted before the next attempt may start.
   */
  async run<T>(open: () => Promise<T | undefined>): Promise<T | undefined> {
    if (this.#running) {
      throw new CoreError('RATE_LIMITED', 'This vault is already checking a passphrase. Wait for it to finish, then try again.', { retryAfter: 1 });
    }
    this.#running = true;
    try {
      await this.check();
      const opened = await open();
      if (opened === undefined) await this.failed();
      else await this.succeeded();
      return opened;
    } finally {
      this.#running = false;
    }
  }

  /** Whether an attempt is being checked now. */
  get running(): boolean {
    return this.#running;
  }

  /** After a wrong passphrase: the new count and the time of the next allowed try. */
  failed(): Promise<GuardState> {
    return this.#update(({ failures }) => {
      const count = failures + 1;
      const delay = count < FREE_TRIES ? 0 : Math.min(MAX_DELAY_S, 2 ** (count - FREE_TRIES));
      return { failures: count, retryAt: this.now() + delay * 1000 };
    });
  }

  async succeeded(): Promise<void> {
    await this.#update((state) => (state.failures === 0 && state.retryAt === 0 ? undefined : { failures: 0, retryAt: 0 }));
  }

  get state(): GuardState {
    return { ...this.#state };
  }
}
