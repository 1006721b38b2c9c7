import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../common/errors.js';
import { entryKeySchema, NOTES_MAX, type VaultItem } from '../../../../common/vault.js';
import { Dialog } from '../../components/Dialog.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError, sentence } from '../../lib/errors.js';
import { formatBytes } from '../../lib/format.js';
import { renameKey } from '../../stores/history-actions.js';
import { saveEntry } from '../../stores/vault-actions.js';
import { CurrentValue, EarlierValues, type Say } from './EntryHistory.js';
import { GeneratorToggle } from './GeneratorPanel.js';

/** Sealing adds a nonce, a tag, base64 and JSON around the value; an estimate good enough to warn early. */
const estimateStored = (value: string, notes: string) => Math.ceil((new TextEncoder().encode(value).length + 16) * (4 / 3)) + 60 + Math.ceil((new TextEncoder().encode(notes).length + 40) * (4 / 3)) + 60;

interface Props {
  entry?: VaultItem;
  remainingBytes: number;
  onClose(): void;
}

/**
 * Create (key, value, notes) or edit one secret: its key (a new name renames it), its value (the
 * current one shown masked, and the earlier ones with a restore) and notes. Checks what it can
 * before sending.
 */
export function EntryEditor({ entry, remainingBytes, onClose }: Props) {
  const [key, setKey] = useState(entry?.key ?? '');
  const [value, setValue] = useState('');
  const [masked, setMasked] = useState(true);
  const [notes, setNotes] = useState(entry?.notes ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<{ text: string; tone: 'info' | 'error' } | undefined>();
  const say: Say = (text, tone) => setMessage({ text, tone });
  const creating = !entry;
  // The key a rename already moved the entry to (a save after it failed): the next try only saves.
  const [renamedTo, setRenamedTo] = useState<string | undefined>();
  const renaming = !!entry && key !== entry.key && key !== renamedTo;
  const keyCheck = entryKeySchema.safeParse(key);
  const keyProblem = (creating || renaming) && !keyCheck.success && (key || renaming) ? sentence(`Key ${keyCheck.error.issues[0]?.message}`) : undefined;
  const growth = value || creating ? estimateStored(value, notes) - (entry?.storedBytes ?? 0) : 0;
  const quotaProblem = growth > remainingBytes ? `This needs about ${formatBytes(growth)}; only ${formatBytes(remainingBytes)} of your vault space is left.` : undefined;
  const notesProblem = notes.length > NOTES_MAX ? `Notes must be at most ${NOTES_MAX} characters (${notes.length} now).` : undefined;
  const canSave = !busy && (creating ? keyCheck.success && value.length > 0 : !renaming || keyCheck.success) && !quotaProblem && !notesProblem;

  // A rename that stored the copy but could not delete the old name says so in full, beside the field.
  const shownFields = renaming ? ['newKey', 'value', 'notes'] : ['key', 'newKey', 'value', 'notes'];

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSave) return;
    setBusy(true);
    setError(undefined);
    if (renaming) {
      // Renamed first (copy, then delete the old): a change of value or notes then goes to the new name.
      const renamed = await renameKey(entry, key);
      if (!renamed.ok) {
        setBusy(false);
        return setError(renamed.error);
      }
      setRenamedTo(key);
      if (!value && notes === entry.notes) return onClose();
    }
    const result = await saveEntry({ ...(entry ? { realmId: entry.realmId } : {}), key, ...(value || creating ? { value } : {}), notes, mode: creating ? 'create' : 'update' });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onClose();
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={creating ? 'New secret' : `Edit ${entry.key}`} description="Encrypted on this computer before it is sent." wide>
      <form className="inline-form" onSubmit={submit} noValidate aria-label={creating ? 'New secret' : 'Edit secret'}>
        <Field
          label="Key"
          hint={creating ? "The entry's name on the server: letters, digits, dot, underscore, hyphen." : 'Change it to rename the key: the entry is copied under the new name, then the old name is deleted.'}
          error={keyProblem ?? fieldError(error, 'newKey', 'key')}
        >
          <input className="mono" spellCheck={false} autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} autoFocus={creating} />
        </Field>
        {entry && <CurrentValue key={version} item={entry} say={say} />}
        <Field
          label="Value"
          hint={creating ? undefined : 'Leave empty to keep the current value; the value it replaces is kept below.'}
          error={quotaProblem ?? fieldError(error, 'value')}
          trailing={
            <button type="button" className="button secondary small" aria-pressed={!masked} aria-label="Show value" onClick={() => setMasked((m) => !m)}>
              {masked ? 'Show' : 'Hide'}
            </button>
          }
        >
          <textarea className={`mono${masked ? ' masked' : ''}`} rows={creating ? 4 : 2} spellCheck={false} autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} autoFocus={!creating} />
        </Field>
        <GeneratorToggle onUse={setValue} />
        <Field label="Notes" hint="Encrypted too. Shown in the list once the vault is unlocked." error={notesProblem ?? fieldError(error, 'notes')}>
          <textarea rows={creating ? 3 : 2} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </Field>
        {entry && <EarlierValues item={entry} version={version} say={say} onRestored={() => setVersion((v) => v + 1)} />}
        {message && (
          <p className={message.tone === 'error' ? 'form-error' : 'dialog-status'} role={message.tone === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        {formError(error, shownFields) && (
          <p className="form-error" role="alert">
            {formError(error, shownFields)}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!canSave}>
            {busy ? (renaming ? 'Renaming…' : 'Encrypting and saving…') : creating ? 'Save secret' : renaming ? 'Rename and save' : 'Save changes'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
