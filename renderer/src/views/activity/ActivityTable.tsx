import { ArrowDown, ArrowUp, ArrowUpDown, ChevronFirst, ChevronLast, ChevronLeft, ChevronRight, Inbox, RefreshCw, SearchX } from 'lucide-react';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ACTIVITY_PAGE_SIZES } from '../../../../common/activity.js';
import type { ActivityRecord } from '../../../../common/hoody-types.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { sortRecords, useActivity, type SortKey } from '../../stores/activity.js';
import { hasFilters } from './filter-form.js';
import { RecordDetail } from './RecordDetail.js';
import { MethodBadge, RealmLabel, StatusBadge } from './labels.js';

const COLUMNS: Array<{ key: SortKey; label: string; className: string }> = [
  { key: 'time', label: 'Time', className: 'col-time' },
  { key: 'method', label: 'Method', className: 'col-method' },
  { key: 'path', label: 'Path', className: 'col-path' },
  { key: 'status', label: 'Status', className: 'col-status' },
  { key: 'realm', label: 'Realm', className: 'col-realm' },
  { key: 'ip', label: 'IP address', className: 'col-ip' },
];

/** One page of the log: sortable columns, a row opens its details, and page navigation with totals. */
export function ActivityTable() {
  const { result, loading, error, sort, page, pageSize, filters, loadedAt, setSort, goTo, setPageSize, refresh, apply } = useActivity();
  const [detail, setDetail] = useState<number | undefined>();
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const rows = useMemo(() => sortRecords(result?.records ?? [], sort), [result, sort]);
  const metadata = result?.metadata;
  const pages = metadata ? Math.max(metadata.pages, 1) : 1;
  const busy = loading;

  if (error && !result) {
    return (
      <div className="card empty-state" role="alert">
        <span className="empty-icon error-icon">
          <SearchX size={26} aria-hidden="true" />
        </span>
        <h2>The activity log could not be loaded</h2>
        <p>{error.message}</p>
        <p className="muted">Check your connection and try again; if the server keeps failing, try again in a few minutes.</p>
        <button type="button" className="button primary" onClick={() => void refresh()}>
          <RefreshCw size={15} aria-hidden="true" /> Try again
        </button>
      </div>
    );
  }

  if (!result) {
    return (
      <p className="muted card" role="status">
        Loading the activity log…
      </p>
    );
  }

  if (result.records.length === 0 && (metadata?.total ?? 0) === 0) {
    const filtered = hasFilters(filters);
    return (
      <div className="card empty-state" role="status">
        <span className="empty-icon">
          <Inbox size={26} aria-hidden="true" />
        </span>
        <h2>{filtered ? 'No activity matches these filters' : 'No activity yet'}</h2>
        <p className="muted">
          {filtered ? 'Widen the dates or clear the filters.' : 'Calls made with this account’s tokens appear here within moments. Refresh to check again.'}
        </p>
        {filtered ? (
          <button type="button" className="button secondary" onClick={() => void apply({})}>
            Clear the filters
          </button>
        ) : (
          <button type="button" className="button secondary" onClick={() => void refresh()}>
            <RefreshCw size={15} aria-hidden="true" /> Refresh
          </button>
        )}
      </div>
    );
  }

  function onRowKey(event: KeyboardEvent<HTMLTableRowElement>, index: number) {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setDetail(index);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = bodyRef.current?.rows[index + (event.key === 'ArrowDown' ? 1 : -1)];
      next?.focus();
    }
  }

  const from = metadata && metadata.total > 0 ? (page - 1) * pageSize + 1 : 0;
  const to = from ? from + result.records.length - 1 : 0;
  const summary = metadata ? `Page ${page.toLocaleString()} of ${pages.toLocaleString()} · ${metadata.total.toLocaleString()} ${metadata.total === 1 ? 'record' : 'records'}` : '';

  return (
    <div className="card activity-table-card">
      {error && (
        <div className="banner error" role="alert">
          <span>{error.message}</span>
          <button type="button" className="button secondary small" onClick={() => void refresh()}>
            <RefreshCw size={14} aria-hidden="true" /> Try again
          </button>
        </div>
      )}
      <div className="table-toolbar">
        <p className="table-summary" aria-live="polite">
          <strong>{summary}</strong>
          {from > 0 && <span className="muted"> (showing {from.toLocaleString()}–{to.toLocaleString()})</span>}
        </p>
        <p className="muted small sort-note">Sorting reorders this page only; pages come newest first.</p>
        <label className="page-size">
          <span>Rows per page</span>
          <select value={pageSize} onChange={(e) => void setPageSize(Number(e.target.value))}>
            {ACTIVITY_PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="table-scroll" aria-busy={busy}>
        <table className="activity-table">
          <caption className="sr-only">
            API calls, {summary}. Select a row for its details.
          </caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => {
                const sorted = sort.key === column.key;
                const Icon = sorted ? (sort.descending ? ArrowDown : ArrowUp) : ArrowUpDown;
                return (
                  <th key={column.key} scope="col" className={column.className} aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : undefined}>
                    <button type="button" className="sort-header" onClick={() => setSort(column.key)}>
                      {column.label}
                      <Icon size={13} aria-hidden="true" className={sorted ? '' : 'sort-idle'} />
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody ref={bodyRef} className={busy ? 'stale' : undefined}>
            {rows.map((record, index) => (
              <Row key={record.id ?? index} record={record} now={loadedAt} onOpen={() => setDetail(index)} onKeyDown={(e) => onRowKey(e, index)} />
            ))}
          </tbody>
        </table>
      </div>
      {result.records.length === 0 && (
        <p className="notice info">
          This page is past the end of the log ({pages.toLocaleString()} {pages === 1 ? 'page' : 'pages'}).{' '}
          <button type="button" className="button link" onClick={() => void goTo(pages)}>
            Go to the last page
          </button>
        </p>
      )}
      <nav className="pager" aria-label="Pages">
        <button type="button" className="icon-button" aria-label="First page" title="First page" disabled={busy || page <= 1} onClick={() => void goTo(1)}>
          <ChevronFirst size={18} aria-hidden="true" />
        </button>
        <button type="button" className="button secondary small" disabled={busy || page <= 1} onClick={() => void goTo(page - 1)}>
          <ChevronLeft size={15} aria-hidden="true" /> Previous
        </button>
        <span className="pager-position">
          Page {page.toLocaleString()} of {pages.toLocaleString()}
        </span>
        <button type="button" className="button secondary small" disabled={busy || page >= pages} onClick={() => void goTo(page + 1)}>
          Next <ChevronRight size={15} aria-hidden="true" />
        </button>
        <button type="button" className="icon-button" aria-label="Last page" title="Last page" disabled={busy || page >= pages} onClick={() => void goTo(pages)}>
          <ChevronLast size={18} aria-hidden="true" />
        </button>
      </nav>
      <RecordDetail records={rows} index={detail} onIndex={setDetail} now={loadedAt} />
    </div>
  );
}

function Row({ record, now, onOpen, onKeyDown }: { record: ActivityRecord; now: number; onOpen(): void; onKeyDown(event: KeyboardEvent<HTMLTableRowElement>): void }) {
  return (
    <tr tabIndex={0} className="activity-row" onClick={onOpen} onKeyDown={onKeyDown}>
      <td className="col-time">
        {record.created_at ? (
          <time dateTime={record.created_at} title={formatDateTime(record.created_at)}>
            {formatRelative(record.created_at, now)}
          </time>
        ) : (
          '—'
        )}
      </td>
      <td className="col-method">
        <MethodBadge method={record.method} />
      </td>
      <td className="col-path">
        <span className="path-text mono" title={record.path}>
          {record.path ?? '—'}
        </span>
      </td>
      <td className="col-status">
        <StatusBadge status={record.status_code} />
      </td>
      <td className="col-realm">
        <RealmLabel realmId={record.realm_id} short />
      </td>
      <td className="col-ip mono">{record.ip_address || '—'}</td>
    </tr>
  );
}
