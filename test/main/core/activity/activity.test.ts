import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTIVITY_RULES, type ActivityProgress } from '../../../../common/activity.js';
import type { ActivityRecord, PageMetadata } from '../../../../common/hoody-types.js';
import { HTTP_METHODS, RULES } from '../../../../common/rules.js';
import { ActivityService } from '../../../../main/core/activity/activity-service.js';
import { CSV_COLUMNS } from '../../../../main/core/activity/export-writer.js';
import { createCore, type Core, type CoreOptions } from '../../../../main/core/core.js';
import { okData } from '../../../support/core.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The activity log through the core's dispatcher against the sandbox over HTTP: every answer is
// compared with the sandbox's own answer to the same query, fetched directly.

const sandbox = useSandbox();
const tempDir = useTempDir();
const cores: Core[] = [];
afterEach(async () => {
  sandbox().faults.clear();
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

type Page = { records: ActivityRecord[]; metadata: PageMetadata };
const ACTIVITY_PATH = '/api/v1/users/auth/activity';
const DAY = 86_400_000;
const R1 = 'aa11aa11aa11aa11aa11aa11';
const R2 = 'bb22bb22bb22bb22bb22bb22';
const STATUSES = [200, 201, 204, 301, 304, 400, 401, 404, 429, 500, 503];
const iso = (ms: number) => new Date(ms).toISOString();

async function signedIn(options: { token?: string; userId?: string; dataDir?: string; core?: Partial<CoreOptions> } = {}) {
  const userId = options.userId ?? (await sandbox().admin.createUser()).id;
  const token = options.token ?? sandbox().admin.createApiToken({ userId }).token;
  const dataDir = options.dataDir ?? (await tempDir());
  const core = await createCore({ dataDir, mode: 'serve', version: 't', keychain: { unavailable: 'not under test here' }, engine: { sleep: async () => {} }, ...options.core });
  cores.push(core);
  const call = core.call;
  expect(await call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true })).toMatchObject({ ok: true });
  return { userId, token, core, call, dataDir };
}

const data = okData;

/** The sandbox's own answer to a query, fetched directly with the same token. */
async function direct(token: string, query: Record<string, string | number | undefined>): Promise<Page> {
  const url = new URL(`${sandbox().apiUrl}/users/auth/activity`);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: ActivityRecord[]; metadata: PageMetadata };
  return { records: body.data, metadata: body.metadata };
}

/** Every record the sandbox has for a query, page after page. */
async function directAll(token: string, query: Record<string, string | number | undefined>): Promise<ActivityRecord[]> {
  const all: ActivityRecord[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await direct(token, { ...query, page, limit: 100 });
    all.push(...answer.records);
    if (page >= answer.metadata.pages) return all;
  }
}

interface Seeded {
  path: string;
  method: string;
  status: number;
  realm: string;
  agent: string;
  at: number;
}

/** Records one every 90 minutes back from `t0` (about 9 days for 150), spread over methods, statuses and realms. */
function seed(userId: string, t0: number, count: number): Seeded[] {
  const agents = ['curl/8.7.1', 'Agent, with "quotes", commas\nand a line break', '=HYPERLINK("http://evil.example")', '-2+3', '@SUM(A1)', '+cmd'];
  const rows = Array.from({ length: count }, (_, i) => ({
    path: i % 4 === 0 ? `/api/v1/users/${(i * 7919).toString(16).padStart(24, '0')}` : i % 4 === 1 ? '/api/v1/vault/keys' : `/api/v1/vault/keys/key-${i % 3}`,
    method: HTTP_METHODS[i % HTTP_METHODS.length]!,
    status: STATUSES[i % STATUSES.length]!,
    realm: ['', R1, R2][i % 3]!,
    agent: agents[i % agents.length]!,
    at: t0 - i * 90 * 60_000,
  }));
  sandbox().admin.addActivity(rows.map((r) => ({ userId, path: r.path, method: r.method, statusCode: r.status, realmId: r.realm, userAgent: r.agent, createdAt: r.at })));
  return rows;
}

describe('one page of the log, filter by filter', () => {
  let user: Awaited<ReturnType<typeof signedIn>>;
  let t0: number;
  let seeded: Seeded[];
  beforeAll(async () => {
    user = await signedIn();
    t0 = Date.now() - 60_000;
    seeded = seed(user.userId, t0, 150);
  });

  const cases: Array<[string, () => Record<string, string | number>, (r: Seeded) => boolean]> = [
    ['no filter', () => ({}), () => true],
    ['errors only', () => ({ errors_only: 'true' }), (r) => r.status >= 400],
    ['errors_only=false', () => ({ errors_only: 'false' }), () => true],
    ['minimum and maximum status', () => ({ min_status: 300, max_status: 404 }), (r) => r.status >= 300 && r.status <= 404],
    ['errors only with a maximum status', () => ({ errors_only: 'true', max_status: 499 }), (r) => r.status >= 400 && r.status <= 499],
    ...HTTP_METHODS.map((method): [string, () => Record<string, string>, (r: Seeded) => boolean] => [`method ${method}`, () => ({ method }), (r) => r.method === method]),
    ['realm (typed in capitals)', () => ({ realm_id: R1.toUpperCase() }), (r) => r.realm === R1],
    ['start date', () => ({ start_date: iso(t0 - 3 * DAY) }), (r) => r.at >= t0 - 3 * DAY],
    ['date range', () => ({ start_date: iso(t0 - 5 * DAY), end_date: iso(t0 - 2 * DAY) }), (r) => r.at >= t0 - 5 * DAY && r.at <= t0 - 2 * DAY],
    ['everything at once', () => ({ start_date: iso(t0 - 8 * DAY), errors_only: 'true', min_status: 401, max_status: 503, method: 'GET', realm_id: R2 }), (r) => r.at >= t0 - 8 * DAY && r.status >= 401 && r.method === 'GET' && r.realm === R2],
  ];

  it.each(cases)('%s: the same records and totals as the sandbox gives', async (_name, query, keep) => {
    const q = { end_date: iso(t0), limit: 100, ...query() };
    const viaCore = data(await user.call('activity.query', q));
    const theirs = await direct(user.token, q);
    expect(viaCore.metadata).toEqual(theirs.metadata);
    expect(viaCore.records.map((r) => r.id)).toEqual(theirs.records.map((r) => r.id));
    expect(viaCore.records).toEqual(theirs.records);
    // And the sandbox's answer is the right one for what was seeded.
    const expected = seeded.filter(keep);
    expect(viaCore.metadata.total).toBe(expected.length);
    expect(viaCore.records.map((r) => r.created_at)).toEqual(expected.slice(0, 100).map((r) => iso(r.at)));
  });

  it('pages: the first, the last, past the end, and the limit at its bounds', async () => {
    const q = { end_date: iso(t0), limit: 10 };
    const first = data(await user.call('activity.query', { ...q, page: 1 }));
    expect(first.metadata).toEqual({ total: 150, page: 1, limit: 10, pages: 15 });
    expect(first.records.map((r) => r.created_at)).toEqual(seeded.slice(0, 10).map((r) => iso(r.at)));
    const last = data(await user.call('activity.query', { ...q, page: 15 }));
    expect(last.records.map((r) => r.created_at)).toEqual(seeded.slice(140).map((r) => iso(r.at)));
    expect(last).toEqual(await direct(user.token, { ...q, page: 15 }));
    const past = data(await user.call('activity.query', { ...q, page: 16 }));
    expect(past).toEqual({ records: [], metadata: { total: 150, page: 16, limit: 10, pages: 15 } });
    expect(data(await user.call('activity.query', { ...q, page: 10001 })).records).toEqual([]);
    const one = data(await user.call('activity.query', { end_date: iso(t0), limit: 1 }));
    expect(one.metadata).toEqual({ total: 150, page: 1, limit: 1, pages: 150 });
    const hundred = data(await user.call('activity.query', { end_date: iso(t0), limit: 100, page: 2 }));
    expect(hundred.records).toHaveLength(50);
  });

  it('refuses bad filters at their field, with the API rule, before sending anything', async () => {
    const tripwire = sandbox().faults.add({ path: ACTIVITY_PATH, status: 503, times: 1 });
    const refused: Array<[Record<string, unknown>, string, string]> = [
      [{ limit: 0 }, 'limit', RULES.limit],
      [{ limit: 101 }, 'limit', RULES.limit],
      [{ page: 0 }, 'page', RULES.page],
      [{ page: 10002 }, 'page', RULES.page],
      [{ min_status: 99 }, 'min_status', RULES.status],
      [{ max_status: 600 }, 'max_status', RULES.status],
      [{ min_status: 450.5 }, 'min_status', RULES.status],
      [{ method: 'HEAD' }, 'method', RULES.method],
      [{ realm_id: 'not-a-realm' }, 'realm_id', RULES.objectId],
      [{ start_date: 'yesterday' }, 'start_date', RULES.isoDate],
      [{ errors_only: 'yes' }, 'errors_only', RULES.errorsOnly],
      [{ min_status: 500, max_status: 400 }, 'max_status', ACTIVITY_RULES.statusOrder],
      [{ start_date: '2026-03-02T00:00:00Z', end_date: '2026-03-01' }, 'end_date', ACTIVITY_RULES.dateOrder],
    ];
    for (const [query, field, rule] of refused) {
      const result = await user.call('activity.query', query);
      expect(result, JSON.stringify(query)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { [field]: rule } } });
    }
    // A date-only end covers its whole day, so the same day is a valid range.
    expect(await user.call('activity.query', { start_date: '2026-03-01T10:00:00Z', end_date: '2026-03-01' })).toMatchObject({ ok: true });
    // That answer used the tripwire; none of the refusals reached the server.
    expect(sandbox().faults.list().some((f) => f.id === tripwire.id)).toBe(false);
  });

  it('gives an empty page, empty charts and an empty export for filters nothing matches', async () => {
    const none = { end_date: iso(t0), realm_id: 'cccccccccccccccccccccccc' };
    expect(data(await user.call('activity.query', none))).toEqual({ records: [], metadata: { total: 0, page: 1, limit: 50, pages: 0 } });
    const charts = data(await user.call('activity.chart', { ...none, jobId: 'empty-charts', pages: 5 }));
    expect(charts).toMatchObject({ status: 'done', recordsRead: 0, totalMatching: 0, complete: true, timeline: [], paths: [], methods: [], range: null });
    const csv = data(await user.call('activity.export', { ...none, jobId: 'empty-csv', format: 'csv' }));
    expect(csv).toMatchObject({ status: 'download', records: 0, cap: null });
    expect(parseCsv((csv as { content: string }).content)).toEqual([[...CSV_COLUMNS]]);
    const json = data(await user.call('activity.export', { ...none, jobId: 'empty-json', format: 'json' }));
    expect(JSON.parse((json as { content: string }).content)).toMatchObject({ records_count: 0, complete: true, records: [] });
  });

  it('retries a server that fails twice, and names a server that keeps failing', async () => {
    sandbox().faults.add({ path: ACTIVITY_PATH, status: 503, times: 2 });
    const q = { end_date: iso(t0), limit: 5 };
    expect(data(await user.call('activity.query', q))).toEqual(await direct(user.token, q));
    expect(sandbox().faults.list()).toEqual([]);

    sandbox().faults.add({ path: ACTIVITY_PATH, status: 500 });
    expect(await user.call('activity.query', q)).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR', status: 500, message: expect.any(String) } });
    expect(await user.call('activity.chart', { end_date: iso(t0), jobId: 'failing', pages: 2 })).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR', status: 500 } });
    sandbox().faults.clear();
    // The failed job's id is free again.
    expect(await user.call('activity.chart', { end_date: iso(t0), jobId: 'failing', pages: 1 })).toMatchObject({ ok: true, data: { status: 'done' } });
  });

  it('reads the statistics as the sandbox gives them', async () => {
    const stats = data(await user.call('activity.stats'));
    const response = await fetch(`${sandbox().apiUrl}/users/auth/activity/stats`, { headers: { Authorization: `Bearer ${user.token}` } });
    const theirs = ((await response.json()) as { data: Record<string, unknown> }).data;
    expect(stats).toMatchObject({ retention_days: 30, oldest_record: iso(seeded.at(-1)!.at) });
    // Each call logs one more record, so only the stable fields compare exactly.
    expect(stats.oldest_record).toBe(theirs.oldest_record);
    expect(stats.total_records).toBeGreaterThanOrEqual(150);
    expect(theirs.total_records).toBeGreaterThan(stats.total_records as number);
    expect(stats.total_size_bytes).toBeGreaterThan(0);
  });
});

describe('charts over several pages', () => {
  it('counts status classes, methods and busiest paths over every page, with progress', async () => {
    const user = await signedIn();
    const t0 = Date.now() - 60_000;
    const seeded = seed(user.userId, t0, 230);
    const progress: ActivityProgress[] = [];
    user.core.events.subscribe((event, payload) => event === 'activity.progress' && progress.push(payload as ActivityProgress));
    const charts = data(await user.call('activity.chart', { jobId: 'charts-1', end_date: iso(t0), pages: 10, utcOffsetMinutes: 0 }));
    expect(charts).toMatchObject({ status: 'done', pagesRead: 3, pagesPlanned: 3, recordsRead: 230, totalMatching: 230, complete: true, bucket: 'day', readUpTo: iso(t0) });
    expect(progress).toEqual([
      { jobId: 'charts-1', done: 1, total: 3, records: 100 },
      { jobId: 'charts-1', done: 2, total: 3, records: 200 },
      { jobId: 'charts-1', done: 3, total: 3, records: 230 },
    ]);
    const count = (keep: (r: Seeded) => boolean) => seeded.filter(keep).length;
    expect(charts.statusClasses).toEqual({
      '2xx': count((r) => r.status < 300),
      '3xx': count((r) => r.status >= 300 && r.status < 400),
      '4xx': count((r) => r.status >= 400 && r.status < 500),
      '5xx': count((r) => r.status >= 500),
      other: 0,
    });
    for (const method of HTTP_METHODS) expect(charts.methods.find((m) => m.method === method)?.count).toBe(count((r) => r.method === method));
    // The 24-hex user ids fold into one path.
    expect(charts.paths[0]).toEqual({ path: '/api/v1/users/:id', count: count((r) => r.path.startsWith('/api/v1/users/')), errors: count((r) => r.path.startsWith('/api/v1/users/') && r.status >= 400) });
    expect(charts.paths.map((p) => p.path).sort()).toEqual(['/api/v1/users/:id', '/api/v1/vault/keys', '/api/v1/vault/keys/key-0', '/api/v1/vault/keys/key-1', '/api/v1/vault/keys/key-2']);
    // Every record sits in one day of the timeline, and the days run without gaps.
    const perDay = charts.timeline.map((b) => b['2xx'] + b['3xx'] + b['4xx'] + b['5xx'] + b.other);
    expect(perDay.reduce((a, b) => a + b, 0)).toBe(230);
    for (let i = 1; i < charts.timeline.length; i += 1) expect(Date.parse(charts.timeline[i]!.start) - Date.parse(charts.timeline[i - 1]!.start)).toBe(DAY);
    expect(charts.range).toEqual({ from: iso(seeded.at(-1)!.at), to: iso(t0) });

    // Fewer pages than the log holds: the charts cover the newest records, and say so.
    const partial = data(await user.call('activity.chart', { jobId: 'charts-2', end_date: iso(t0), pages: 1 }));
    expect(partial).toMatchObject({ status: 'done', pagesRead: 1, pagesPlanned: 1, recordsRead: 100, totalMatching: 230, complete: false, range: { from: iso(seeded[99]!.at), to: iso(t0) } });
    // Two days or so of records come in hours.
    const hours = data(await user.call('activity.chart', { jobId: 'charts-3', start_date: iso(t0 - DAY), end_date: iso(t0), pages: 1 }));
    expect(hours.bucket).toBe('hour');
    expect(hours.recordsRead).toBe(count((r) => r.at >= t0 - DAY));
  });

  it('refuses a page count outside 1 to 50, and a job id in use', async () => {
    const user = await signedIn();
    expect(await user.call('activity.chart', { jobId: 'x', pages: 0 })).toMatchObject({ ok: false, error: { fields: { pages: ACTIVITY_RULES.chartPages } } });
    expect(await user.call('activity.chart', { jobId: 'x', pages: 51 })).toMatchObject({ ok: false, error: { fields: { pages: ACTIVITY_RULES.chartPages } } });
    expect(await user.call('activity.chart', { jobId: 'has spaces', pages: 1 })).toMatchObject({ ok: false, error: { fields: { jobId: ACTIVITY_RULES.jobId } } });
    // The first job's request is held 2 s at the server; the second asks once the first is there.
    const held = sandbox().faults.add({ path: ACTIVITY_PATH, latencyMs: 2000, times: 1 });
    const running = user.call('activity.chart', { jobId: 'same', pages: 1 });
    await vi.waitFor(() => expect(sandbox().faults.list().some((f) => f.id === held.id)).toBe(false), { timeout: 60_000, interval: 10 });
    expect(await user.call('activity.chart', { jobId: 'same', pages: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await running).toMatchObject({ ok: true });
    expect(await user.call('activity.cancel', { jobId: 'same' })).toEqual({ ok: true, data: { cancelled: false } });
  });
});

describe('cancelling a long job', () => {
  it('stops fetching at once and reports the cancellation, not a failure', async () => {
    const user = await signedIn();
    seed(user.userId, Date.now() - 60_000, 600);
    // Each page is held 1 s at the server: a cancel that waited for the page in flight would take that long.
    sandbox().faults.add({ path: ACTIVITY_PATH, latencyMs: 1000, times: 20 });
    let cancelledAt = 0;
    const progress: ActivityProgress[] = [];
    user.core.events.subscribe((event, payload) => {
      if (event !== 'activity.progress') return;
      progress.push(payload as ActivityProgress);
      if (progress.length === 1) {
        cancelledAt = Date.now();
        void user.call('activity.cancel', { jobId: 'export-1' }).then((r) => expect(r).toEqual({ ok: true, data: { cancelled: true } }));
      }
    });
    const result = await user.call('activity.export', { jobId: 'export-1', format: 'csv' });
    const took = Date.now() - cancelledAt;
    expect(result).toEqual({ ok: true, data: { status: 'cancelled', records: 100, pages: 1 } });
    expect(took).toBeLessThan(1000);
    expect(progress).toHaveLength(1);
    // Page 1 was read and page 2 was under way when the job stopped; nothing after that was asked for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sandbox().faults.list()[0]?.remaining).toBeGreaterThanOrEqual(18);

    // Charts cancelled midway keep what was read, marked as cancelled.
    const chartProgress: number[] = [];
    user.core.events.subscribe((event, payload) => {
      if (event !== 'activity.progress' || (payload as ActivityProgress).jobId !== 'charts-c') return;
      chartProgress.push((payload as ActivityProgress).done);
      if (chartProgress.length === 2) void user.call('activity.cancel', { jobId: 'charts-c' });
    });
    const charts = data(await user.call('activity.chart', { jobId: 'charts-c', pages: 6 }));
    expect(charts).toMatchObject({ status: 'cancelled', pagesRead: 2, recordsRead: 200, complete: false });
  });
});

describe('export', () => {
  let user: Awaited<ReturnType<typeof signedIn>>;
  let t0: number;
  let seeded: Seeded[];
  beforeAll(async () => {
    user = await signedIn();
    t0 = Date.now() - 60_000;
    seeded = seed(user.userId, t0, 345);
  });

  it('writes every filtered record to CSV over several pages, quoted and defused, with a retry on the way', async () => {
    sandbox().faults.add({ path: ACTIVITY_PATH, status: 503, times: 2 });
    const progress: ActivityProgress[] = [];
    user.core.events.subscribe((event, payload) => event === 'activity.progress' && progress.push(payload as ActivityProgress));
    const filters = { end_date: iso(t0), min_status: 200, max_status: 499 };
    const result = data(await user.call('activity.export', { ...filters, jobId: 'csv-1', format: 'csv' }));
    const expected = await directAll(user.token, filters);
    expect(expected.length).toBe(seeded.filter((r) => r.status <= 499).length);
    expect(result).toMatchObject({ status: 'download', format: 'csv', mimeType: 'text/csv;charset=utf-8', records: expected.length, pages: 3, totalMatching: expected.length, cap: null });
    expect((result as { fileName: string }).fileName).toMatch(/^hoody-activity-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3]);

    const content = (result as { content: string }).content;
    expect(content.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(content);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(expected.length);
    const defuse = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
    rows.forEach((row, i) => {
      const record = expected[i]!;
      expect(row).toHaveLength(CSV_COLUMNS.length);
      expect(row).toEqual(CSV_COLUMNS.map((c) => (record[c] === undefined ? '' : c === 'status_code' ? String(record[c]) : defuse(String(record[c])))));
    });
    const agents = new Set(rows.map((r) => r[6]));
    expect(agents).toContain('Agent, with "quotes", commas\nand a line break');
    expect(agents).toContain(`'=HYPERLINK("http://evil.example")`);
    expect(agents).toContain("'-2+3");
    expect(agents).toContain("'@SUM(A1)");
    expect(agents).toContain("'+cmd");
  });

  it('writes JSON with the filters and every record, while the log grows under it', async () => {
    // No end date: the export reads up to the moment it started, so its own calls never shift the pages.
    const result = data(await user.call('activity.export', { jobId: 'json-1', format: 'json', method: 'GET' }));
    expect(result).toMatchObject({ status: 'download', format: 'json', mimeType: 'application/json;charset=utf-8', cap: null });
    const file = JSON.parse((result as { content: string }).content) as { exported_at: string; filters: Record<string, unknown>; records_count: number; complete: boolean; records: ActivityRecord[] };
    expect(file.filters).toEqual({ method: 'GET', end_date: expect.any(String) });
    expect(Date.parse(file.exported_at)).toBe(Date.parse(file.filters.end_date as string));
    const expected = await directAll(user.token, file.filters as Record<string, string>);
    expect(file.records).toEqual(expected);
    expect(file.records_count).toBe(expected.length);
    expect(file.complete).toBe(true);
    expect(new Set(file.records.map((r) => r.id)).size).toBe(file.records.length);
    expect(file.records.filter((r) => r.path === '/api/v1/users/auth/activity').length).toBeGreaterThan(0);
  });

  it('in the desktop app asks where to save, writes the file there, and does nothing when dismissed', async () => {
    const folder = await tempDir();
    const asked: string[] = [];
    const desktop = await signedIn({
      token: user.token,
      userId: user.userId,
      core: { saveDialog: async (name) => (asked.push(name), asked.length === 1 ? undefined : join(folder, 'chosen.json')) },
    });
    expect(await desktop.call('activity.export', { jobId: 'd-1', format: 'json', end_date: iso(t0) })).toEqual({ ok: true, data: { status: 'dismissed' } });
    const saved = data(await desktop.call('activity.export', { jobId: 'd-2', format: 'json', end_date: iso(t0) }));
    expect(asked[0]).toMatch(/^hoody-activity-.*\.json$/);
    expect(saved).toMatchObject({ status: 'saved', path: join(folder, 'chosen.json'), fileName: 'chosen.json', records: 345, pages: 4, cap: null });
    expect(saved).not.toHaveProperty('content');
    const file = JSON.parse(await readFile(join(folder, 'chosen.json'), 'utf8')) as { records: ActivityRecord[] };
    expect(file.records.map((r) => r.created_at)).toEqual(seeded.map((r) => iso(r.at)));
  });

  it('stops at the size serve mode can hand over, and says so', async () => {
    const service = new ActivityService({ accounts: user.core.accounts, events: user.core.events, serveExportMaxBytes: 2_000 });
    const result = await service.export({ jobId: 'capped', format: 'csv', end_date: iso(t0) });
    expect(result).toMatchObject({ status: 'download', records: 100, pages: 1, totalMatching: 345, cap: { reason: 'size', bytes: 2_000 } });
    expect(parseCsv((result as { content: string }).content)).toHaveLength(101);
  });
});

describe('the last filters', () => {
  it('are kept per account across a restart, and checked like any input', async () => {
    const first = await signedIn();
    expect(data(await first.call('activity.loadFilters'))).toEqual({ filters: {}, pageSize: 25, saved: false });
    const preferences = { filters: { method: 'POST' as const, realm_id: R1.toUpperCase(), errors_only: 'true' as const, start_date: '2026-01-01T00:00:00.000Z' }, pageSize: 50 };
    expect(await first.call('activity.saveFilters', preferences)).toEqual({ ok: true, data: { ...preferences, filters: { ...preferences.filters, realm_id: R1 } } });
    expect(await first.call('activity.saveFilters', { filters: {}, pageSize: 5 })).toMatchObject({ ok: false, error: { fields: { pageSize: ACTIVITY_RULES.pageSize } } });
    expect(await first.call('activity.saveFilters', { filters: { min_status: 500, max_status: 200 }, pageSize: 10 })).toMatchObject({ ok: false, error: { fields: { 'filters.max_status': ACTIVITY_RULES.statusOrder } } });

    // A new core on the same folder (the app restarted), the same account signed in again.
    const again = await signedIn({ token: first.token, userId: first.userId, dataDir: first.dataDir });
    expect(data(await again.call('activity.loadFilters'))).toEqual({ filters: { ...preferences.filters, realm_id: R1 }, pageSize: 50, saved: true });

    // Another account on the same computer has its own.
    const other = await signedIn({ dataDir: first.dataDir });
    expect(data(await other.call('activity.loadFilters'))).toMatchObject({ filters: {}, saved: false });

    // A damaged file is put aside, and the defaults are used.
    const file = join(again.core.accounts.accountDataDir(again.core.accounts.active()!.id), 'activity-filters.json');
    await writeFile(file, '{ not json');
    expect(data(await again.call('activity.loadFilters'))).toEqual({ filters: {}, pageSize: 25, saved: false });
  });

  it('need a signed-in account', async () => {
    const core = await createCore({ dataDir: await tempDir(), mode: 'serve', version: 't', keychain: { unavailable: 'none' } });
    cores.push(core);
    expect(await core.dispatch('activity.loadFilters', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await core.dispatch('activity.query', {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});

/** RFC 4180, strictly: CRLF between records, quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        cell += text[i];
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted field at ${i}`);
        cell += text[i];
        i += 1;
      }
    }
    row.push(cell);
    if (text[i] === ',') {
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) {
      throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
    }
  }
  if (row.length) throw new Error('the last record does not end with CRLF');
  return rows;
}
