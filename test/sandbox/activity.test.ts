import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { HTTP_METHODS } from '../../common/rules.js';
import { hex24, useSandbox } from './client.js';

const box = useSandbox();
const api = box.api;

const DAY = 86_400_000;
const R1 = hex24(0x111);
const R2 = hex24(0x222);
const STATUSES = [200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 503];

interface Seeded {
  path: string;
  method: string;
  status: number;
  realm: string;
  at: number;
}

let token: string;
let userId: string;
/** Every seeded record lies before t0; each query is bounded by end_date = t0 so live calls do not count. */
let t0: number;
let seeded: Seeded[];

beforeAll(async () => {
  const user = await box.sandbox.admin.createUser();
  userId = user.id;
  token = box.sandbox.admin.createApiToken({ userId }).token;
  t0 = Date.now() - 1000;
  seeded = Array.from({ length: 150 }, (_, i) => ({
    path: `/api/v1/seeded/${i}`,
    method: HTTP_METHODS[i % HTTP_METHODS.length]!,
    status: STATUSES[i % STATUSES.length]!,
    realm: ['', R1, R2][i % 3]!,
    at: t0 - i * 90 * 60_000, // one every 90 minutes, about 9 days back
  }));
  const outsideRetention = Array.from({ length: 5 }, (_, i) => ({ path: `/api/v1/old/${i}`, method: 'GET', status: 200, realm: '', at: t0 - (40 + i) * DAY }));
  box.sandbox.admin.addActivity(
    [...seeded, ...outsideRetention].map((r) => ({ userId, path: r.path, method: r.method, statusCode: r.status, realmId: r.realm, createdAt: r.at })),
  );
});

const iso = (ms: number) => new Date(ms).toISOString();

async function activity(query: Record<string, string | number>) {
  return api('GET', '/users/auth/activity', { token, query: { end_date: iso(t0), ...query } });
}

describe('filters', () => {
  const dayOf = (ms: number) => iso(ms).slice(0, 10);
  const cases: [name: string, query: () => Record<string, string | number>, keep: (r: Seeded) => boolean][] = [
    ['no filter', () => ({}), () => true],
    ['errors_only=true', () => ({ errors_only: 'true' }), (r) => r.status >= 400],
    ['errors_only=false', () => ({ errors_only: 'false' }), () => true],
    ['min_status=400&max_status=499', () => ({ min_status: 400, max_status: 499 }), (r) => r.status >= 400 && r.status <= 499],
    ['min_status=500', () => ({ min_status: 500 }), (r) => r.status >= 500],
    ['max_status=299', () => ({ max_status: 299 }), (r) => r.status <= 299],
    ['errors_only with max_status=404', () => ({ errors_only: 'true', max_status: 404 }), (r) => r.status >= 400 && r.status <= 404],
    ...HTTP_METHODS.map((m) => [`method=${m}`, () => ({ method: m }), (r: Seeded) => r.method === m] as [string, () => Record<string, string>, (r: Seeded) => boolean]),
    ['realm_id (upper case)', () => ({ realm_id: R1.toUpperCase() }), (r) => r.realm === R1],
    ['a realm without records', () => ({ realm_id: hex24(0x999) }), () => false],
    ['start_date (3 days back)', () => ({ start_date: iso(t0 - 3 * DAY) }), (r) => r.at >= t0 - 3 * DAY],
    ['start_date and end_date', () => ({ start_date: iso(t0 - 5 * DAY), end_date: iso(t0 - 2 * DAY) }), (r) => r.at >= t0 - 5 * DAY && r.at <= t0 - 2 * DAY],
    [
      'date-only end_date (through that whole UTC day)',
      () => ({ end_date: dayOf(t0 - 4 * DAY) }),
      (r) => r.at <= Date.parse(dayOf(t0 - 4 * DAY)) + DAY - 1,
    ],
    ['date-only start_date (from midnight UTC)', () => ({ start_date: dayOf(t0 - 2 * DAY) }), (r) => r.at >= Date.parse(dayOf(t0 - 2 * DAY))],
    ['everything at once', () => ({ errors_only: 'true', method: 'DELETE', realm_id: R2 }), (r) => r.status >= 400 && r.method === 'DELETE' && r.realm === R2],
  ];

  it.each(cases)('%s', async (_name, query, keep) => {
    const expected = seeded.filter(keep).sort((a, b) => b.at - a.at);
    const res = await activity({ limit: 100, ...query() });
    expect(res.status).toBe(200);
    expect(res.body.metadata).toEqual({ total: expected.length, page: 1, limit: 100, pages: Math.ceil(expected.length / 100) });
    expect(res.body.data.map((r: { path: string }) => r.path)).toEqual(expected.slice(0, 100).map((r) => r.path));
  });

  it('answers the documented item shape, newest first', async () => {
    const res = await activity({ limit: 3 });
    expect(res.body.data[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      user_id: userId,
      realm_id: '',
      method: 'GET',
      path: '/api/v1/seeded/0',
      status_code: 200,
      ip_address: '127.0.0.1',
      user_agent: expect.any(String),
      created_at: iso(seeded[0]!.at),
    });
    expect(res.body.data.map((r: { created_at: string }) => r.created_at)).toEqual([0, 1, 2].map((i) => iso(seeded[i]!.at)));
  });
});

describe('paging', () => {
  it.each([
    ['defaults (page 1, limit 50)', {}, 1, 50, 50, 3],
    ['the last, partial page', { page: 4, limit: 40 }, 4, 40, 30, 4],
    ['one past the end', { page: 5, limit: 40 }, 5, 40, 0, 4],
    ['the highest page allowed', { page: 10001 }, 10001, 50, 0, 3],
    ['limit 1', { limit: 1 }, 1, 1, 1, 150],
    ['limit 100, page 2', { page: 2, limit: 100 }, 2, 100, 50, 2],
  ])('%s', async (_name, query, page, limit, count, pages) => {
    const res = await activity(query);
    expect(res.status).toBe(200);
    expect(res.body.metadata).toEqual({ total: 150, page, limit, pages });
    expect(res.body.data).toHaveLength(count);
    if (count > 0) {
      const newest = seeded.slice((page - 1) * limit, (page - 1) * limit + count);
      expect(res.body.data.map((r: { path: string }) => r.path)).toEqual(newest.map((r) => r.path));
    }
  });

  it('an empty log answers zero pages', async () => {
    const fresh = await box.sandbox.admin.createUser();
    const freshToken = box.sandbox.admin.createApiToken({ userId: fresh.id }).token;
    const res = await api('GET', '/users/auth/activity', { token: freshToken });
    expect(res.body).toMatchObject({ statusCode: 200, data: [], metadata: { total: 0, page: 1, limit: 50, pages: 0 } });
  });
});

describe('invalid queries', () => {
  it.each([
    ['page', '0'],
    ['page', '10002'],
    ['page', '1.5'],
    ['page', 'abc'],
    ['limit', '0'],
    ['limit', '101'],
    ['errors_only', 'yes'],
    ['errors_only', 'TRUE'],
    ['min_status', '99'],
    ['max_status', '600'],
    ['min_status', 'abc'],
    ['method', 'TRACE'],
    ['method', 'get'],
    ['realm_id', 'abc'],
    ['realm_id', 'z'.repeat(24)],
    ['start_date', 'yesterday'],
    ['end_date', '2026-13-45'],
    ['start_date', '26/11/2026'],
  ])('%s=%s → 400 at /%s', async (name, value) => {
    const res = await api('GET', '/users/auth/activity', { token, query: { [name]: value } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    expect(res.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ instancePath: `/${name}`, message: expect.any(String) })]));
  });

  it('refuses an unknown parameter', async () => {
    const res = await api('GET', '/users/auth/activity', { token, query: { sort: 'asc' } });
    expect(res.status).toBe(400);
    expect(res.body.data[0]).toMatchObject({ keyword: 'additionalProperties', params: { additionalProperty: 'sort' } });
  });

  it('needs a token', async () => {
    expect((await api('GET', '/users/auth/activity')).status).toBe(401);
    expect((await api('GET', '/users/auth/activity/stats')).status).toBe(401);
  });
});

describe('recording', () => {
  it('records every authenticated request: method, path without query, status, realm, ip and user agent', async () => {
    const u = await box.sandbox.admin.createUser();
    const t = box.sandbox.admin.createApiToken({ userId: u.id }).token;
    const ua = { 'user-agent': 'contract-test/1.0' };
    await api('GET', '/vault/keys', { token: t, query: { realm_id: R1.toUpperCase() }, headers: ua });
    await api('GET', '/vault/keys/missing', { token: t, headers: ua });
    await api('PUT', '/vault/keys/k', { token: t, body: { value: 'v' }, headers: ua });
    await api('PATCH', `/users/${u.id}`, { token: t, body: { alias: '' }, headers: ua });
    const first = await api('GET', '/users/auth/activity', { token: t });
    expect(first.body.data.map((r: Record<string, unknown>) => [r.method, r.path, r.status_code, r.realm_id])).toEqual([
      ['PATCH', `/api/v1/users/${u.id}`, 400, ''],
      ['PUT', '/api/v1/vault/keys/k', 201, ''],
      ['GET', '/api/v1/vault/keys/missing', 404, ''],
      ['GET', '/api/v1/vault/keys', 200, R1],
    ]);
    for (const r of first.body.data) expect(r).toMatchObject({ user_id: u.id, ip_address: '127.0.0.1', user_agent: 'contract-test/1.0' });

    // The activity endpoints are recorded as well.
    const second = await api('GET', '/users/auth/activity', { token: t, query: { limit: 2 } });
    expect(second.body.data[0]).toMatchObject({ method: 'GET', path: '/api/v1/users/auth/activity', status_code: 200 });
    expect(second.body.metadata.total).toBe(5);
  });

  it('records the realm named by Host and requests refused for permission', async () => {
    const u = await box.sandbox.admin.createUser();
    const t = box.sandbox.admin.createApiToken({ userId: u.id, vaultAccess: false }).token;
    const url = new URL(box.sandbox.apiUrl);
    await new Promise<void>((resolve, reject) => {
      httpRequest({ host: url.hostname, port: url.port, path: '/api/v1/vault/keys', headers: { host: `${R2}.localhost`, authorization: `Bearer ${t}` } }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    const res = await api('GET', '/users/auth/activity', { token: t });
    expect(res.body.data[0]).toMatchObject({ path: '/api/v1/vault/keys', realm_id: R2, status_code: 403 });
  });
});

describe('stats and retention', () => {
  it('counts only records inside the retention window and reports it', async () => {
    const res = await api('GET', '/users/auth/activity/stats', { token });
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(Object.keys(data).sort()).toEqual(['newest_record', 'oldest_record', 'retention_days', 'total_records', 'total_size_bytes']);
    expect(data.retention_days).toBe(30);
    expect(data.oldest_record).toBe(iso(seeded.at(-1)!.at));
    expect(data.total_records).toBeGreaterThanOrEqual(150);
    expect(data.total_size_bytes).toBeGreaterThan(data.total_records * 50);
    const all = await api('GET', '/users/auth/activity', { token, query: { limit: 1 } });
    // The stats call itself is now recorded too.
    expect(all.body.metadata.total).toBe(data.total_records + 1);
    expect(Date.parse(all.body.data[0].created_at)).toBeGreaterThanOrEqual(Date.parse(data.newest_record));
  });

  it('never returns records older than the window, and prunes them', async () => {
    const old = await api('GET', '/users/auth/activity', { token, query: { start_date: iso(t0 - 60 * DAY), end_date: iso(t0 - 35 * DAY) } });
    expect(old.body.metadata.total).toBe(0);
    expect(box.sandbox.admin.pruneActivity()).toBe(5);
    expect(box.sandbox.admin.pruneActivity()).toBe(0);
  });

  it('stats of a user with no records', async () => {
    const fresh = await box.sandbox.admin.createUser();
    const t = box.sandbox.admin.createApiToken({ userId: fresh.id }).token;
    const res = await api('GET', '/users/auth/activity/stats', { token: t });
    expect(res.body.data).toEqual({ total_size_bytes: 0, total_records: 0, oldest_record: null, newest_record: null, retention_days: 30 });
  });
});

describe('a shorter retention window', () => {
  const short = useSandbox({ retentionDays: 7 });
  it('applies retentionDays to queries and stats', async () => {
    const u = await short.sandbox.admin.createUser();
    const t = short.sandbox.admin.createApiToken({ userId: u.id }).token;
    const now = Date.now() - 1000;
    short.sandbox.admin.addActivity([6, 8].map((days) => ({ userId: u.id, createdAt: now - days * DAY })));
    const res = await short.api('GET', '/users/auth/activity/stats', { token: t });
    expect(res.body.data).toMatchObject({ total_records: 1, retention_days: 7, oldest_record: iso(now - 6 * DAY) });
  });
});
