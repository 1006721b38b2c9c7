import { Check, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { User } from '../../../../common/hoody-types.js';
import { CURRENT_PASSWORD_MAX, CURRENT_PASSWORD_MIN, PASSWORD_CLASSES_REQUIRED, PASSWORD_MAX, PASSWORD_MIN, passwordClasses } from '../../../../common/rules.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError } from '../../lib/errors.js';
import { changePassword } from '../../stores/profile.js';
import { SaveRow } from './AliasForm.js';
import { useSave } from './useSave.js';

/** The server's password rules, checked as the user types, one line each. */
export function passwordChecks(password: string, confirm: string) {
  const classes = passwordClasses(password);
  return [
    { ok: password.length >= PASSWORD_MIN && password.length <= PASSWORD_MAX, text: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters (${password.length} now)` },
    { ok: classes >= PASSWORD_CLASSES_REQUIRED, text: `At least ${PASSWORD_CLASSES_REQUIRED} of: lower case, upper case, digits, symbols (${classes} now)` },
    { ok: password.length > 0 && password === confirm, text: 'Typed the same twice' },
  ];
}

export function PasswordForm({ onChanged }: { onChanged(user: User): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const save = useSave<User>();
  const checks = passwordChecks(next, confirm);
  const currentOk = current.length >= CURRENT_PASSWORD_MIN && current.length <= CURRENT_PASSWORD_MAX;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!currentOk || !checks.every((c) => c.ok)) return;
    const result = await save.run(() => changePassword({ currentPassword: current, newPassword: next }));
    if (result.ok) {
      setCurrent('');
      setNext('');
      setConfirm('');
      onChanged(result.data);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Change password">
      <Field label="Current password" error={fieldError(save.error, 'currentPassword')} hint={`${CURRENT_PASSWORD_MIN} to ${CURRENT_PASSWORD_MAX} characters.`}>
        <input type="password" autoComplete="current-password" value={current} onChange={(e) => (setCurrent(e.target.value), save.clear())} />
      </Field>
      <Field label="New password" error={fieldError(save.error, 'newPassword')}>
        <input type="password" autoComplete="new-password" value={next} onChange={(e) => (setNext(e.target.value), save.clear())} />
      </Field>
      <Field label="Confirm new password">
        <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => (setConfirm(e.target.value), save.clear())} />
      </Field>
      <ul className="checklist" aria-label="Password rules">
        {checks.map((check) => (
          <li key={check.text} className={check.ok ? 'ok' : undefined}>
            {check.ok ? <Check size={15} aria-label="met" /> : <X size={15} aria-label="not met" />} {check.text}
          </li>
        ))}
      </ul>
      <SaveRow
        busy={save.busy}
        disabled={!currentOk || !checks.every((c) => c.ok)}
        saved={save.saved}
        error={formError(save.error, ['currentPassword', 'newPassword'])}
        label="Change password"
      />
    </form>
  );
}
