import { BarChart3, FileJson, FileSpreadsheet, RefreshCw, Table2, X } from 'lucide-react';
import { lazy, Suspense, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AccountSummary } from '../../../../common/accounts.js';
import { AUTO_REFRESH_SECONDS } from '../../../../common/activity.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { followActivityProgress, useActivity } from '../../stores/activity.js';
import '../../styles/activity.css';
import { ActivityTable } from './ActivityTable.js';
import { FiltersForm } from './FiltersForm.js';
import { JobProgress } from './JobProgress.js';
import { ActivityStatsPanel } from './StatsPanel.js';

// The charts bring Recharts and its dependencies, the largest code in the app: loaded when the
// Charts tab is first opened, not with the log.
const ChartsPanel = lazy(() => import('./ChartsPanel.js').then((m) => ({ default: m.ChartsPanel })));

type Tab = 'log' | 'charts';
const TABS: Array<{ id: Tab; label: string; icon: typeof Table2 }> = [
  { id: 'log', label: 'Log', icon: Table2 },
  { id: 'charts', label: 'Charts', icon: BarChart3 },
];

/** The account's API activity: statistics, filters, the log page by page, charts and export. */
export function ActivityView({ account }: { account: AccountSummary }) {
  const [tab, setTab] = useState<Tab>('log');
  const ready = useActivity((s) => s.ready && s.accountId === account.id);
  const loading = useActivity((s) => s.loading);
  const autoRefresh = useActivity((s) => s.autoRefresh);
  const busy = useActivity((s) => s.chartJob !== undefined || s.exportJob !== undefined);
  const notice = useActivity((s) => s.notice);
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ log: null, charts: null });

  useEffect(() => followActivityProgress(), []);
  useEffect(() => {
    void useActivity.getState().open(account.id);
  }, [account.id]);

  // Auto-refresh: off by default, every 30 s, paused while a chart or export job reads the log.
  useEffect(() => {
    if (!autoRefresh || busy || !ready) return;
    const timer = setInterval(() => void useActivity.getState().refresh({ quiet: true }), AUTO_REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [autoRefresh, busy, ready]);

  function onTabKey(event: KeyboardEvent) {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const index = TABS.findIndex((t) => t.id === tab);
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : (index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length;
    const id = TABS[next]!.id;
    setTab(id);
    tabRefs.current[id]?.focus();
  }

  return (
    <section className="view activity-view">
      <ViewHeader
        title="Activity"
        description={`API calls made with ${account.username}'s account, newest first.`}
        actions={
          <>
            <label className="checkbox auto-refresh" title={busy ? 'Paused while a job reads the log' : undefined}>
              <input type="checkbox" checked={autoRefresh} onChange={(e) => useActivity.getState().setAutoRefresh(e.target.checked)} />
              <span>
                Auto-refresh every {AUTO_REFRESH_SECONDS} s{autoRefresh && busy ? ' (paused)' : ''}
              </span>
            </label>
            <button type="button" className="button secondary" disabled={!ready || loading} onClick={() => void Promise.all([useActivity.getState().refresh(), useActivity.getState().loadStats()])}>
              <RefreshCw size={16} aria-hidden="true" className={loading ? 'spin' : undefined} /> Refresh
            </button>
          </>
        }
      />
      {notice && (
        <p className={`notice ${notice.tone === 'error' ? 'error-notice' : notice.tone}`} role="status">
          {notice.text}
        </p>
      )}
      <ActivityStatsPanel />
      {ready ? <FiltersForm /> : <p className="muted" role="status">Loading your last filters…</p>}
      <div className="activity-tabbar">
        <div role="tablist" aria-label="Activity views" className="activity-tabs" onKeyDown={onTabKey}>
          {TABS.map(({ id, label, icon: Icon }) => (
            <button
              key={id}
              ref={(el) => {
                tabRefs.current[id] = el;
              }}
              type="button"
              role="tab"
              id={`activity-tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`activity-panel-${id}`}
              tabIndex={tab === id ? 0 : -1}
              className="activity-tab"
              onClick={() => setTab(id)}
            >
              <Icon size={16} aria-hidden="true" /> {label}
            </button>
          ))}
        </div>
        <ExportButtons disabled={!ready} />
      </div>
      <ExportStatus />
      <div role="tabpanel" id={`activity-panel-${tab}`} aria-labelledby={`activity-tab-${tab}`} className="activity-panel">
        {ready &&
          (tab === 'log' ? (
            <ActivityTable />
          ) : (
            <Suspense fallback={<p className="muted" role="status">Loading the charts…</p>}>
              <ChartsPanel />
            </Suspense>
          ))}
      </div>
    </section>
  );
}

function ExportButtons({ disabled }: { disabled: boolean }) {
  const running = useActivity((s) => s.exportJob !== undefined);
  const exportLog = useActivity((s) => s.exportLog);
  return (
    <div className="export-buttons" role="group" aria-label="Export the filtered log">
      <span className="muted small">Export all pages:</span>
      <button type="button" className="button secondary small" aria-label="Export CSV" disabled={disabled || running} onClick={() => void exportLog('csv')}>
        <FileSpreadsheet size={15} aria-hidden="true" /> CSV
      </button>
      <button type="button" className="button secondary small" aria-label="Export JSON" disabled={disabled || running} onClick={() => void exportLog('json')}>
        <FileJson size={15} aria-hidden="true" /> JSON
      </button>
    </div>
  );
}

function ExportStatus() {
  const job = useActivity((s) => s.exportJob);
  const outcome = useActivity((s) => s.exportOutcome);
  if (job) return <JobProgress label={`Exporting the filtered log as ${job.format?.toUpperCase() ?? 'a file'}`} job={job} onCancel={() => void useActivity.getState().cancel('export')} />;
  if (!outcome) return null;
  return (
    <p className={`notice export-outcome ${outcome.tone === 'error' ? 'error-notice' : outcome.tone}`} role={outcome.tone === 'error' ? 'alert' : 'status'}>
      <span>{outcome.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" title="Dismiss" onClick={() => useActivity.setState({ exportOutcome: undefined })}>
        <X size={16} aria-hidden="true" />
      </button>
    </p>
  );
}
