import type { VaultStatsView } from '../../../../common/vault.js';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.js';

export function StatsPanel({ stats, scopeLabel, syncedAt }: { stats: VaultStatsView; scopeLabel: string; syncedAt?: string | undefined }) {
  const usedPercent = stats.accountLimitBytes ? (stats.accountUsedBytes / stats.accountLimitBytes) * 100 : 0;
  return (
    <section className="card stats-panel" aria-label="Vault usage">
      <div>
        <span className="stat-value">{stats.keys.toLocaleString()}</span>
        <span className="muted small">{stats.keys === 1 ? 'entry' : 'entries'} in {scopeLabel}</span>
      </div>
      <div>
        <span className="stat-value">{formatBytes(stats.scopeBytes)}</span>
        <span className="muted small">stored in {scopeLabel}</span>
      </div>
      <div className="quota">
        <label htmlFor="quota-meter" className="small">
          Account storage: {formatBytes(stats.accountUsedBytes)} of {formatBytes(stats.accountLimitBytes)} used
        </label>
        <meter id="quota-meter" min={0} max={100} low={75} high={90} optimum={0} value={usedPercent}>
          {usedPercent.toFixed(0)}%
        </meter>
        <span className="muted small">
          {formatBytes(stats.remainingBytes)} left
          {syncedAt && (
            <>
              {' · '}available offline, synced <time dateTime={syncedAt} title={formatDateTime(syncedAt)}>{formatRelative(syncedAt)}</time>
            </>
          )}
        </span>
      </div>
    </section>
  );
}
