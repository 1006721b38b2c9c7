import { useCallback, useLayoutEffect, useMemo, useRef, useState, type RefCallback } from 'react';
import type { VaultItem } from '../../../../common/vault.js';
import type { RowDensity } from '../../lib/row-density.js';
import { rowWindow, type RowWindow, type TallRow } from '../../lib/row-window.js';
import { entryId } from '../../stores/all-scopes.js';

// The vault list's windowing: which rows to draw for the list's scroll position and size. Rows have
// one height per density (set on each row, so the CSS cannot drift from it); a row showing a
// revealed value grows to fit it and is measured, alone. What a search keystroke costs here is the
// rows in view, plus one pass over the matches only while some value is revealed.

/** The height of a row at each density, in pixels (the .entry min-heights in styles.css). */
export const ROW_HEIGHT: Record<RowDensity, number> = { compact: 36, comfortable: 56 };
/** What a revealed value is taken to add before its row has been measured. */
const REVEALED_GUESS = 52;
/** Rows drawn beyond each edge of the view. */
const OVERSCAN = 8;

interface View {
  top: number;
  height: number;
}

export interface EntryWindow {
  scrollRef: RefCallback<HTMLDivElement>;
  /** The list's scrolling element, once drawn. */
  element: HTMLDivElement | null;
  /** For a row showing a revealed value: measures it while it is drawn. */
  measure: RefCallback<HTMLDivElement>;
  window: RowWindow;
}

/** The key in each scope-and-key id (`entryId`: the realm id, which has no ':', then the key), to match keys before building ids. */
function keysOf(ids: string[]): Set<string> {
  return new Set(ids.map((id) => id.slice(id.indexOf(':') + 1)));
}

/** The tall rows (those with a revealed value) among `entries`, in index order. */
function tallRows(entries: readonly VaultItem[], revealed: Record<string, string>, heights: ReadonlyMap<string, number>, rowHeight: number): TallRow[] {
  const ids = Object.keys(revealed);
  if (ids.length === 0) return [];
  const keys = keysOf(ids);
  const tall: TallRow[] = [];
  for (let index = 0; index < entries.length; index += 1) {
    const item = entries[index]!;
    if (!keys.has(item.key)) continue;
    const id = entryId(item);
    if (revealed[id] === undefined) continue;
    const height = heights.get(id);
    tall.push({ index, extra: height === undefined ? REVEALED_GUESS : Math.max(0, height - rowHeight) });
  }
  return tall;
}

export function useEntryWindow(entries: readonly VaultItem[], density: RowDensity, revealed: Record<string, string>): EntryWindow {
  const rowHeight = ROW_HEIGHT[density];
  // Until the list has been laid out, the window's height is a fair guess at its own.
  const [view, setView] = useState<View>(() => ({ top: 0, height: globalThis.innerHeight || 800 }));
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  // Measured heights of the rows showing a value, by entry id.
  const [heights, setHeights] = useState<ReadonlyMap<string, number>>(() => new Map());

  useLayoutEffect(() => {
    if (!element) return;
    const update = () =>
      setView((last) => {
        // A hidden list (no entries) has no height: keep the last one for when it shows again.
        const next = { top: element.scrollTop, height: element.clientHeight || last.height };
        return next.top === last.top && next.height === last.height ? last : next;
      });
    update();
    element.addEventListener('scroll', update, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(update);
    observer?.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, [element]);

  // One observer for the rows showing a value; a row's height is taken again at each change (its
  // value wrapping at a new width, the density changing), and kept by entry id.
  const rowObserver = useRef<ResizeObserver | undefined>(undefined);
  useLayoutEffect(() => () => rowObserver.current?.disconnect(), []);
  const measure = useCallback<RefCallback<HTMLDivElement>>((row) => {
    if (!row || typeof ResizeObserver === 'undefined') return;
    rowObserver.current ??= new ResizeObserver((records) =>
      setHeights((last) => {
        let next = last;
        for (const { target } of records) {
          const id = (target as HTMLElement).dataset.id ?? '';
          const height = (target as HTMLElement).offsetHeight;
          if (height > 0 && next.get(id) !== height) next = new Map(next).set(id, height);
        }
        return next;
      }),
    );
    const observer = rowObserver.current;
    observer.observe(row);
    return () => observer.unobserve(row);
  }, []);

  const tall = useMemo(() => tallRows(entries, revealed, heights, rowHeight), [entries, revealed, heights, rowHeight]);
  const window = rowWindow({ count: entries.length, rowHeight, tall, scrollTop: view.top, viewportHeight: view.height, overscan: OVERSCAN });
  return { scrollRef: setElement, element, measure, window };
}
