import { AlertTriangle } from 'lucide-react';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.js';
import { useActivity } from '../../stores/activity.js';

/** The whole log's size and age, as GET /users/auth/activity/stats reports it (filters do not apply). */
export function ActivityStatsPanel() {
  const stats = useActivity((s) => s.stats);
  const error = useActivity((s) => s.statsError);
  const now = useActivity((s) => s.loadedAt);
  if (error && !stats) {
    return (
      <p className="notice warning" role="status">
        <AlertTriangle size={16} aria-hidden="true" /> The log's statistics could not be read: {error.message}
      </p>
    );
  }
  const date = (iso: string | null | undefined) =>
    iso ? (
      <time dateTime={iso} title={formatDateTime(iso)}>
        {formatRelative(iso, now || undefined)}
      </time>
    ) : (
      '—'
    );
  return (
    <section className="card activity-stats" aria-label="Log statistics" aria-busy={!stats}>
      <dl>
        <div>
          <dt>Records</dt>
          <dd className="stat-value">{stats ? stats.total_records.toLocaleString() : '…'}</dd>
        </div>
        <div>
          <dt>Storage</dt>
          <dd className="stat-value">{stats ? formatBytes(stats.total_size_bytes) : '…'}</dd>
        </div>
        <div>
          <dt>Oldest record</dt>
          <dd className="stat-value">{stats ? date(stats.oldest_record) : '…'}</dd>
          {stats?.oldest_record && <dd className="muted small">{formatDateTime(stats.oldest_record)}</dd>}
        </div>
        <div>
          <dt>Newest record</dt>
          <dd className="stat-value">{stats ? date(stats.newest_record) : '…'}</dd>
          {stats?.newest_record && <dd className="muted small">{formatDateTime(stats.newest_record)}</dd>}
        </div>
        <div>
          <dt>Retention</dt>
          <dd className="stat-value">{stats ? `${stats.retention_days.toLocaleString()} ${stats.retention_days === 1 ? 'day' : 'days'}` : '…'}</dd>
          {stats && <dd className="muted small">older calls are deleted</dd>}
        </div>
      </dl>
    </section>
  );
}
