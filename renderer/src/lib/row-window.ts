// Which rows of a long list to draw, and where, when every row has the same height but a few (the
// ones showing a revealed value) are taller. Unlike a general virtualiser, nothing here is kept per
// row: where a row starts is its index times the height, plus the extra height of the few tall rows
// above it. So a search keystroke that changes 10,000 matches into 2,000 costs the rows in view, not
// one measurement per entry (which @tanstack/react-virtual rebuilt for every entry whenever the
// count changed: the part of a keystroke that grew with the vault).

/** A row taller than the others: its index in the list and how many pixels it adds. */
export interface TallRow {
  index: number;
  extra: number;
}

export interface RowWindowInput {
  count: number;
  /** The height of every row that is not tall, in pixels. */
  rowHeight: number;
  /** The tall rows, in index order (usually none, or a handful). */
  tall: readonly TallRow[];
  scrollTop: number;
  viewportHeight: number;
  /** Rows drawn beyond each edge, so a fast scroll or Tab lands on rows already there. */
  overscan: number;
}

export interface PlacedRow {
  index: number;
  /** Pixels from the top of the list. */
  start: number;
}

export interface RowWindow {
  rows: PlacedRow[];
  /** The height of the whole list, for its scroll bar. */
  total: number;
}

/** The index of the row at `y` pixels from the top (the last row past the end). */
function rowAt(y: number, rowHeight: number, tall: readonly TallRow[], count: number): number {
  let above = 0;
  for (const row of tall) {
    const start = row.index * rowHeight + above;
    if (y < start) break;
    if (y < start + rowHeight + row.extra) return row.index;
    above += row.extra;
  }
  return Math.min(count - 1, Math.max(0, Math.floor((y - above) / rowHeight)));
}

/** The rows in view (with `overscan` more each side) and where each starts: O(rows drawn + tall rows). */
export function rowWindow({ count, rowHeight, tall, scrollTop, viewportHeight, overscan }: RowWindowInput): RowWindow {
  const total = count * rowHeight + tall.reduce((sum, row) => sum + row.extra, 0);
  if (count === 0) return { rows: [], total };
  const first = Math.max(0, rowAt(scrollTop, rowHeight, tall, count) - overscan);
  const last = Math.min(count - 1, rowAt(scrollTop + Math.max(viewportHeight, rowHeight) - 1, rowHeight, tall, count) + overscan);
  let t = 0;
  let above = 0;
  while (t < tall.length && tall[t]!.index < first) above += tall[t++]!.extra;
  const rows: PlacedRow[] = [];
  for (let index = first; index <= last; index += 1) {
    rows.push({ index, start: index * rowHeight + above });
    if (t < tall.length && tall[t]!.index === index) above += tall[t++]!.extra;
  }
  return { rows, total };
}
