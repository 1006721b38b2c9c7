import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../common/errors.js';
import { confirmationName, scopeLabel, type RealmNames } from '../../../../common/realm-names.js';
import { passphraseSchema } from '../../../../common/vault.js';
import { Dialog } from '../../components/Dialog.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError, sentence } from '../../lib/errors.js';
import { changePassphrase, clearScope } from '../../stores/vault-actions.js';
import { PassphraseStrength, usePassphraseStrength } from './PassphraseStrength.js';

/**
 * Deleting everything in a scope: enabled only once the scope's name is typed: a realm's given name,
 * or, for a realm without one, its id ("global" for the global scope).
 */
export function DeleteAllDialog({ realmId, names, count, onClose }: { realmId: string; names: RealmNames; count: number; onClose(): void }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const name = confirmationName(realmId, names);
  const unnamedRealm = realmId !== '' && names[realmId] === undefined;
  const what = realmId === '' ? 'global' : scopeLabel(realmId, names);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (typed.trim() !== name) return;
    setBusy(true);
    const result = await clearScope(typed);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onClose();
  }

  // One entry is "the 1 entry", never "all 1 entries".
  const entries = count === 1 ? 'The 1 entry of this scope is' : `All ${count} entries of this scope are`;

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`Delete everything in ${what}?`} description={`${entries} deleted from the server for good. This cannot be undone.`}>
      <form className="inline-form" onSubmit={submit} noValidate aria-label="Delete all">
        <Field
          label={unnamedRealm ? `This realm has no name: type its id, ${name}, to confirm` : `Type ${name} to confirm`}
          hint={unnamedRealm ? 'Name the realm (the pencil beside the scope) to type its name instead.' : undefined}
          error={fieldError(error, 'confirmation')}
        >
          <input className="mono" spellCheck={false} autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
        </Field>
        {formError(error, ['confirmation']) && <p className="form-error">{formError(error, ['confirmation'])}</p>}
        <div className="dialog-actions">
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button danger" disabled={busy || typed.trim() !== name}>
            {busy ? 'Deleting…' : count === 1 ? 'Delete 1 entry' : `Delete all ${count}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Hoody SDK values carry their own password; asked for when the vault passphrase does not open one. */
export function PasswordPrompt({ entryKey, error, onSubmit, onClose }: { entryKey: string; error: AppError | undefined; onSubmit(password: string): void; onClose(): void }) {
  const [password, setPassword] = useState('');
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`Password for ${entryKey}`} description="This value was encrypted with the Hoody SDK under its own password.">
      <form
        className="inline-form"
        noValidate
        aria-label="Value password"
        onSubmit={(event) => {
          event.preventDefault();
          if (password) onSubmit(password);
        }}
      >
        <Field label="Password" error={fieldError(error, 'password')}>
          <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
        </Field>
        <div className="dialog-actions">
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!password}>
            Open
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The current passphrase first (a window left unlocked is not enough), then a new one above the strength floor. */
export function ChangePassphraseDialog({ onClose }: { onClose(): void }) {
  const [current, setCurrent] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const [done, setDone] = useState<number | undefined>();
  const check = passphraseSchema.safeParse(passphrase);
  const strength = usePassphraseStrength(passphrase);
  const problem = passphrase && !check.success ? sentence(`Passphrase ${check.error.issues[0]?.message}`) : strength.problem;
  const ready = current.length > 0 && check.success && !strength.tooWeak && confirm === passphrase;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(undefined);
    const result = await changePassphrase(current, passphrase);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setDone(result.data.scopes);
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Change the vault passphrase" description="Your vault key stays the same: nothing is re-encrypted, the key is wrapped again in every scope that holds it.">
      {done !== undefined ? (
        <div className="inline-form">
          <p role="status">The passphrase changed in {done} {done === 1 ? 'scope' : 'scopes'}. Your recovery key still works.</p>
          <div className="dialog-actions">
            <button type="button" className="button primary" onClick={onClose} autoFocus>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="inline-form" onSubmit={submit} noValidate aria-label="Change the vault passphrase">
          <Field label="Current passphrase" error={fieldError(error, 'currentPassphrase')}>
            <input type="password" autoComplete="current-password" value={current} onChange={(e) => (setCurrent(e.target.value), setError(undefined))} autoFocus />
          </Field>
          <Field label="New passphrase" error={problem ?? fieldError(error, 'newPassphrase')}>
            <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </Field>
          <PassphraseStrength passphrase={passphrase} check={strength} />
          <Field label="Type it again" error={confirm && confirm !== passphrase ? 'The two passphrases differ.' : undefined}>
            <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          </Field>
          {formError(error, ['currentPassphrase', 'newPassphrase']) && <p className="form-error">{formError(error, ['currentPassphrase', 'newPassphrase'])}</p>}
          <div className="dialog-actions">
            <button type="button" className="button secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy || !ready}>
              {busy ? 'Checking and changing…' : 'Change passphrase'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
