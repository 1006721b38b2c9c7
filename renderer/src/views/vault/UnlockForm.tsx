import { Lock } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../common/errors.js';
import type { VaultStatus } from '../../../../common/vault.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError } from '../../lib/errors.js';
import { prepareUnlock, unlockVault } from '../../stores/vault-actions.js';

const REASONS: Record<string, string> = {
  idle: 'It locked itself after the idle time set in Settings.',
  suspend: 'It locked when the computer went to sleep.',
  'screen-lock': 'It locked when the screen was locked.',
  account: 'It locked when you switched accounts.',
  'vault-switched': "This computer now uses the scope's other vault: unlock with that vault's passphrase.",
};

export function UnlockForm({ status }: { status: VaultStatus }) {
  const [mode, setMode] = useState<'passphrase' | 'recovery'>('passphrase');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const [now, setNow] = useState(() => Date.now());
  const [prepared, setPrepared] = useState(false);
  // When the next try is allowed, fixed when the refusal arrives: counted from a clock that moves,
  // the wait would never reach 0 and Unlock would stay disabled for good.
  const [refusedUntil, setRefusedUntil] = useState(0);
  const retryAt = Math.max(status.retryAt, refusedUntil);
  const wait = Math.max(0, Math.ceil((retryAt - now) / 1000));

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [wait]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!secret || wait > 0) return;
    setBusy(true);
    setError(undefined);
    const result = await unlockVault(mode === 'passphrase' ? { passphrase: secret } : { recoveryKey: secret });
    setBusy(false);
    const answeredAt = Date.now();
    setNow(answeredAt);
    if (!result.ok) {
      if (result.error.retryAfter) setRefusedUntil(answeredAt + result.error.retryAfter * 1000);
      return setError(result.error);
    }
    setSecret('');
  }

  const field = mode === 'passphrase' ? 'passphrase' : 'recoveryKey';
  return (
    <form className="card unlock-card inline-form" onSubmit={submit} noValidate aria-label="Unlock your vault">
      <div className="unlock-head">
        <span className="empty-icon" aria-hidden="true">
          <Lock size={26} />
        </span>
        <div>
          <h2>Your vault is locked</h2>
          <p className="muted small">{status.reason && REASONS[status.reason] ? REASONS[status.reason] : 'Unlocking happens on this computer; it does not need the network.'}</p>
        </div>
      </div>
      <Field label={mode === 'passphrase' ? 'Vault passphrase' : 'Recovery key'} error={fieldError(error, field)} hint={mode === 'recovery' ? 'HVRK-… as you saved it; spaces and case do not matter.' : undefined}>
        <input
          type={mode === 'passphrase' ? 'password' : 'text'}
          autoComplete={mode === 'passphrase' ? 'current-password' : 'off'}
          spellCheck={false}
          value={secret}
          onChange={(e) => {
            setSecret(e.target.value);
            // While the user types, main warms up the key derivation, so unlocking starts at once.
            if (!prepared && mode === 'passphrase') {
              setPrepared(true);
              prepareUnlock();
            }
          }}
          autoFocus
        />
      </Field>
      <p className={`form-status${error ? ' error' : ''}`} role="status" aria-live="polite">
        {wait > 0 ? `Too many wrong attempts. Try again in ${wait} s.` : error?.retryAfter ? 'You can try again now.' : (formError(error, [field]) ?? (status.failures > 0 && !error ? `${status.failures} wrong ${status.failures === 1 ? 'attempt' : 'attempts'} so far.` : ''))}
      </p>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || !secret || wait > 0}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        <button
          type="button"
          className="button link"
          onClick={() => {
            setMode(mode === 'passphrase' ? 'recovery' : 'passphrase');
            setSecret('');
            setError(undefined);
          }}
        >
          {mode === 'passphrase' ? 'Use the recovery key instead' : 'Use the passphrase instead'}
        </button>
      </div>
    </form>
  );
}
