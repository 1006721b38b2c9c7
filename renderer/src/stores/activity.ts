import { create } from 'zustand';
import {
  ACTIVITY_PAGE_SIZE_DEFAULT,
  CHART_PAGES_DEFAULT,
  type ActivityCharts,
  type ActivityFilters,
  type ActivityProgress,
  type ExportFormat,
} from '../../../common/activity.js';
import type { AppError } from '../../../common/errors.js';
import type { ActivityRecord, ActivityStats, PageMetadata } from '../../../common/hoody-types.js';
import { hoody } from '../lib/hoody.js';
import { downloadFile } from '../views/activity/download.js';

// The activity view's state: the applied filters (kept per account in main), the current page, the
// statistics, and the two long jobs (charts, export), each with its progress and cancel.

export type SortKey = 'time' | 'method' | 'path' | 'status' | 'realm' | 'ip';
export type JobKind = 'chart' | 'export';

export interface Job {
  jobId: string;
  done: number;
  total: number;
  records: number;
  cancelling: boolean;
  /** What the export makes, for its label. */
  format?: ExportFormat;
}

export interface Outcome {
  tone: 'info' | 'warning' | 'error';
  text: string;
}

interface ActivityStore {
  accountId: string | undefined;
  /** The saved filters are loaded (until then nothing is queried). */
  ready: boolean;
  filters: ActivityFilters;
  pageSize: number;
  page: number;
  result: { records: ActivityRecord[]; metadata: PageMetadata } | undefined;
  loading: boolean;
  error: AppError | undefined;
  /** When the shown page was fetched: the "now" that relative times are counted from. */
  loadedAt: number;
  sort: { key: SortKey; descending: boolean };
  stats: ActivityStats | undefined;
  statsError: AppError | undefined;
  autoRefresh: boolean;
  notice: Outcome | undefined;
  chartPages: number;
  chartJob: Job | undefined;
  charts: ActivityCharts | undefined;
  chartsError: AppError | undefined;
  exportJob: Job | undefined;
  exportOutcome: Outcome | undefined;
  open(accountId: string): Promise<void>;
  apply(filters: ActivityFilters): Promise<void>;
  setPageSize(pageSize: number): Promise<void>;
  goTo(page: number): Promise<void>;
  refresh(options?: { quiet?: boolean }): Promise<void>;
  loadStats(): Promise<void>;
  setSort(key: SortKey): void;
  setAutoRefresh(on: boolean): void;
  setChartPages(pages: number): void;
  buildCharts(): Promise<void>;
  exportLog(format: ExportFormat): Promise<void>;
  cancel(kind: JobKind): Promise<void>;
  progress(update: ActivityProgress): void;
}

const DEFAULT_SORT = { key: 'time' as SortKey, descending: true };

const initial = {
  accountId: undefined,
  ready: false,
  filters: {},
  pageSize: ACTIVITY_PAGE_SIZE_DEFAULT,
  page: 1,
  result: undefined,
  loading: false,
  error: undefined,
  loadedAt: 0,
  sort: DEFAULT_SORT,
  stats: undefined,
  statsError: undefined,
  autoRefresh: false,
  notice: undefined,
  chartPages: CHART_PAGES_DEFAULT,
  chartJob: undefined,
  charts: undefined,
  chartsError: undefined,
  exportJob: undefined,
  exportOutcome: undefined,
};

let querySeq = 0;

function newJobId(): string {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `job-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

export const useActivity = create<ActivityStore>()((set, get) => ({
  ...initial,

  async open(accountId) {
    if (get().accountId !== accountId) {
      querySeq += 1;
      // The previous account's jobs are of no use to this one: stop them reading its log.
      for (const job of [get().chartJob, get().exportJob]) if (job) void hoody().activity.cancel({ jobId: job.jobId });
      set({ ...initial, accountId });
    }
    const saved = await hoody().activity.loadFilters();
    if (get().accountId !== accountId) return;
    if (saved.ok) set({ filters: saved.data.filters, pageSize: saved.data.pageSize });
    else set({ notice: { tone: 'warning', text: `The last filters could not be read: ${saved.error.message}` } });
    set({ ready: true });
    await Promise.all([get().refresh(), get().loadStats()]);
  },

  async apply(filters) {
    set({ filters, page: 1, charts: undefined, chartsError: undefined });
    await Promise.all([save(), get().refresh(), get().loadStats()]);
  },

  async setPageSize(pageSize) {
    // Keep the first record of the current page in view.
    const { page, pageSize: old } = get();
    set({ pageSize, page: Math.floor(((page - 1) * old) / pageSize) + 1 });
    await Promise.all([save(), get().refresh()]);
  },

  async goTo(page) {
    set({ page });
    await get().refresh();
  },

  async refresh(options = {}) {
    const { filters, page, pageSize, accountId } = get();
    const seq = ++querySeq;
    set(options.quiet ? {} : { loading: true, error: undefined });
    const result = await hoody().activity.query({ ...filters, page, limit: pageSize });
    if (seq !== querySeq || get().accountId !== accountId) return;
    if (result.ok) set({ result: result.data, loading: false, error: undefined, loadedAt: Date.now() });
    else if (options.quiet && get().result) set({ loading: false, notice: { tone: 'warning', text: `Auto-refresh failed: ${result.error.message}` } });
    else set({ loading: false, error: result.error });
    if (options.quiet) void get().loadStats();
  },

  async loadStats() {
    const accountId = get().accountId;
    const result = await hoody().activity.stats();
    if (get().accountId !== accountId) return;
    set(result.ok ? { stats: result.data, statsError: undefined } : { statsError: result.error });
  },

  setSort: (key) => set(({ sort }) => ({ sort: { key, descending: sort.key === key ? !sort.descending : key === 'time' || key === 'status' } })),
  setAutoRefresh: (autoRefresh) => set({ autoRefresh }),
  setChartPages: (chartPages) => set({ chartPages }),

  async buildCharts() {
    const { filters, chartPages, accountId } = get();
    const jobId = newJobId();
    set({ chartJob: { jobId, done: 0, total: 0, records: 0, cancelling: false }, chartsError: undefined });
    const result = await hoody().activity.chart({ ...filters, jobId, pages: chartPages, utcOffsetMinutes: -new Date().getTimezoneOffset() });
    if (get().accountId !== accountId) return;
    set(result.ok ? { charts: result.data, chartJob: undefined } : { chartsError: result.error, chartJob: undefined });
  },

  async exportLog(format) {
    const { filters, accountId } = get();
    const jobId = newJobId();
    set({ exportJob: { jobId, done: 0, total: 0, records: 0, cancelling: false, format }, exportOutcome: undefined });
    const result = await hoody().activity.export({ ...filters, jobId, format });
    if (get().accountId !== accountId) return;
    set({ exportJob: undefined });
    if (!result.ok) return set({ exportOutcome: { tone: 'error', text: `The export failed: ${result.error.message}` } });
    const data = result.data;
    if (data.status === 'dismissed') return;
    if (data.status === 'cancelled') {
      return set({ exportOutcome: { tone: 'info', text: `Export cancelled after ${plural(data.pages, 'page')} (${plural(data.records, 'record')}); no file was saved.` } });
    }
    if (data.status === 'download') downloadFile(data.fileName, data.mimeType, data.content);
    const where = data.status === 'saved' ? `Saved ${plural(data.records, 'record')} to ${data.path}.` : `Downloaded ${data.fileName} with ${plural(data.records, 'record')}.`;
    const cap =
      data.cap?.reason === 'pages'
        ? ` The log has more than the API serves (${data.cap.pages.toLocaleString()} pages of 100): only the newest ${plural(data.records, 'record')} of ${data.totalMatching.toLocaleString()} are in the file. Narrow the dates to export the rest.`
        : data.cap?.reason === 'size'
          ? ` The export stopped at ${Math.round(data.cap.bytes / 1024 / 1024)} MB, the most this window can take in serve mode: ${plural(data.records, 'record')} of ${data.totalMatching.toLocaleString()} are in the file. Narrow the dates, or use the desktop app.`
          : '';
    set({ exportOutcome: { tone: cap ? 'warning' : 'info', text: where + cap } });
  },

  async cancel(kind) {
    const job = kind === 'chart' ? get().chartJob : get().exportJob;
    if (!job) return;
    const mark = { ...job, cancelling: true };
    set(kind === 'chart' ? { chartJob: mark } : { exportJob: mark });
    await hoody().activity.cancel({ jobId: job.jobId });
  },

  progress(update) {
    const { chartJob, exportJob } = get();
    const apply = (job: Job | undefined) => (job && job.jobId === update.jobId ? { ...job, done: update.done, total: update.total, records: update.records } : undefined);
    const chart = apply(chartJob);
    if (chart) return set({ chartJob: chart });
    const exp = apply(exportJob);
    if (exp) set({ exportJob: exp });
  },
}));

async function save(): Promise<void> {
  const { filters, pageSize } = useActivity.getState();
  const result = await hoody().activity.saveFilters({ filters, pageSize });
  if (!result.ok) useActivity.setState({ notice: { tone: 'warning', text: `These filters work, but could not be kept for next time: ${result.error.message}` } });
}

export function followActivityProgress(): () => void {
  return hoody().on('activity.progress', (update) => useActivity.getState().progress(update));
}

/** The page's records in the chosen order (sorting reorders the page shown, not the whole log). */
export function sortRecords(records: ActivityRecord[], sort: { key: SortKey; descending: boolean }): ActivityRecord[] {
  const value: Record<SortKey, (r: ActivityRecord) => string | number> = {
    time: (r) => (r.created_at ? Date.parse(r.created_at) : 0),
    method: (r) => r.method ?? '',
    path: (r) => r.path ?? '',
    status: (r) => r.status_code ?? 0,
    realm: (r) => r.realm_id ?? '',
    ip: (r) => r.ip_address ?? '',
  };
  const get = value[sort.key];
  // A stable sort, so equal keys keep the server's (newest first) order.
  const sorted = records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => {
      const x = get(a.record);
      const y = get(b.record);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return (sort.descending ? -c : c) || a.index - b.index;
    });
  return sorted.map((s) => s.record);
}
