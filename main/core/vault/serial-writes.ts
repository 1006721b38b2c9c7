// One write at a time per scope of this computer's copy (a sync, a confirmed write, a migration), so
// an index and the files it names stay in step; and a way to wait for the writes under way when the
// core closes (a file's sealed value may be half-written when the vault locks).

export class SerialWrites {
  readonly #last = new Map<string, Promise<unknown>>();
  readonly #running = new Set<Promise<unknown>>();

  /** Runs `job` once every write of the scope queued before it has ended (however it ended). */
  run<T>(scope: string, job: () => Promise<T>): Promise<T> {
    const before = this.#last.get(scope) ?? Promise.resolve();
    const run = before.then(job);
    const settled = run.catch(() => {});
    this.#last.set(scope, settled);
    this.#running.add(settled);
    void settled.then(() => {
      this.#running.delete(settled);
      if (this.#last.get(scope) === settled) this.#last.delete(scope);
    });
    return run;
  }

  /** Resolves once the scope's writes queued so far have ended (however they ended). */
  async settled(scope: string): Promise<void> {
    await this.#last.get(scope);
  }

  /** Resolves once no write runs or waits. */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.all([...this.#running]);
  }
}
