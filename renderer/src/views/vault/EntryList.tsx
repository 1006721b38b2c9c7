import { ArrowDown, ArrowUp, Rows2, Rows4 } from 'lucide-react';
import { memo } from 'react';
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
  const { scrollRef, measure, window } = useEntryWindow(entries, density, revealed);
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
      <div ref={scrollRef} className="entry-list" role="list" aria-label={`Entries in ${label}`}>
        <div style={{ height: window.total, position: 'relative' }}>
          {window.rows.map(({ index, start }) => {
            const item = entries[index]!;
            const id = entryId(item);
            const value = revealed[id];
            return (
              // Keyed by scope and key: a row that stays in view across a keystroke is moved, not rebuilt.
              <div
                key={id}
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
