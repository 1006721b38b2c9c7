import { statusClass, type ActivityCharts, type ActivityTimeBucket, type ChartBucket, type StatusClass } from '../../../common/activity.js';
import type { ActivityRecord } from '../../../common/hoody-types.js';

// The charts' numbers, computed in main from the pages a job read: requests over time by status
// class, the busiest paths (ids folded into `:id`), and the method mix.

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday; weeks start on Monday, four days later. */
const MONDAY_SHIFT_MS = 4 * DAY_MS;
export const TOP_PATHS = 10;

/** Mongo ids (24 hex), UUIDs and plain numbers in a path become `:id`, so calls on one resource group together. */
const ID_SEGMENT = /^(?:[0-9a-fA-F]{24}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+)$/;

export function normalisePath(path: string | undefined): string {
  if (!path) return '(no path)';
  const bare = path.split(/[?#]/)[0]!;
  return bare
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
    .join('/');
}

/** Hours for up to three days, days for up to half a year, weeks beyond. */
export function bucketFor(spanMs: number): ChartBucket {
  if (spanMs <= 3 * DAY_MS) return 'hour';
  if (spanMs <= 183 * DAY_MS) return 'day';
  return 'week';
}

/** The start of the bucket holding `time`, with days and weeks starting at local midnight (`offset` minutes east of UTC). */
export function bucketStart(time: number, bucket: ChartBucket, offsetMinutes = 0): number {
  const offset = offsetMinutes * 60_000;
  if (bucket === 'hour') return Math.floor(time / HOUR_MS) * HOUR_MS;
  if (bucket === 'day') return Math.floor((time + offset) / DAY_MS) * DAY_MS - offset;
  return Math.floor((time + offset - MONDAY_SHIFT_MS) / WEEK_MS) * WEEK_MS + MONDAY_SHIFT_MS - offset;
}

function nextBucket(start: number, bucket: ChartBucket): number {
  return start + (bucket === 'hour' ? HOUR_MS : bucket === 'day' ? DAY_MS : WEEK_MS);
}

const zeroClasses = (): Record<StatusClass, number> => ({ '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0 });

export type ChartNumbers = Pick<ActivityCharts, 'range' | 'bucket' | 'timeline' | 'paths' | 'otherPaths' | 'methods' | 'statusClasses'>;

/** Adds records page by page; `result` turns them into what the charts draw. */
export class ChartAccumulator {
  readonly #times: Array<{ time: number; cls: StatusClass }> = [];
  readonly #paths = new Map<string, { count: number; errors: number }>();
  readonly #methods = new Map<string, number>();
  readonly #classes = zeroClasses();
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(records: readonly ActivityRecord[]): void {
    for (const record of records) {
      this.#count += 1;
      const cls = statusClass(record.status_code);
      this.#classes[cls] += 1;
      const time = record.created_at ? Date.parse(record.created_at) : Number.NaN;
      if (!Number.isNaN(time)) this.#times.push({ time, cls });
      const path = normalisePath(record.path);
      const entry = this.#paths.get(path) ?? { count: 0, errors: 0 };
      entry.count += 1;
      if ((record.status_code ?? 0) >= 400) entry.errors += 1;
      this.#paths.set(path, entry);
      const method = record.method ? record.method.toUpperCase() : '(none)';
      this.#methods.set(method, (this.#methods.get(method) ?? 0) + 1);
    }
  }

  /**
   * `from`/`to` bound the time axis when known (the filters' dates when every record was read);
   * otherwise it spans the records read.
   */
  result(options: { from?: number | undefined; to?: number | undefined; utcOffsetMinutes?: number | undefined } = {}): ChartNumbers {
    const sortedPaths = [...this.#paths.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
    const paths = sortedPaths.slice(0, TOP_PATHS).map(([path, v]) => ({ path, count: v.count, errors: v.errors }));
    const otherPaths = sortedPaths.slice(TOP_PATHS).reduce((sum, [, v]) => sum + v.count, 0);
    const methods = [...this.#methods.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([method, count]) => ({ method, count }));
    const base = { paths, otherPaths, methods, statusClasses: { ...this.#classes } };

    if (this.#times.length === 0) return { ...base, range: null, bucket: 'day', timeline: [] };
    let min = Infinity;
    let max = -Infinity;
    for (const { time } of this.#times) {
      if (time < min) min = time;
      if (time > max) max = time;
    }
    const from = Math.min(options.from ?? min, min);
    const to = Math.max(options.to ?? max, max);
    const bucket = bucketFor(to - from);
    const offset = options.utcOffsetMinutes ?? 0;
    const timeline: ActivityTimeBucket[] = [];
    const index = new Map<number, ActivityTimeBucket>();
    for (let start = bucketStart(from, bucket, offset); start <= to; start = nextBucket(start, bucket)) {
      const row: ActivityTimeBucket = { start: new Date(start).toISOString(), ...zeroClasses() };
      timeline.push(row);
      index.set(start, row);
    }
    for (const { time, cls } of this.#times) index.get(bucketStart(time, bucket, offset))![cls] += 1;
    return { ...base, range: { from: new Date(from).toISOString(), to: new Date(to).toISOString() }, bucket, timeline };
  }
}
