import { KeyRound, ShieldAlert } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../common/errors.js';
import type { KeyringChoice, KeyringDates, KeyringNotice, VaultStatus } from '../../../../common/vault.js';
import { scopeLabel, withRealmNames } from '../../../../common/realm-names.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError } from '../../lib/errors.js';
import { formatDateTime } from '../../lib/format.js';
import { useVault } from '../../stores/vault.js';

// What the keyring checks found, told to the user: a keyring put back (read and dismissed), a
// server copy that did not open, another vault in a scope (choose which one owns it), and, with no
// keyring anywhere, the form that rebuilds it from the recovery key.

const entries = (n: number) => `${n} entr${n === 1 ? 'y' : 'ies'}`;

function VaultDates({ title, dates, count }: { title: string; dates: KeyringDates | undefined; count: string }) {
  return (
    <div className="keyring-vault">
      <strong>{title}</strong>
      {dates ? (
        <span className="small">
          created <time dateTime={dates.createdAt}>{formatDateTime(dates.createdAt)}</time>, keyring changed <time dateTime={dates.updatedAt}>{formatDateTime(dates.updatedAt)}</time>
        </span>
      ) : (
        <span className="small">its keyring is missing</span>
      )}
      <span className="small muted">{count}</span>
    </div>
  );
}

function Notice({ notice }: { notice: KeyringNotice }) {
  const names = useVault((s) => s.names);
  const scope = notice.realmId ? scopeLabel(notice.realmId, names) : 'global';
  // Main's message names the scope by id: the window shows the name the user gave it.
  const message = withRealmNames(notice.message, names);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  async function choose(choice: KeyringChoice) {
    setBusy(true);
    setError(undefined);
    const failed = await useVault.getState().resolveKeyring(notice.realmId, choice);
    setBusy(false);
    if (failed) setError(failed.message);
  }
  if (notice.kind !== 'foreign') {
    return (
      <div className={`banner ${notice.kind === 'restored' ? 'keyring-restored' : 'warning'}`} role="status" aria-label={`Keyring ${notice.kind} in ${scope}`}>
        <KeyRound size={18} aria-hidden="true" />
        <span className="conflict-text">{message}</span>
        <button type="button" className="button secondary small" disabled={busy} onClick={() => void choose('dismiss')}>
          OK
        </button>
      </div>
    );
  }
  const counts = notice.entries ?? { ours: 0, theirs: 0 };
  return (
    <div className="banner conflict" role="alert" aria-label={`Another vault in ${scope}`}>
      <ShieldAlert size={18} aria-hidden="true" />
      <div className="conflict-text">
        <strong>{message}</strong>
        <div className="keyring-vaults">
          <VaultDates title="This computer's vault" dates={notice.ours} count={`${entries(counts.ours)} here open with it`} />
          <VaultDates title={`The vault in “${scope}”`} dates={notice.theirs} count={`${entries(counts.theirs)} here do not open with yours`} />
        </div>
        <span className="small">
          Keeping yours puts your keyring back in this scope (the other one is kept on this computer). Switching locks the vault here; you then unlock with the other vault's passphrase.
        </span>
        {error && <span className="small">{error}</span>}
      </div>
      <div className="conflict-actions">
        <button type="button" className="button primary small" disabled={busy} onClick={() => void choose('ours')}>
          Keep this computer's vault
        </button>
        {notice.theirs && (
          <button type="button" className="button secondary small" disabled={busy} onClick={() => void choose('theirs')}>
            Switch to the other vault
          </button>
        )}
      </div>
    </div>
  );
}

/** Every keyring notice of the open vault, above the entries. */
export function KeyringNotices({ status }: { status: VaultStatus }) {
  if (!status.keyring?.length) return null;
  return (
    <>
      {status.keyring.map((notice) => (
        <Notice key={`${notice.realmId}:${notice.kind}`} notice={notice} />
      ))}
    </>
  );
}

/** No keyring on the server, none on this computer, but sealed entries: rebuild it rather than set up a second vault. */
export function KeyringRestore({ status }: { status: VaultStatus }) {
  const [recoveryKey, setRecoveryKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const failed = await useVault.getState().restoreKeyring(recoveryKey, passphrase);
    setBusy(false);
    if (failed) setError(failed);
  }
  return (
    <form className="card unlock-card inline-form" onSubmit={submit} noValidate aria-label="Restore your vault keyring">
      <div className="unlock-head">
        <span className="empty-icon" aria-hidden="true">
          <KeyRound size={26} />
        </span>
        <div>
          <h2>Your vault's keyring is missing</h2>
          <p className="muted small">{status.reason}</p>
        </div>
      </div>
      <Field label="Recovery key" error={fieldError(error, 'recoveryKey')} hint="HVRK-… as you saved it; spaces and case do not matter.">
        <input type="text" autoComplete="off" spellCheck={false} value={recoveryKey} onChange={(e) => setRecoveryKey(e.target.value)} autoFocus />
      </Field>
      <Field label="Vault passphrase from now on" error={fieldError(error, 'passphrase')} hint="Your old passphrase is fine, or choose a new one.">
        <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      </Field>
      <p className={`form-status${error ? ' error' : ''}`} role="status" aria-live="polite">
        {formError(error, ['recoveryKey', 'passphrase']) ?? ''}
      </p>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || !recoveryKey || !passphrase}>
          {busy ? 'Restoring…' : 'Restore the keyring'}
        </button>
      </div>
    </form>
  );
}
