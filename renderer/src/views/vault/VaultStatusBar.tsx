import type { VaultListing } from '../../../../common/vault.js';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.js';

/**
 * The vault's status line under the list, as in a desktop password manager: how many entries, what
 * this scope stores, the account's storage, and when this computer's copy was synced.
 */
export function VaultStatusBar({ listing, shown, searching, loading, scopeLabel }: { listing: VaultListing | undefined; shown: number; searching: boolean; loading: boolean; scopeLabel: string }) {
  if (!listing) {
    return (
      <p className="vault-status muted small" role="status" aria-live="polite">
        {loading ? 'Loading and decrypting…' : ''}
      </p>
    );
  }
  // The list is what the user sees: counted from it, so the figures agree while a change waits.
  const total = listing.entries.length;
  const count = searching
    ? `${shown.toLocaleString()} of ${total.toLocaleString()} ${total === 1 ? 'entry matches' : 'entries match'}.`
    : `${total.toLocaleString()} ${total === 1 ? 'entry' : 'entries'}.`;
  const stats = listing.offline ? undefined : listing.stats;
  const usedPercent = stats?.accountLimitBytes ? (stats.accountUsedBytes / stats.accountLimitBytes) * 100 : 0;
  const syncedAt = listing.copy.syncedAt;
  return (
    <footer className="vault-status stats-panel small" aria-label="Vault usage">
      <span role="status" aria-live="polite">
        {count}
      </span>
      {stats && (
        <>
          <span className="muted">{formatBytes(stats.scopeBytes)} stored in {scopeLabel}</span>
          <span className="quota muted">
            <label htmlFor="quota-meter">
              Account storage: {formatBytes(stats.accountUsedBytes)} of {formatBytes(stats.accountLimitBytes)} used ({formatBytes(stats.remainingBytes)} left)
            </label>
            <meter id="quota-meter" min={0} max={100} low={75} high={90} optimum={0} value={usedPercent}>
              {usedPercent.toFixed(0)}%
            </meter>
          </span>
        </>
      )}
      {syncedAt && !listing.offline && (
        <span className="muted">
          Available offline, synced <time dateTime={syncedAt} title={formatDateTime(syncedAt)}>{formatRelative(syncedAt)}</time>
        </span>
      )}
    </footer>
  );
}
