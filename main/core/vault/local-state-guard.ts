import type { AccountsService } from '../accounts/accounts-service.js';
import type { OpenVault } from './vault-part.js';

// Rollback protection for what this computer keeps (the scope copies and the outbox). Each sealed
// file carries a generation number, raised on every write; the highest generation written is kept
// outside the data folder, in the account's entry of the OS keychain. Someone who can write the
// data folder (a backup restored, a sync tool, malware without keychain access) can put back an
// older sealed file, which still opens, or delete the outbox: the generation then falls below the
// keychain's, and the vault status says so. A session-only account has no keychain entry: its
// counters live in memory and protect only while the app runs (said in the docs).

export interface CounterStore {
  readonly kind: 'keychain' | 'memory';
  get(): Promise<string | null>;
  set(value: string): Promise<void>;
}

interface Counters {
  v: 1;
  outbox: number;
  copies: Record<string, number>;
}

export type Regression = 'older' | 'deleted';

export class LocalStateGuard {
  #counters: Counters = { v: 1, outbox: 0, copies: {} };
  #writes: Promise<void> = Promise.resolve();
  readonly problems: string[] = [];
  /** A regression was found: the window is told (set by the part that owns the status). */
  onReport: (() => void) | undefined;

  constructor(
    private readonly store: CounterStore,
    private readonly log?: (message: string) => void,
  ) {}

  get kind(): 'keychain' | 'memory' {
    return this.store.kind;
  }

  async load(): Promise<void> {
    const text = await this.store.get().catch((error: unknown) => {
      this.log?.(`local state counters unreadable: ${(error as Error).message}`);
      return null;
    });
    if (!text) return;
    try {
      const parsed = JSON.parse(text) as Partial<Counters>;
      if (parsed.v !== 1) return;
      this.#counters = {
        v: 1,
        outbox: typeof parsed.outbox === 'number' ? parsed.outbox : 0,
        copies: typeof parsed.copies === 'object' && parsed.copies !== null ? { ...parsed.copies } : {},
      };
    } catch {
      // An unreadable counter is as good as none: nothing can be compared, nothing is refused.
    }
  }

  /** The highest generation written of a file: 'outbox', or a copy by realm id ('' for global). */
  expected(file: { outbox: true } | { copy: string }): number {
    return 'outbox' in file ? this.#counters.outbox : (this.#counters.copies[file.copy] ?? 0);
  }

  /** A file read back: whether it is older than what this computer wrote last (or gone). */
  check(file: { outbox: true } | { copy: string }, generation: number | undefined): Regression | undefined {
    const expected = this.expected(file);
    if (expected === 0) return undefined;
    if (generation === undefined) return 'deleted';
    return generation < expected ? 'older' : undefined;
  }

  report(message: string): void {
    if (this.problems.includes(message)) return;
    this.problems.push(message);
    this.log?.(message);
    this.onReport?.();
  }

  /** After a file was written with this generation: the keychain learns it (writes one at a time). */
  advance(file: { outbox: true } | { copy: string }, generation: number): Promise<void> {
    if ('outbox' in file) this.#counters.outbox = Math.max(this.#counters.outbox, generation);
    else this.#counters.copies[file.copy] = Math.max(this.#counters.copies[file.copy] ?? 0, generation);
    const text = JSON.stringify(this.#counters);
    const run = this.#writes.then(() => this.store.set(text));
    this.#writes = run.catch((error: unknown) => this.log?.(`local state counters not saved: ${(error as Error).message}`));
    return this.#writes;
  }
}

const guards = new WeakMap<OpenVault, Promise<LocalStateGuard>>();

/** The guard of an open vault, shared by the scope mirror and the outbox (created on first use). */
export function guardFor(accounts: AccountsService, open: OpenVault, log?: (message: string) => void): Promise<LocalStateGuard> {
  let guard = guards.get(open);
  if (!guard) {
    const created = new LocalStateGuard(accounts.localStateCounters(open.accountId), log);
    guard = created.load().then(() => created);
    guards.set(open, guard);
  }
  return guard;
}
