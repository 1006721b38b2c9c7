import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VaultItem } from '../../common/vault.js';
import { EntryIndex, entryIndex, type EntrySort, type SortKey } from '../../renderer/src/lib/entry-order.js';

// The vault list's order and search (renderer/src/lib/entry-order.ts): what a user sees must not
// depend on the order the server listed the keys in, and searching must find exactly what the plain
// definition finds (the name, the notes or the file name contains the text, case ignored).

const item = (key: string, size = 0, updatedAt = '2026-11-01T00:00:00Z', notes = '', filename?: string): VaultItem => ({
  key,
  realmId: '',
  kind: filename ? 'file' : 'secret',
  format: 'hv1',
  notes,
  size,
  storedBytes: size,
  createdAt: updatedAt,
  updatedAt,
  ...(filename ? { filename } : {}),
});

const keys = (items: VaultItem[]) => items.map((e) => e.key);
const SORTS: EntrySort[] = (['name', 'size', 'updated'] as SortKey[]).flatMap((key) => [
  { key, descending: false },
  { key, descending: true },
]);

describe('entry order', () => {
  it('puts names that differ only in case in one order, whatever order the server sent them in', () => {
    const a = [item('api'), item('API'), item('Api')];
    const b = [item('API'), item('Api'), item('api')];
    const sort: EntrySort = { key: 'name', descending: false };
    expect(keys(new EntryIndex(a).visible('', sort))).toEqual(keys(new EntryIndex(b).visible('', sort)));
    expect(keys(new EntryIndex(a).visible('', sort))).toEqual(['API', 'Api', 'api']);
  });

  it('orders names with numbers as numbers, ignoring case and accents', () => {
    const list = [item('key-10'), item('Key-9'), item('éclair'), item('eclair-2'), item('zeta')];
    expect(keys(new EntryIndex(list).visible('', { key: 'name', descending: false }))).toEqual(['éclair', 'eclair-2', 'Key-9', 'key-10', 'zeta']);
    expect(keys(new EntryIndex(list).visible('', { key: 'name', descending: true }))).toEqual(['zeta', 'key-10', 'Key-9', 'eclair-2', 'éclair']);
  });

  it('orders equal sizes and equal dates by name, ascending either way', () => {
    const list = [item('c', 5, '2026-11-02T00:00:00Z'), item('a', 5, '2026-11-02T00:00:00Z'), item('b', 9, '2026-11-01T00:00:00Z')];
    const index = new EntryIndex(list);
    expect(keys(index.visible('', { key: 'size', descending: false }))).toEqual(['a', 'c', 'b']);
    expect(keys(index.visible('', { key: 'size', descending: true }))).toEqual(['b', 'a', 'c']);
    expect(keys(index.visible('', { key: 'updated', descending: false }))).toEqual(['b', 'a', 'c']);
    expect(keys(index.visible('', { key: 'updated', descending: true }))).toEqual(['a', 'c', 'b']);
  });

  it('orders by the instant, not the text, of the last change, and puts an unreadable date oldest', () => {
    const list = [item('late', 0, '2026-11-01T10:00:00+02:00'), item('early', 0, '2026-11-01T09:00:00Z'), item('broken', 0, 'not a date')];
    expect(keys(new EntryIndex(list).visible('', { key: 'updated', descending: false }))).toEqual(['broken', 'late', 'early']);
  });

  it('gives the same list for every order the server may send, in every sort order', () => {
    const entry = fc.record({
      key: fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/),
      size: fc.integer({ min: 0, max: 4 }),
      day: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.key, maxLength: 30 }), fc.nat(), (raw, seed) => {
        const list = raw.map((e) => item(e.key, e.size, `2026-11-0${e.day}T00:00:00Z`));
        const shuffled = [...list].sort((a, b) => ((hash(a.key, seed) - hash(b.key, seed)) | 0));
        for (const sort of SORTS) expect(keys(new EntryIndex(shuffled).visible('', sort))).toEqual(keys(new EntryIndex(list).visible('', sort)));
      }),
    );
  });
});

describe('entry search', () => {
  const list = [
    item('beta', 30, '2026-11-02T00:00:00Z', 'Second'),
    item('alpha-10', 10, '2026-11-03T00:00:00Z', 'has the NEEDLE'),
    item('alpha-9', 20, '2026-11-01T00:00:00Z', '', 'Needle.TXT'),
  ];

  it('finds the text in names, notes and file names, case and surrounding spaces ignored, in the chosen order', () => {
    const index = new EntryIndex(list);
    expect(keys(index.visible('needle', { key: 'name', descending: false }))).toEqual(['alpha-9', 'alpha-10']);
    expect(keys(index.visible('needle', { key: 'size', descending: true }))).toEqual(['alpha-9', 'alpha-10']);
    expect(keys(index.visible('  BETA ', { key: 'name', descending: false }))).toEqual(['beta']);
    expect(index.visible('nothing', { key: 'name', descending: false })).toEqual([]);
  });

  it('finds the same as a fresh search when typing on, deleting, and typing something else, in any order', () => {
    const text = fc.stringMatching(/^[abAB -]{0,5}$/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ key: fc.stringMatching(/^[ab-]{1,5}$/), notes: text }), { selector: (e) => e.key, maxLength: 20 }), fc.array(fc.tuple(text, fc.constantFrom(...SORTS)), { maxLength: 8 }), (raw, searches) => {
        const listed = raw.map((e) => item(e.key, e.key.length, '2026-11-01T00:00:00Z', e.notes));
        const typing = new EntryIndex(listed);
        for (const [search, sort] of searches) expect(keys(typing.visible(search, sort))).toEqual(keys(new EntryIndex(listed).visible(search, sort)));
      }),
    );
    const index = new EntryIndex(list);
    const sort: EntrySort = { key: 'name', descending: false };
    const typed = ['n', 'ne', 'nee', 'ne', 'nE', 'sec', 'e', 'eta'].map((search) => keys(index.visible(search, sort)));
    expect(typed).toEqual([['alpha-9', 'alpha-10', 'beta'], ['alpha-9', 'alpha-10'], ['alpha-9', 'alpha-10'], ['alpha-9', 'alpha-10'], ['alpha-9', 'alpha-10'], ['beta'], ['alpha-9', 'alpha-10', 'beta'], ['beta']]);
  });

  it('does not match text that runs across two fields', () => {
    const index = new EntryIndex([item('abc', 0, '2026-11-01T00:00:00Z', 'def', 'ghi')]);
    expect(index.visible('cd', { key: 'name', descending: false })).toEqual([]);
    expect(index.visible('c\nd', { key: 'name', descending: false })).toEqual([]);
    expect(index.visible('efg', { key: 'name', descending: false })).toEqual([]);
    expect(index.visible('c\0d', { key: 'name', descending: false })).toEqual([]);
    expect(keys(new EntryIndex([item('a\0b')]).visible('a\0b', { key: 'name', descending: false }))).toEqual(['a\0b']);
  });

  it('finds one and two letters by the letters each entry has, next to each other and inside one part only', () => {
    const list = [item('s-e', 0, '2026-11-01T00:00:00Z', 'es'), item('ab', 0, '2026-11-01T00:00:00Z', 'cd', 'x.se'), item('no', 0, '2026-11-01T00:00:00Z', 's', 'e')];
    const index = new EntryIndex(list);
    const sort: EntrySort = { key: 'name', descending: false };
    expect(keys(index.visible('se', sort))).toEqual(['ab']);
    expect(keys(index.visible('es', sort))).toEqual(['s-e']);
    expect(keys(index.visible('bc', sort))).toEqual([]);
    expect(keys(index.visible('s', sort))).toEqual(['ab', 'no', 's-e']);
    expect(keys(index.visible('S-E', sort))).toEqual(['s-e']);
    // Three letters: having each pair (ab, bc) is not containing them in a row.
    expect(keys(new EntryIndex([item('ab-bc'), item('xabcx')]).visible('abc', sort))).toEqual(['xabcx']);
  });

  it('finds what the plain definition finds with every letter, through typing on', () => {
    const text = fc.stringMatching(/^[a-z ]{0,12}$/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ key: fc.stringMatching(/^[a-z]{1,6}$/), notes: text }), { selector: (e) => e.key, maxLength: 25 }), fc.stringMatching(/^[a-z]{1,4}$/), (raw, search) => {
        const listed = raw.map((e) => item(e.key, 0, '2026-11-01T00:00:00Z', e.notes));
        const index = new EntryIndex(listed);
        const sort: EntrySort = { key: 'name', descending: false };
        for (let n = 1; n <= search.length; n += 1) {
          const needle = search.slice(0, n);
          const expected = index.visible('', sort).filter((e) => e.key.includes(needle) || e.notes.includes(needle));
          expect(keys(index.visible(needle, sort))).toEqual(keys(expected));
        }
      }),
    );
  });

  it('gives the unfiltered array itself when every entry matches, so the list sees no new entries', () => {
    const index = new EntryIndex([item('sa'), item('sb', 0, '2026-11-01T00:00:00Z', 'notes')]);
    const sort: EntrySort = { key: 'name', descending: false };
    const all = index.visible('', sort);
    expect(index.visible('s', sort)).toBe(all);
    expect(index.visible('s ', sort)).toBe(all);
    expect(keys(index.visible('sb', sort))).toEqual(['sb']);
  });

  it('finds exactly what the plain definition finds, in the same order as the unfiltered list', () => {
    // Letters (one-letter searches are answered from each entry's letters), others that are not, and
    // line breaks and NULs (the parts are joined by a NUL in the index: no match may run across).
    const text = fc.stringMatching(/^[abzAB é.\n\0-]{0,6}$/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ key: fc.stringMatching(/^[abAB.-]{1,6}$/), notes: text, file: fc.option(text, { nil: undefined }) }), { selector: (e) => e.key, maxLength: 20 }), text, (raw, search) => {
        const listed = raw.map((e) => item(e.key, 0, '2026-11-01T00:00:00Z', e.notes, e.file || undefined));
        const needle = search.trim().toLowerCase();
        const index = new EntryIndex(listed);
        for (const sort of SORTS) {
          const all = index.visible('', sort);
          const expected = all.filter((e) => [e.key, e.notes, e.filename ?? ''].some((field) => field.toLowerCase().includes(needle)));
          expect(keys(index.visible(search, sort))).toEqual(keys(expected));
        }
      }),
    );
  });
});

describe('entryIndex', () => {
  it('keeps one index per listing array, so an empty search returns the same array each time', () => {
    const list = [item('b'), item('a')];
    const sort: EntrySort = { key: 'name', descending: false };
    expect(entryIndex(list)).toBe(entryIndex(list));
    expect(entryIndex(list).visible('', sort)).toBe(entryIndex(list).visible(' ', sort));
  });

  it('sees a changed listing, since the store replaces the array on every change', () => {
    const before = [item('b'), item('a')];
    const after = [...before.filter((e) => e.key !== 'a'), item('c')];
    const sort: EntrySort = { key: 'name', descending: false };
    expect(keys(entryIndex(before).visible('', sort))).toEqual(['a', 'b']);
    expect(keys(entryIndex(after).visible('', sort))).toEqual(['b', 'c']);
  });
});

/** A cheap seeded hash, to shuffle deterministically per fast-check run. */
function hash(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x9e3779b1);
  return h;
}
