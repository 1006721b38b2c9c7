import { join } from 'node:path';
import {
  activityPreferencesSchema,
  DEFAULT_ACTIVITY_PREFERENCES,
  EXPORT_PAGES_MAX,
  type ActivityCharts,
  type ActivityExportResult,
  type ActivityPreferences,
  type ExportCap,
  type ExportFormat,
} from '../../../common/activity.js';
import type { ActivityStats } from '../../../common/hoody-types.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import { CoreError } from '../core-error.js';
import type { EventBus } from '../event-bus.js';
import { readJsonFile, writeJsonFile } from '../storage/json-file.js';
import { ChartAccumulator } from './aggregate.js';
import { ExportWriter, exportFileName, MIME_TYPES } from './export-writer.js';
import { pinnedEnd, readPages, type JobFilters } from './pages.js';

// The activity log's work in main: the saved filters, the statistics, and the long jobs (charts over
// many pages, exports) with their progress events and cancellation. The window never sees a token.

const FILTERS_FILE = 'activity-filters.json';
/**
 * Serve mode hands an export to the window in one WebSocket message, held in memory on both sides;
 * past this size it stops and says so (the desktop app writes any size to disk).
 */
export const SERVE_EXPORT_MAX_BYTES = 100 * 1024 * 1024;

export interface ActivityServiceOptions {
  accounts: AccountsService;
  events: EventBus;
  saveDialog?: ((defaultName: string) => Promise<string | undefined>) | undefined;
  now?: () => number;
  serveExportMaxBytes?: number;
}

export class ActivityService {
  readonly #jobs = new Map<string, AbortController>();
  readonly #options: ActivityServiceOptions;
  /** Saves run one after another, so a quick second Apply can never be overwritten by the first. */
  #writes: Promise<unknown> = Promise.resolve();

  constructor(options: ActivityServiceOptions) {
    this.#options = options;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  #filtersFile(): string {
    const account = this.#options.accounts.active();
    if (!account) throw new CoreError('NOT_SIGNED_IN', 'Sign in to a Hoody account first.');
    return join(this.#options.accounts.accountDataDir(account.id), FILTERS_FILE);
  }

  async loadFilters(): Promise<ActivityPreferences & { saved: boolean }> {
    const read = await readJsonFile(this.#filtersFile());
    if (read.state !== 'ok') return { ...DEFAULT_ACTIVITY_PREFERENCES, saved: false };
    // A file from an older or newer version that no longer fits the rules is ignored, not trusted.
    const parsed = activityPreferencesSchema.safeParse(read.value);
    return parsed.success ? { ...parsed.data, saved: true } : { ...DEFAULT_ACTIVITY_PREFERENCES, saved: false };
  }

  async saveFilters(preferences: ActivityPreferences): Promise<ActivityPreferences> {
    const file = this.#filtersFile();
    const write = this.#writes.then(() => writeJsonFile(file, preferences));
    this.#writes = write.catch(() => {});
    try {
      await write;
    } catch (error) {
      throw new CoreError('STORAGE', `The filters could not be saved: ${(error as Error).message}`, { cause: error });
    }
    return preferences;
  }

  /** GET /users/auth/activity/stats, read tolerantly: a missing number is 0, a missing date null. */
  async stats(): Promise<ActivityStats> {
    const raw: unknown = await this.#options.accounts.client().activityStats();
    const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
    const date = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : null);
    return {
      total_records: num(s.total_records),
      total_size_bytes: num(s.total_size_bytes),
      oldest_record: date(s.oldest_record),
      newest_record: date(s.newest_record),
      retention_days: num(s.retention_days),
    };
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.#jobs.get(jobId);
    if (!job) return { cancelled: false };
    job.abort();
    return { cancelled: true };
  }

  /** Cancels every running job (on quit). */
  cancelAll(): void {
    for (const job of this.#jobs.values()) job.abort();
  }

  async #job<T>(jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#jobs.has(jobId)) throw new CoreError('CONFLICT', 'A job with this id is already running.', { fields: { jobId: 'is already in use' } });
    const controller = new AbortController();
    this.#jobs.set(jobId, controller);
    try {
      return await run(controller.signal);
    } finally {
      this.#jobs.delete(jobId);
    }
  }

  #progress(jobId: string, done: number, total: number, records: number): void {
    this.#options.events.emit('activity.progress', { jobId, done, total, records });
  }

  async chart(input: JobFilters & { jobId: string; pages: number; utcOffsetMinutes?: number | undefined }): Promise<ActivityCharts> {
    const { jobId, pages, utcOffsetMinutes, ...filters } = input;
    const client = this.#options.accounts.client();
    return this.#job(jobId, async (signal) => {
      const charts = new ChartAccumulator();
      const run = await readPages({
        client,
        filters,
        maxPages: pages,
        signal,
        now: this.#now(),
        onPage: (records, info) => {
          charts.add(records);
          this.#progress(jobId, info.done, info.planned, info.records);
        },
      });
      const complete = !run.cancelled && run.pagesRead >= run.pagesAvailable;
      const numbers = charts.result({
        from: complete && filters.start_date ? Date.parse(filters.start_date) : undefined,
        to: run.pagesRead > 0 ? Date.parse(run.readUpTo) : undefined,
        utcOffsetMinutes,
      });
      return {
        status: run.cancelled ? 'cancelled' : 'done',
        pagesRead: run.pagesRead,
        pagesPlanned: run.planned,
        recordsRead: charts.count,
        totalMatching: run.totalMatching,
        complete,
        readUpTo: run.readUpTo,
        ...numbers,
      };
    });
  }

  async export(input: JobFilters & { jobId: string; format: ExportFormat }): Promise<ActivityExportResult> {
    const { jobId, format, ...filters } = input;
    const client = this.#options.accounts.client();
    const startedAt = new Date(this.#now());
    const fileName = exportFileName(format, startedAt);
    const { saveDialog } = this.#options;
    // Ask where first: nobody should wait for a long export only to be asked afterwards.
    const path = saveDialog ? await saveDialog(fileName) : undefined;
    if (saveDialog && !path) return { status: 'dismissed' };
    const maxBytes = this.#options.serveExportMaxBytes ?? SERVE_EXPORT_MAX_BYTES;

    // The file names the end it was read up to, so it says exactly which records it holds.
    const pinned: JobFilters = { ...filters, end_date: pinnedEnd(filters.end_date, startedAt.getTime()) };

    return this.#job(jobId, async (signal) => {
      const writer = new ExportWriter(format, pinned);
      const limit: { cap: ExportCap | null } = { cap: null };
      const run = await readPages({
        client,
        filters: pinned,
        maxPages: EXPORT_PAGES_MAX,
        signal,
        now: startedAt.getTime(),
        onPage: (records, info) => {
          writer.add(records);
          this.#progress(jobId, info.done, info.planned, info.records);
          if (!path && writer.bytes > maxBytes) {
            limit.cap = { reason: 'size', bytes: maxBytes };
            return false;
          }
          return true;
        },
      });
      const records = writer.records;
      if (run.cancelled) return { status: 'cancelled', records, pages: run.pagesRead };
      const cap: ExportCap | null = limit.cap ?? (run.pagesAvailable > EXPORT_PAGES_MAX ? { reason: 'pages', pages: EXPORT_PAGES_MAX } : null);
      const content = writer.finish(cap === null, startedAt);
      const counts = { records, pages: run.pagesRead, totalMatching: run.totalMatching, cap };
      if (path) {
        try {
          await writeFileAtomic(path, content);
        } catch (error) {
          throw new CoreError('STORAGE', `The export could not be written to ${path}: ${(error as Error).message}`, { cause: error });
        }
        return { status: 'saved', path, fileName: path.split(/[\\/]/).pop() ?? fileName, format, ...counts };
      }
      return { status: 'download', fileName, format, mimeType: MIME_TYPES[format], content, ...counts };
    });
  }
}
