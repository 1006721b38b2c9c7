import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../common/errors.js';
import { nameTakenBy, REALM_NAME_MAX, REALM_NAME_RULES, realmNameSchema } from '../../../../common/realm-names.js';
import { Dialog } from '../../components/Dialog.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError, sentence } from '../../lib/errors.js';
import { nameRealm } from '../../stores/realm-actions.js';
import { useVault } from '../../stores/vault.js';

/** Names a realm, renames it, or removes its name; checked as typed, and again in main. */
export function RealmNameDialog({ realmId, onClose }: { realmId: string; onClose(): void }) {
  const names = useVault((s) => s.names);
  const current = names[realmId];
  const [name, setName] = useState(current ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const check = realmNameSchema.safeParse(name);
  const typedProblem = name === '' ? undefined : !check.success ? sentence(`Name ${check.error.issues[0]?.message}`) : nameTakenBy(names, realmId, check.data) ? sentence(`Name ${REALM_NAME_RULES.taken}`) : undefined;
  const problem = typedProblem ?? fieldError(error, 'name');

  async function save(value: string) {
    setBusy(true);
    setError(undefined);
    const result = await nameRealm(realmId, value);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (check.success && !typedProblem) void save(check.data);
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={current ? `Rename ${current}` : 'Name this realm'}
      description={
        <>
          Realm <span className="mono">{realmId}</span>. The name is sealed in your vault, so your other computers show it too; Hoody's server sees only the id.
        </>
      }
    >
      <form className="inline-form" onSubmit={submit} noValidate aria-label="Realm name">
        <Field label="Name" hint={`Up to ${REALM_NAME_MAX} characters.`} error={problem}>
          <input value={name} maxLength={REALM_NAME_MAX * 2} spellCheck={false} autoComplete="off" onChange={(e) => (setName(e.target.value), setError(undefined))} autoFocus />
        </Field>
        {formError(error, ['name']) && <p className="form-error">{formError(error, ['name'])}</p>}
        <div className="dialog-actions">
          {current && (
            <button type="button" className="button secondary" disabled={busy} onClick={() => void save('')}>
              Remove the name
            </button>
          )}
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy || !check.success || !!typedProblem || check.data === current}>
            {busy ? 'Saving…' : 'Save name'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
