import { AlertTriangle, ShieldCheck } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../common/errors.js';
import { passphraseSchema, PASSPHRASE_MIN } from '../../../../common/vault.js';
import { CopyButton } from '../../components/CopyButton.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError, sentence } from '../../lib/errors.js';
import { finishSetUp, setUpVault } from '../../stores/vault-actions.js';
import { useVault } from '../../stores/vault.js';
import { PassphraseStrength, usePassphraseStrength } from './PassphraseStrength.js';

/** First run of the vault: choose a passphrase (twice), then keep the recovery key. */
export function SetupWizard() {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const recoveryKey = useVault((s) => s.pendingRecoveryKey);
  const [saved, setSaved] = useState(false);
  const check = passphraseSchema.safeParse(passphrase);
  const strength = usePassphraseStrength(passphrase);
  const problem = passphrase && !check.success ? sentence(`Passphrase ${check.error.issues[0]?.message}`) : strength.problem;
  const ready = check.success && !strength.tooWeak && confirm === passphrase && understood;
  const mismatch = confirm && confirm !== passphrase ? 'The two passphrases differ.' : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(undefined);
    const result = await setUpVault(passphrase);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setPassphrase('');
    setConfirm('');
  }

  if (recoveryKey) {
    return (
      <section className="card setup-card" aria-labelledby="recovery-title">
        <h2 id="recovery-title">
          <ShieldCheck size={20} aria-hidden="true" /> Keep your recovery key
        </h2>
        <p>
          If you forget your passphrase, this key is the only other way into your vault. It is shown <strong>only now</strong>. Save it in a password manager or print
          it, and keep it away from this computer.
        </p>
        <p className="secret-box mono recovery-key" aria-label="Recovery key">
          {recoveryKey}
        </p>
        <div className="form-actions">
          <CopyButton text={recoveryKey} label="Copy recovery key" />
          <a className="button secondary" download="hoody-vault-recovery-key.txt" href={`data:text/plain;charset=utf-8,${encodeURIComponent(`Hoody Vault recovery key\n\n${recoveryKey}\n`)}`}>
            Save as a file
          </a>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />I have saved my recovery key somewhere safe
        </label>
        <div className="form-actions">
          <button
            type="button"
            className="button primary"
            disabled={!saved}
            onClick={() => void finishSetUp()}
          >
            Open my vault
          </button>
        </div>
      </section>
    );
  }

  return (
    <form className="card setup-card inline-form" onSubmit={submit} noValidate aria-label="Set up your vault">
      <h2>Set up your vault</h2>
      <p className="muted">
        Everything you keep here is encrypted on this computer with a key that only your passphrase opens. Hoody stores only the encrypted result.
      </p>
      <Field label="Vault passphrase" hint={`At least ${PASSPHRASE_MIN} characters, and at least “Strong” on the meter below. Four or more unrelated words are strong and easy to type.`} error={problem ?? fieldError(error, 'passphrase')}>
        <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />
      </Field>
      <PassphraseStrength passphrase={passphrase} check={strength} />
      <Field label="Type it again" error={mismatch}>
        <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </Field>
      <div className="notice warning" role="note">
        <AlertTriangle size={16} aria-hidden="true" /> <strong>We cannot recover this passphrase.</strong> Hoody never sees it. If you lose both it and the recovery key
        you get next, your vault cannot be opened by anyone, including you.
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />I understand that nobody can reset this passphrase for me
      </label>
      {formError(error, ['passphrase']) && (
        <p className="form-error" role="alert">
          {formError(error, ['passphrase'])}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || !ready}>
          {busy ? 'Creating your vault key…' : 'Create my vault'}
        </button>
      </div>
    </form>
  );
}
