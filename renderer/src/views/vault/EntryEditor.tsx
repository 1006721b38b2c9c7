import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../common/errors.js';
import { entryKeySchema, NOTES_MAX, type VaultItem } from '../../../../common/vault.js';
import { Dialog } from '../../components/Dialog.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError, sentence } from '../../lib/errors.js';
import { formatBytes } from '../../lib/format.js';
import { saveEntry } from '../../stores/vault-actions.js';
import { GeneratorToggle } from './GeneratorPanel.js';

/** Sealing adds a nonce, a tag, base64 and JSON around the value; an estimate good enough to warn early. */
const estimateStored = (value: string, notes: string) => Math.ceil((new TextEncoder().encode(value).length + 16) * (4 / 3)) + 60 + Math.ceil((new TextEncoder().encode(notes).length + 40) * (4 / 3)) + 60;

interface Props {
  entry?: VaultItem;
  remainingBytes: number;
  onClose(): void;
}

/** Create (key, value, notes) or edit (value and notes) one secret; checks what it can before sending. */
export function EntryEditor({ entry, remainingBytes, onClose }: Props) {
  const [key, setKey] = useState(entry?.key ?? '');
  const [value, setValue] = useState('');
  const [masked, setMasked] = useState(true);
  const [notes, setNotes] = useState(entry?.notes ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const creating = !entry;
  const keyCheck = entryKeySchema.safeParse(key);
  const keyProblem = creating && key && !keyCheck.success ? sentence(`Key ${keyCheck.error.issues[0]?.message}`) : undefined;
  const growth = value || creating ? estimateStored(value, notes) - (entry?.storedBytes ?? 0) : 0;
  const quotaProblem = growth > remainingBytes ? `This needs about ${formatBytes(growth)}; only ${formatBytes(remainingBytes)} of your vault space is left.` : undefined;
  const notesProblem = notes.length > NOTES_MAX ? `Notes must be at most ${NOTES_MAX} characters (${notes.length} now).` : undefined;
  const canSave = !busy && (creating ? keyCheck.success && value.length > 0 : true) && !quotaProblem && !notesProblem;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSave) return;
    setBusy(true);
    setError(undefined);
    const result = await saveEntry({ ...(entry ? { realmId: entry.realmId } : {}), key, ...(value || creating ? { value } : {}), notes, mode: creating ? 'create' : 'update' });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onClose();
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={creating ? 'New secret' : `Edit ${entry.key}`} description="Encrypted on this computer before it is sent." wide>
      <form className="inline-form" onSubmit={submit} noValidate aria-label={creating ? 'New secret' : 'Edit secret'}>
        {creating && (
          <Field label="Key" hint="The entry's name on the server: letters, digits, dot, underscore, hyphen." error={keyProblem ?? fieldError(error, 'key')}>
            <input className="mono" spellCheck={false} autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} autoFocus />
          </Field>
        )}
        <Field
          label="Value"
          hint={creating ? undefined : 'Leave empty to keep the current value.'}
          error={quotaProblem ?? fieldError(error, 'value')}
          trailing={
            <button type="button" className="button secondary small" aria-pressed={!masked} aria-label="Show value" onClick={() => setMasked((m) => !m)}>
              {masked ? 'Show' : 'Hide'}
            </button>
          }
        >
          <textarea className={`mono${masked ? ' masked' : ''}`} rows={4} spellCheck={false} autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} autoFocus={!creating} />
        </Field>
        <GeneratorToggle onUse={setValue} />
        <Field label="Notes" hint="Encrypted too. Shown in the list once the vault is unlocked." error={notesProblem ?? fieldError(error, 'notes')}>
          <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </Field>
        {formError(error, ['key', 'value', 'notes']) && (
          <p className="form-error" role="alert">
            {formError(error, ['key', 'value', 'notes'])}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!canSave}>
            {busy ? 'Encrypting and saving…' : creating ? 'Save secret' : 'Save changes'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
