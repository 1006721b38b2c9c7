import { describe, expect, it } from 'vitest';
import { statusClass } from '../../../../common/activity.js';
import { bucketFor, bucketStart, ChartAccumulator, normalisePath } from '../../../../main/core/activity/aggregate.js';
import { csvCell, ExportWriter } from '../../../../main/core/activity/export-writer.js';
import { pinnedEnd } from '../../../../main/core/activity/pages.js';

// The pure parts of the activity jobs: path folding, time buckets, CSV cells, the pinned end.

describe('path folding', () => {
  it('folds ids, UUIDs and numbers into :id and drops the query', () => {
    expect(normalisePath('/api/v1/users/507f1f77bcf86cd799439011')).toBe('/api/v1/users/:id');
    expect(normalisePath('/api/v1/users/507F1F77BCF86CD799439011/')).toBe('/api/v1/users/:id/');
    expect(normalisePath('/api/v1/things/123e4567-e89b-12d3-a456-426614174000/parts/42?x=1')).toBe('/api/v1/things/:id/parts/:id');
    expect(normalisePath('/api/v1/vault/keys/deploy-token')).toBe('/api/v1/vault/keys/deploy-token');
    expect(normalisePath(undefined)).toBe('(no path)');
  });
});

describe('time buckets', () => {
  const t = Date.parse('2026-03-04T22:30:00Z'); // a Wednesday
  it('picks hours, days or weeks by the span', () => {
    expect(bucketFor(2 * 86_400_000)).toBe('hour');
    expect(bucketFor(30 * 86_400_000)).toBe('day');
    expect(bucketFor(400 * 86_400_000)).toBe('week');
  });
  it('starts days at local midnight and weeks on Monday', () => {
    expect(new Date(bucketStart(t, 'hour')).toISOString()).toBe('2026-03-04T22:00:00.000Z');
    expect(new Date(bucketStart(t, 'day')).toISOString()).toBe('2026-03-04T00:00:00.000Z');
    // At UTC+2 it is already 00:30 on Thursday the 5th, which began at 22:00 UTC.
    expect(new Date(bucketStart(t, 'day', 120)).toISOString()).toBe('2026-03-04T22:00:00.000Z');
    expect(new Date(bucketStart(t, 'week')).toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });
  it('counts records without a time or status where they belong', () => {
    const acc = new ChartAccumulator();
    acc.add([{ path: '/a', method: 'get', status_code: 404, created_at: '2026-03-04T10:00:00Z' }, { status_code: 102 }, {}]);
    const result = acc.result();
    expect(result.statusClasses).toEqual({ '2xx': 0, '3xx': 0, '4xx': 1, '5xx': 0, other: 2 });
    expect(result.methods).toEqual([{ method: '(none)', count: 2 }, { method: 'GET', count: 1 }]);
    expect(result.paths[0]).toEqual({ path: '(no path)', count: 2, errors: 0 });
    expect(result.timeline).toHaveLength(1);
    expect(statusClass(599)).toBe('5xx');
  });
});

describe('CSV cells', () => {
  it('quotes as RFC 4180 says and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-cmd,x')).toBe(`"'-cmd,x"`);
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell(404)).toBe('404');
    expect(csvCell(undefined)).toBe('');
  });
  it('writes valid JSON with and without records', () => {
    const empty = new ExportWriter('json', { method: 'GET' });
    expect(JSON.parse(empty.finish(true, new Date(0)))).toEqual({ exported_at: '1970-01-01T00:00:00.000Z', filters: { method: 'GET' }, records_count: 0, complete: true, records: [] });
    const two = new ExportWriter('json', {});
    two.add([{ id: 'a' }]);
    two.add([{ id: 'b', path: '/x"y' }]);
    expect(JSON.parse(two.finish(false, new Date(0)))).toMatchObject({ records_count: 2, complete: false, records: [{ id: 'a' }, { id: 'b', path: '/x"y' }] });
  });
});

describe('the end a job reads up to', () => {
  const now = Date.parse('2026-03-04T12:00:00Z');
  it('is now, unless the filters end earlier', () => {
    expect(pinnedEnd(undefined, now)).toBe('2026-03-04T12:00:00.000Z');
    expect(pinnedEnd('2026-03-01T00:00:00Z', now)).toBe('2026-03-01T00:00:00Z');
    expect(pinnedEnd('2026-03-03', now)).toBe('2026-03-03');
    expect(pinnedEnd('2026-03-04', now)).toBe('2026-03-04T12:00:00.000Z');
    expect(pinnedEnd('2027-01-01T00:00:00Z', now)).toBe('2026-03-04T12:00:00.000Z');
  });
});
