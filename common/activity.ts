import { z } from 'zod';
import type { ActivityRecord, ActivityStats, PageMetadata } from './hoody-types.js';
import { ACTIVITY_LIMIT_MAX, ACTIVITY_PAGE_MAX, activityQuerySchema } from './rules.js';

// The activity log in the contract: input schemas and result types, spread into contract.ts.
// The per-field rules are the API's own (`activityQuerySchema` in rules.ts); this file adds only what
// the app needs on top: the two cross-field checks, the saved filters, and the long jobs.

/** Rules the API does not state but a person expects; reported at the second field of the pair. */
export const ACTIVITY_RULES = {
  statusOrder: 'must not be below the minimum status',
  dateOrder: 'must not be before the start date',
  pageSize: `must be a whole number from 10 to ${ACTIVITY_LIMIT_MAX}`,
  jobId: 'must be 1 to 64 letters, digits, hyphens or underscores',
  chartPages: 'must be a whole number from 1 to 50',
} as const;

export const ACTIVITY_PAGE_SIZES = [10, 25, 50, 100] as const;
export const ACTIVITY_PAGE_SIZE_MIN = 10;
export const ACTIVITY_PAGE_SIZE_DEFAULT = 25;
export const CHART_PAGES_MAX = 50;
export const CHART_PAGES_DEFAULT = 10;
/** Long jobs read pages of the API's largest size. */
export const JOB_PAGE_SIZE = ACTIVITY_LIMIT_MAX;
/** An export reads at most the API's own page ceiling. */
export const EXPORT_PAGES_MAX = ACTIVITY_PAGE_MAX;
export const AUTO_REFRESH_SECONDS = 30;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The last millisecond an `end_date` covers: a date-only end covers its whole (UTC) day, as the API reads it. */
export function endOfDate(date: string): number {
  const ms = Date.parse(date);
  return DATE_ONLY.test(date) ? ms + DAY_MS - 1 : ms;
}

interface Ordered {
  start_date?: string | undefined;
  end_date?: string | undefined;
  min_status?: number | undefined;
  max_status?: number | undefined;
}

/** The cross-field problems of a set of filters, by field (empty when there are none). */
export function orderProblems(value: Ordered): Record<string, string> {
  const problems: Record<string, string> = {};
  if (value.min_status !== undefined && value.max_status !== undefined && value.min_status > value.max_status) problems.max_status = ACTIVITY_RULES.statusOrder;
  if (value.start_date !== undefined && value.end_date !== undefined) {
    const start = Date.parse(value.start_date);
    const end = endOfDate(value.end_date);
    if (!Number.isNaN(start) && !Number.isNaN(end) && start > end) problems.end_date = ACTIVITY_RULES.dateOrder;
  }
  return problems;
}

function checkOrder(value: Ordered, ctx: z.RefinementCtx): void {
  for (const [field, message] of Object.entries(orderProblems(value))) ctx.addIssue({ code: 'custom', message, path: [field] });
}

/** The filters a person sets: the API's query without its paging. */
export const activityFilterShape = activityQuerySchema.omit({ page: true, limit: true });
export const activityFiltersSchema = activityFilterShape.superRefine(checkOrder);
export type ActivityFilters = z.input<typeof activityFilterShape>;

/** One page of the log: the API's query, with the cross-field checks. */
export const activityPageQuerySchema = activityQuerySchema.superRefine(checkOrder);

export const pageSizeSchema = z
  .number()
  .int({ error: ACTIVITY_RULES.pageSize })
  .min(ACTIVITY_PAGE_SIZE_MIN, { error: ACTIVITY_RULES.pageSize })
  .max(ACTIVITY_LIMIT_MAX, { error: ACTIVITY_RULES.pageSize });

/** What is kept per account between runs: the last filters applied and the page size. */
export const activityPreferencesSchema = z.strictObject({ filters: activityFiltersSchema, pageSize: pageSizeSchema });
export type ActivityPreferences = z.input<typeof activityPreferencesSchema>;
export const DEFAULT_ACTIVITY_PREFERENCES: ActivityPreferences = { filters: {}, pageSize: ACTIVITY_PAGE_SIZE_DEFAULT };

/** Chosen by the window, so it can cancel a job before the job's answer arrives. */
export const jobIdSchema = z.string().regex(/^[\w-]{1,64}$/, { error: ACTIVITY_RULES.jobId });

export const chartPagesSchema = z
  .number({ error: ACTIVITY_RULES.chartPages })
  .int({ error: ACTIVITY_RULES.chartPages })
  .min(1, { error: ACTIVITY_RULES.chartPages })
  .max(CHART_PAGES_MAX, { error: ACTIVITY_RULES.chartPages });

export const activityChartInputSchema = activityFilterShape
  .extend({
    jobId: jobIdSchema,
    pages: chartPagesSchema,
    /** Minutes to add to UTC for the person's local time (the opposite of Date#getTimezoneOffset), so days start at local midnight. */
    utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).optional(),
  })
  .superRefine(checkOrder);
export type ActivityChartInput = z.input<typeof activityChartInputSchema>;

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const activityExportInputSchema = activityFilterShape
  .extend({ jobId: jobIdSchema, format: z.enum(EXPORT_FORMATS, { error: 'must be csv or json' }) })
  .superRefine(checkOrder);
export type ActivityExportInput = z.input<typeof activityExportInputSchema>;

const noInput = z.undefined({ error: 'takes no input' }).or(z.strictObject({}));

export const activityInputSchemas = {
  'activity.query': activityPageQuerySchema,
  'activity.stats': noInput,
  'activity.loadFilters': noInput,
  'activity.saveFilters': activityPreferencesSchema,
  'activity.chart': activityChartInputSchema,
  'activity.export': activityExportInputSchema,
  'activity.cancel': z.strictObject({ jobId: jobIdSchema }),
} satisfies Record<string, z.ZodType>;

/** A status's class: 2xx, 3xx, 4xx, 5xx; `other` for 1xx and records without a status. */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx', 'other'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export function statusClass(status: number | undefined): StatusClass {
  if (status === undefined || status < 200 || status > 599) return 'other';
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

export type ChartBucket = 'hour' | 'day' | 'week';
export type ActivityTimeBucket = { start: string } & Record<StatusClass, number>;

/**
 * Charts computed in main from up to N pages of 100, newest first. When not every matching record
 * was read (`complete` false), the charts cover `range` only: the newest part of the filtered log.
 */
export interface ActivityCharts {
  status: 'done' | 'cancelled';
  pagesRead: number;
  /** Pages the job meant to read: the pages asked for, or fewer when the log has fewer. */
  pagesPlanned: number;
  recordsRead: number;
  /** Records matching the filters when the job started. */
  totalMatching: number;
  complete: boolean;
  /** The end every page was read up to (the job's start when the filters set none or a later one). */
  readUpTo: string;
  range: { from: string; to: string } | null;
  bucket: ChartBucket;
  timeline: ActivityTimeBucket[];
  /** The ten busiest paths, ids replaced by `:id`, with how many of their calls failed (status ≥ 400). */
  paths: Array<{ path: string; count: number; errors: number }>;
  /** Calls to every other path. */
  otherPaths: number;
  methods: Array<{ method: string; count: number }>;
  statusClasses: Record<StatusClass, number>;
}

/** Why an export stopped before the end of the filtered log. */
export type ExportCap = { reason: 'pages'; pages: number } | { reason: 'size'; bytes: number };

interface ExportCounts {
  records: number;
  pages: number;
  /** Records matching the filters when the export started. */
  totalMatching: number;
  /** Set when the export stopped at a limit rather than at the end of the log. */
  cap: ExportCap | null;
}

/**
 * `saved`: main wrote the file (desktop app). `download`: serve mode hands the content to the window.
 * JSON exports are one object: `{exported_at, filters, records_count, complete, records: [...]}` where
 * `filters` are the query as sent (with the end the export read up to) and each record is as the API gave it.
 */
export type ActivityExportResult =
  | ({ status: 'saved'; path: string; fileName: string; format: ExportFormat } & ExportCounts)
  | ({ status: 'download'; fileName: string; format: ExportFormat; mimeType: string; content: string } & ExportCounts)
  | { status: 'cancelled'; records: number; pages: number }
  | { status: 'dismissed' };

export interface ActivityResults {
  'activity.query': { records: ActivityRecord[]; metadata: PageMetadata };
  'activity.stats': ActivityStats;
  'activity.loadFilters': ActivityPreferences & { saved: boolean };
  'activity.saveFilters': ActivityPreferences;
  'activity.chart': ActivityCharts;
  'activity.export': ActivityExportResult;
  'activity.cancel': { cancelled: boolean };
}

/** Progress of a long job (charts over many pages, an export): pages fetched of the pages to fetch. */
export interface ActivityProgress {
  jobId: string;
  done: number;
  total: number;
  records: number;
}

export interface ActivityEventPayloads {
  'activity.progress': ActivityProgress;
}
