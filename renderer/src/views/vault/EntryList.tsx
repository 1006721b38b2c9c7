import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, Rows2, Rows4 } from 'lucide-react';
import { useLayoutEffect, useRef } from 'react';
import type { VaultItem } from '../../../../common/vault.js';
import type { RowDensity } from '../../lib/row-density.js';
import { entryId } from '../../stores/all-scopes.js';
import { useVault, type SortKey } from '../../stores/vault.js';
import { EntryRow, type RowActions } from './EntryRow.js';

const SORTS: Array<[SortKey, string, string]> = [
  ['name', 'Name', 'sort-name'],
  ['size', 'Size', 'sort-size'],
  ['updated', 'Last change', 'sort-time'],
];

/** Row heights before measuring: what the virtualiser assumes until a row has been drawn. */
const ESTIMATE: Record<RowDensity, number> = { compact: 36, comfortable: 56 };

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

/** The entries: a header that sorts (as a table's columns do), and the one scrolling, virtualised list. */
export function EntryList({ entries, label, busyKey, actions, density, onDensity, scopeOf }: Props) {
  const sort = useVault((s) => s.sort);
  const setSort = useVault((s) => s.setSort);
  const revealed = useVault((s) => s.revealed);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- this project does not use the React Compiler
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATE[density],
    overscan: 8,
    // Called for every entry whenever the count changes (each search keystroke): the key's own
    // string, whose hash the engine already has, rather than a new string per entry per keystroke
    // (a quarter of a keystroke's time at 10,000 entries went to building and hashing those). Only
    // All scopes, where one key can be in two scopes, pays for a scope-and-key id.
    getItemKey: (index) => (scopeOf ? entryId(entries[index]!) : entries[index]!.key),
  });
  // Rows change height with the density: what was measured at the other one no longer holds.
  useLayoutEffect(() => virtualizer.measure(), [density, virtualizer]);
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
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = entries[row.index]!;
            return (
              <div
                key={row.key}
                role="listitem"
                aria-setsize={entries.length}
                aria-posinset={row.index + 1}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="entry-slot"
                style={{ transform: `translateY(${row.start}px)` }}
              >
                <EntryRow item={item} revealed={revealed[entryId(item)]} busy={busyKey === entryId(item)} actions={actions} {...(scopeOf ? { scope: scopeOf(item) } : {})} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
