import { CoreError } from '../core-error.js';

// Long backup jobs by the id the window chose, so it can cancel one before its answer arrives.

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}

export class Jobs {
  readonly #running = new Map<string, AbortController>();

  async run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#running.has(jobId)) throw new CoreError('CONFLICT', 'A job with this id is already running.', { fields: { jobId: 'is already in use' } });
    const controller = new AbortController();
    this.#running.set(jobId, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.#running.delete(jobId);
    }
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.#running.get(jobId);
    job?.abort();
    return { cancelled: job !== undefined };
  }

  cancelAll(): void {
    for (const job of this.#running.values()) job.abort();
  }
}
