import { endOfDate, JOB_PAGE_SIZE } from '../../../common/activity.js';
import type { ActivityRecord } from '../../../common/hoody-types.js';
import type { ActivityQuery } from '../../../common/rules.js';
import type { HoodyClient } from '../api/hoody-client.js';

// Reads the filtered log page after page, for the long jobs (charts, exports).
//
// The log grows while it is read: every API call, these included, adds a record at its head, which
// would shift every later page by one. So each job reads up to a fixed end (the moment it started,
// unless the filters end earlier), and drops any record it has already seen.

export type JobFilters = Omit<ActivityQuery, 'page' | 'limit'>;

/** Thrown (and caught in `readPages`) when the job's signal fires. */
export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}

/** The end a job reads up to: the filters' own end when it has already passed, else `now`. */
export function pinnedEnd(end: string | undefined, now: number): string {
  if (end !== undefined && endOfDate(end) <= now) return end;
  return new Date(now).toISOString();
}

/**
 * Settles with the promise, or rejects with JobCancelled as soon as the signal fires, even while the
 * request engine waits out a retry backoff (whose own abort is only noticed after the wait).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(new JobCancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new JobCancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? new JobCancelled() : error);
      },
    );
  });
}

export interface PageInfo {
  /** Pages read so far, this one included. */
  done: number;
  /** Pages the job means to read. */
  planned: number;
  /** Records read so far (after dropping repeats). */
  records: number;
}

export interface ReadOptions {
  client: HoodyClient;
  filters: JobFilters;
  maxPages: number;
  signal: AbortSignal;
  now?: number;
  /** Called with each page's new records; answering `false` stops the reading there. */
  onPage(records: ActivityRecord[], info: PageInfo): boolean | void;
}

export interface ReadOutcome {
  cancelled: boolean;
  /** Stopped because `onPage` said so. */
  stopped: boolean;
  pagesRead: number;
  planned: number;
  records: number;
  /** Records matching the filters (up to `readUpTo`) when the first page was read. */
  totalMatching: number;
  /** Pages those records fill at 100 a page, whatever the cap. */
  pagesAvailable: number;
  readUpTo: string;
  /** The query as sent, without the page number. */
  query: ActivityQuery;
}

export async function readPages(options: ReadOptions): Promise<ReadOutcome> {
  const readUpTo = pinnedEnd(options.filters.end_date, options.now ?? Date.now());
  const query: ActivityQuery = { ...options.filters, end_date: readUpTo, limit: JOB_PAGE_SIZE };
  const seen = new Set<string>();
  const outcome: ReadOutcome = { cancelled: false, stopped: false, pagesRead: 0, planned: 0, records: 0, totalMatching: 0, pagesAvailable: 0, readUpTo, query };
  try {
    for (let page = 1; ; page += 1) {
      const answer = await abortable(options.client.activity({ ...query, page }, options.signal), options.signal);
      if (page === 1) {
        outcome.totalMatching = answer.metadata.total;
        outcome.pagesAvailable = answer.metadata.pages;
        outcome.planned = Math.min(answer.metadata.pages, options.maxPages);
      }
      const fresh = answer.records.filter((record) => {
        if (record.id === undefined) return true;
        if (seen.has(record.id)) return false;
        seen.add(record.id);
        return true;
      });
      outcome.pagesRead = page;
      outcome.records += fresh.length;
      const goOn = options.onPage(fresh, { done: page, planned: outcome.planned, records: outcome.records });
      if (goOn === false) {
        outcome.stopped = true;
        break;
      }
      // An empty or short page means the log ended sooner than counted (records aged out meanwhile).
      if (page >= outcome.planned || answer.records.length < JOB_PAGE_SIZE) break;
      if (options.signal.aborted) throw new JobCancelled();
    }
  } catch (error) {
    if (!(error instanceof JobCancelled)) throw error;
    outcome.cancelled = true;
  }
  return outcome;
}
