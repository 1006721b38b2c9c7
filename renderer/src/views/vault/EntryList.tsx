import { ArrowDown, ArrowUp, Rows2, Rows4 } from 'lucide-react';
import { memo, useLayoutEffect, useRef } from 'react';
import type { VaultItem } from '../../../../common/vault.js';
import type { RowDensity } from '../../lib/row-density.js';
import { entryId } from '../../stores/all-scopes.js';
import { useVault, type SortKey } from '../../stores/vault.js';
import { EntryRow, type RowActions } from './EntryRow.js';
import { ROW_HEIGHT, useEntryWindow } from './entry-window.js';

const SORTS: Array<[SortKey, string, string]> = [
  ['name', 'Name', 'sort-name'],
  ['size', 'Size', 'sort-size'],
  ['updated', 'Last change', 'sort-time'],
];

interface Props {
  entries: VaultItem[];
  label: string;
  busyKey: string | undefined;
  actions: RowActions;
  density: RowDensity;
  onDensity(density: RowDensity): void;
  /** All scopes: the scope each entry is in, shown on its row. */
  scopeOf?(item: VaultItem): string;
}

/**
 * Rows are reused for other entries when the list changes: focus in a row follows its entry (the same
 * control in the entry's row, if still drawn, else the list itself), never staying on a control that
 * now acts on another entry.
 */
function useFocusFollowsEntry(element: HTMLDivElement | null, entries: VaultItem[]) {
  const at = useRef<{ id: string; control: number } | undefined>(undefined);
  useLayoutEffect(() => {
    const focused = at.current;
    const active = document.activeElement;
    if (!focused || !element || !(active instanceof HTMLElement) || !element.contains(active)) return;
    const row = active.closest<HTMLElement>('[data-id]');
    if (!row || row.dataset.id === focused.id) return;
    const own = [...element.querySelectorAll<HTMLElement>('[data-id]')].find((r) => r.dataset.id === focused.id);
    const control = own?.querySelectorAll<HTMLElement>('button')[focused.control];
    if (control) control.focus();
    else element.focus();
  }, [element, entries]);
  return {
    onFocus(event: React.FocusEvent) {
      const row = (event.target as HTMLElement).closest<HTMLElement>('[data-id]');
      at.current = row ? { id: row.dataset.id ?? '', control: [...row.querySelectorAll('button')].indexOf(event.target as HTMLButtonElement) } : undefined;
    },
    onBlur(event: React.FocusEvent) {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) at.current = undefined;
    },
  };
}

// A row is drawn again only when its own entry, value, busy state or scope changed: a keystroke that
// keeps an entry in view leaves its row alone.
const Row = memo(EntryRow);

/**
 * The entries: a header that sorts (as a table's columns do), and the one scrolling list, windowed.
 * Every row of a density has one height (the notes are one line, cut with an ellipsis), so only the
 * rows in view are drawn and placed, whatever the number of entries; a row showing a revealed value
 * is the only one measured (see entry-window.ts).
 */
export const EntryList = memo(function EntryList({ entries, label, busyKey, actions, density, onDensity, scopeOf }: Props) {
  const sort = useVault((s) => s.sort);
  const setSort = useVault((s) => s.setSort);
  const revealed = useVault((s) => s.revealed);
  const { scrollRef, element, measure, window } = useEntryWindow(entries, density, revealed);
  const focus = useFocusFollowsEntry(element, entries);
  const next: RowDensity = density === 'compact' ? 'comfortable' : 'compact';

  return (
    <div className={`entry-table ${density}`} hidden={entries.length === 0}>
      <div className="entry-head" role="group" aria-label="Sort by">
        {SORTS.map(([key, text, className]) => (
          <button key={key} type="button" className={`sort-button ${className}`} aria-pressed={sort.key === key} onClick={() => setSort(key)}>
            {text} {sort.key === key && (sort.descending ? <ArrowDown size={13} aria-label="descending" /> : <ArrowUp size={13} aria-label="ascending" />)}
          </button>
        ))}
        <button type="button" className="icon-button density-toggle" aria-label="Compact rows" aria-pressed={density === 'compact'} title={`Show ${next} rows`} onClick={() => onDensity(next)}>
          {density === 'compact' ? <Rows4 size={16} aria-hidden="true" /> : <Rows2 size={16} aria-hidden="true" />}
        </button>
      </div>
      <div ref={scrollRef} className="entry-list" role="list" aria-label={`Entries in ${label}`} tabIndex={-1} onFocus={focus.onFocus} onBlur={focus.onBlur}>
        <div style={{ height: window.total, position: 'relative' }}>
          {window.rows.map(({ index, start }) => {
            const item = entries[index]!;
            const id = entryId(item);
            const value = revealed[id];
            return (
              // Keyed by place in the list, not by entry: a keystroke that brings other entries into view
              // fills the rows already drawn with them rather than building new ones, so what it costs is
              // the rows in view, whichever entries match (building rows was the part of a keystroke that
              // varied with the entries). Focus follows its entry (useFocusFollowsEntry).
              <div
                key={index}
                role="listitem"
                aria-setsize={entries.length}
                aria-posinset={index + 1}
                data-id={id}
                ref={value === undefined ? undefined : measure}
                className={value === undefined ? 'entry-slot fixed' : 'entry-slot'}
                style={{ transform: `translateY(${start}px)`, ...(value === undefined ? { height: ROW_HEIGHT[density] } : {}) }}
              >
                <Row item={item} revealed={value} busy={busyKey === id} actions={actions} {...(scopeOf ? { scope: scopeOf(item) } : {})} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});
