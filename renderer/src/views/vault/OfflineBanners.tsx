import { CloudOff, GitMerge, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { scopeLabel } from '../../../../common/realm-names.js';
import type { ConflictChoice, VaultListing, VaultStatus } from '../../../../common/vault.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { checkConnection, resolveConflict, revealConflictSide } from '../../stores/vault-actions.js';
import { useVault } from '../../stores/vault.js';

/** Offline, waiting changes, and the change the user must decide about before the rest are sent. */
export function OfflineBanners({ status, listing }: { status: VaultStatus; listing: VaultListing | undefined }) {
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const conflict = status.conflict;
  const names = useVault((s) => s.names);
  const syncedAt = listing?.offline?.syncedAt ?? listing?.copy.syncedAt;

  async function check() {
    setChecking(true);
    await checkConnection();
    setChecking(false);
  }

  async function resolve(choice: ConflictChoice) {
    if (!conflict) return;
    setBusy(true);
    setError(undefined);
    const result = await resolveConflict(conflict.opId, choice);
    setBusy(false);
    if (!result.ok) setError(result.error.message);
  }

  return (
    <>
      {(!status.online || listing?.offline) && (
        <div className="banner warning" role="status">
          <CloudOff size={18} aria-hidden="true" />
          <span>
            <strong>You are offline.</strong> Showing your vault as synced {syncedAt ? <time dateTime={syncedAt} title={formatDateTime(syncedAt)}>{formatRelative(syncedAt)}</time> : 'earlier'}. Changes you make are
            kept on this computer and sent when the server is back.
          </span>
          <button type="button" className="button secondary small" onClick={() => void check()} disabled={checking}>
            <RefreshCw size={14} aria-hidden="true" className={checking ? 'spin' : undefined} /> Check again
          </button>
        </div>
      )}
      {status.pendingChanges > 0 && !conflict && (
        <p className="notice info" role="status">
          {status.pendingChanges} {status.pendingChanges === 1 ? 'change is' : 'changes are'} waiting to be sent{status.online ? '…' : ' when the server is back.'}
        </p>
      )}
      {conflict && (
        <div className="banner conflict" role="alert">
          <GitMerge size={18} aria-hidden="true" />
          <div className="conflict-text">
            <strong>{conflict.message}</strong>
            <span className="small conflict-scope">In {conflict.realmId ? scopeLabel(conflict.realmId, names) : 'the global scope'}</span>
            <span className="small">
              {conflict.reason === 'refused' ? 'Choose what to do with your change; the others wait until then.' : 'Choose which version to keep; your other waiting changes are sent after that.'}
            </span>
            <ConflictTimes conflict={conflict} listing={listing} />
            {error && <span className="small">{error}</span>}
          </div>
          <div className="conflict-actions">
            <button type="button" className="button primary small" disabled={busy} onClick={() => void resolve('mine')}>
              {conflict.reason === 'refused' ? 'Try again' : 'Keep mine'}
            </button>
            <button type="button" className="button secondary small" disabled={busy} onClick={() => void resolve('theirs')}>
              {conflict.reason === 'refused' ? 'Discard my change' : 'Keep theirs'}
            </button>
            {conflict.change === 'save' && conflict.reason !== 'refused' && (
              <button type="button" className="button secondary small" disabled={busy} onClick={() => void resolve('both')}>
                Keep both
              </button>
            )}
          </div>
        </div>
      )}
      {status.outboxProblem && (
        <p className="notice error-notice" role="alert">
          {status.outboxProblem}
        </p>
      )}
      {status.localRollback && (
        <p className="notice error-notice" role="alert">
          {status.localRollback}
        </p>
      )}
    </>
  );
}

/** One side's value, masked until revealed: the choice is not made blind. Keyed by the conflict, so a new one starts masked. */
function ConflictValue({ opId, side }: { opId: string; side: 'mine' | 'theirs' }) {
  const [shown, setShown] = useState<{ text: string; muted: boolean } | undefined>();
  async function toggle() {
    if (shown) return setShown(undefined);
    const result = await revealConflictSide(opId, side);
    if (!result.ok) return setShown({ text: result.error.message, muted: true });
    const { value, format } = result.data;
    if (value !== null) return setShown({ text: value, muted: false });
    setShown({ text: format === null ? 'no value (deleted)' : format === 'hoody-enc1' ? 'sealed with its own Hoody SDK password' : 'does not open with your vault key', muted: true });
  }
  const label = side === 'mine' ? 'your value' : 'their value';
  return (
    <span className="conflict-value">
      <code className={shown?.muted ? 'muted' : undefined} aria-live="polite">
        {shown ? shown.text : '••••••••'}
      </code>
      <button type="button" className="link-button" onClick={() => void toggle()} aria-label={shown ? `Hide ${label}` : `Show ${label}`}>
        {shown ? 'Hide' : 'Show'}
      </button>
    </span>
  );
}

/** When each side changed, and (masked, revealable) what each holds, so the choice is not made blind. */
function ConflictTimes({ conflict, listing }: { conflict: NonNullable<VaultStatus['conflict']>; listing: VaultListing | undefined }) {
  const mine = listing?.entries.find((e) => e.key === conflict.key && e.realmId === conflict.realmId && e.pending);
  const when = (iso: string) => (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
  return (
    <dl className="conflict-times small">
      <dt>Yours</dt>
      <dd>
        {mine ? <>{conflict.change === 'delete' ? 'deleted' : 'saved'} on this computer {when(mine.updatedAt)}</> : conflict.change === 'delete' ? 'deleted on this computer' : 'saved on this computer'}
        {conflict.change === 'save' && <ConflictValue key={`${conflict.opId}-mine`} opId={conflict.opId} side="mine" />}
      </dd>
      <dt>Theirs</dt>
      <dd>
        {conflict.theirsUpdatedAt ? <>changed on the server {when(conflict.theirsUpdatedAt)}</> : conflict.reason === 'deleted' ? 'deleted on the server' : 'as the server has it now'}
        {conflict.reason !== 'deleted' && <ConflictValue key={`${conflict.opId}-theirs`} opId={conflict.opId} side="theirs" />}
      </dd>
    </dl>
  );
}
