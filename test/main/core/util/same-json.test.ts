import { describe, expect, it } from 'vitest';
import { sameJson } from '../../../../main/core/util/same-json.js';

// The comparison a listing makes 10,000 times: it must agree with comparing the JSON texts, key
// order aside.

describe('sameJson', () => {
  it('finds parsed JSON the same in any key order, and different in any value, key, type or length', () => {
    const a = { hv: 1, kind: 'secret', size: 12, sealed: 'AAAA', list: [1, { x: null }] };
    expect(sameJson(a, JSON.parse('{"sealed":"AAAA","list":[1,{"x":null}],"size":12,"kind":"secret","hv":1}'))).toBe(true);
    expect(sameJson(a, { ...a, size: 13 })).toBe(false);
    expect(sameJson(a, { ...a, extra: 0 })).toBe(false);
    expect(sameJson({ ...a, extra: 0 }, a)).toBe(false);
    expect(sameJson(a, { ...a, list: [1] })).toBe(false);
    expect(sameJson(a, { ...a, list: { 0: 1, 1: { x: null } } })).toBe(false);
    expect(sameJson({ size: '12' }, { size: 12 })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });

  it('leaves out undefined members, as JSON.stringify does', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true);
  });
});
