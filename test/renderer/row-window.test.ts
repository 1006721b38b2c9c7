import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowWindow, type TallRow } from '../../renderer/src/lib/row-window.js';

// The vault list's windowing (renderer/src/lib/row-window.ts): rows placed by index, a few taller
// ones (a revealed value) pushing the rows below them down, and the rows drawn the ones in view.

const indexes = (window: ReturnType<typeof rowWindow>) => window.rows.map((row) => row.index);

describe('rowWindow', () => {
  it('draws the rows in view and the overscan, each at its index times the height', () => {
    const window = rowWindow({ count: 10_000, rowHeight: 36, tall: [], scrollTop: 36 * 100 + 10, viewportHeight: 36 * 5, overscan: 2 });
    expect(indexes(window)).toEqual([98, 99, 100, 101, 102, 103, 104, 105, 106, 107]);
    expect(window.rows[2]).toEqual({ index: 100, start: 3600 });
    expect(window.total).toBe(360_000);
  });

  it('pushes the rows below a tall row down by its extra height, and finds rows past it', () => {
    const tall: TallRow[] = [{ index: 3, extra: 100 }];
    const top = rowWindow({ count: 50, rowHeight: 20, tall, scrollTop: 0, viewportHeight: 100, overscan: 0 });
    expect(top.rows.map((row) => [row.index, row.start])).toEqual([
      [0, 0],
      [1, 20],
      [2, 40],
      [3, 60],
    ]);
    // Inside the tall row (60 to 180), then past it.
    expect(indexes(rowWindow({ count: 50, rowHeight: 20, tall, scrollTop: 150, viewportHeight: 20, overscan: 0 }))).toEqual([3]);
    expect(indexes(rowWindow({ count: 50, rowHeight: 20, tall, scrollTop: 150, viewportHeight: 40, overscan: 0 }))).toEqual([3, 4]);
    expect(rowWindow({ count: 50, rowHeight: 20, tall, scrollTop: 180, viewportHeight: 20, overscan: 0 }).rows).toEqual([{ index: 4, start: 180 }]);
    expect(top.total).toBe(50 * 20 + 100);
  });

  it('stops at the last row, and draws nothing for an empty list', () => {
    expect(indexes(rowWindow({ count: 3, rowHeight: 20, tall: [], scrollTop: 5000, viewportHeight: 400, overscan: 8 }))).toEqual([0, 1, 2]);
    expect(rowWindow({ count: 0, rowHeight: 20, tall: [], scrollTop: 0, viewportHeight: 400, overscan: 8 })).toEqual({ rows: [], total: 0 });
  });

  it('covers the view without gaps, for any tall rows and scroll position', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.uniqueArray(fc.record({ index: fc.nat(299), extra: fc.integer({ min: 0, max: 400 }) }), { selector: (t) => t.index, maxLength: 6 }),
        fc.nat(20_000),
        fc.integer({ min: 1, max: 900 }),
        (count, raw, scroll, viewportHeight) => {
          const tall = raw.filter((t) => t.index < count).sort((a, b) => a.index - b.index);
          const extra = new Map(tall.map((t) => [t.index, t.extra]));
          const height = (i: number) => 30 + (extra.get(i) ?? 0);
          const window = rowWindow({ count, rowHeight: 30, tall, scrollTop: Math.min(scroll, Math.max(0, listHeight(count, tall) - viewportHeight)), viewportHeight, overscan: 1 });
          // Every row starts where the one before it ends, and the drawn rows run over the whole view.
          let start = 0;
          for (let i = 0; i < count; i += 1) {
            const drawn = window.rows.find((row) => row.index === i);
            if (drawn) expect(drawn.start).toBe(start);
            start += height(i);
          }
          expect(window.total).toBe(start);
          const first = window.rows[0]!;
          const last = window.rows.at(-1)!;
          const top = Math.min(scroll, Math.max(0, start - viewportHeight));
          expect(first.start).toBeLessThanOrEqual(top);
          expect(Math.min(last.start + height(last.index), start)).toBeGreaterThanOrEqual(Math.min(top + viewportHeight, start));
        },
      ),
    );
  });
});

/** The list's whole height (what the browser lets it scroll to). */
function listHeight(count: number, tall: TallRow[]): number {
  return count * 30 + tall.reduce((sum, t) => sum + t.extra, 0);
}
