import { useState, type FormEvent, type ReactNode } from 'react';
import type { Result } from '../../../../common/errors.js';
import type { User } from '../../../../common/hoody-types.js';
import { aliasSchema, ALIAS_MAX } from '../../../../common/rules.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError, sentence } from '../../lib/errors.js';
import { useSave } from './useSave.js';

/** `subject`: whose alias it is, for the hint: the user's own (Profile) or another user's (Admin › Users). */
export function AliasForm({ user, onSave, subject = 'self' }: { user: User; onSave(change: { alias: string }): Promise<Result<User>>; subject?: 'self' | 'other' }) {
  const [alias, setAlias] = useState(user.alias);
  const save = useSave<User>();
  const check = aliasSchema.safeParse(alias);
  const problem = check.success ? undefined : sentence(`Alias ${check.error.issues[0]?.message}`);
  const changed = alias !== user.alias;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!check.success || !changed) return;
    await save.run(() => onSave({ alias }));
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Alias">
      <Field label="Alias" hint={`${subject === 'self' ? 'The name shown for you' : `The name shown for ${user.username}`}, 1 to ${ALIAS_MAX} characters (${alias.length} now).`} error={problem ?? fieldError(save.error, 'alias')}>
        <input value={alias} maxLength={ALIAS_MAX + 20} onChange={(e) => (setAlias(e.target.value), save.clear())} />
      </Field>
      <SaveRow busy={save.busy} disabled={!changed || !check.success} saved={save.saved && !changed} error={formError(save.error, ['alias'])} label="Save alias" />
    </form>
  );
}

export function SaveRow({ busy, disabled, saved, error, label, children }: { busy: boolean; disabled: boolean; saved: boolean; error: string | undefined; label: string; children?: ReactNode }) {
  return (
    <div className="form-actions">
      <button type="submit" className="button primary" disabled={busy || disabled}>
        {busy ? 'Saving…' : label}
      </button>
      {children}
      <p className={`form-status${error ? ' error' : ''}`} role="status" aria-live="polite">
        {error ?? (saved ? 'Saved.' : '')}
      </p>
    </div>
  );
}
