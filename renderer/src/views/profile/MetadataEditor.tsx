import { useState, type FormEvent } from 'react';
import type { Result } from '../../../../common/errors.js';
import type { User } from '../../../../common/hoody-types.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError } from '../../lib/errors.js';
import { SaveRow } from './AliasForm.js';
import { useSave } from './useSave.js';

const pretty = (value: unknown) => JSON.stringify(value ?? {}, null, 2);

/** Checks the text is a JSON object; says where the JSON breaks, or what kind of value it is instead. */
export function parseMetadata(text: string): { value: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message.replace(/^JSON\.parse: /, '');
    return { error: `Metadata is not valid JSON: ${message}.` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
    return { error: `Metadata must be a JSON object ({ … }), not ${kind}.` };
  }
  return { value: value as Record<string, unknown> };
}

/**
 * A JSON object editor: the text is checked as it is typed and a save is refused until it is an
 * object; the entries are listed underneath so the user sees what will be stored.
 */
export function MetadataEditor({ user, onSave }: { user: User; onSave(change: { metadata: Record<string, unknown> }): Promise<Result<User>> }) {
  const [text, setText] = useState(pretty(user.metadata));
  const save = useSave<User>();
  const parsed = parseMetadata(text);
  const changed = 'value' in parsed ? JSON.stringify(parsed.value) !== JSON.stringify(user.metadata ?? {}) : true;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!('value' in parsed) || !changed) return;
    const value = parsed.value;
    const result = await save.run(() => onSave({ metadata: value }));
    if (result.ok) setText(pretty(result.data.metadata));
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Metadata">
      <Field label="Metadata (JSON object)" hint="Free-form information about you, as a JSON object." error={('error' in parsed ? parsed.error : undefined) ?? fieldError(save.error, 'metadata')}>
        <textarea className="mono" rows={Math.min(14, Math.max(4, text.split('\n').length + 1))} spellCheck={false} value={text} onChange={(e) => (setText(e.target.value), save.clear())} />
      </Field>
      {'value' in parsed && Object.keys(parsed.value).length > 0 && (
        <table className="kv-table" aria-label="Metadata entries">
          <tbody>
            {Object.entries(parsed.value).map(([key, value]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>
                  <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions">
        <button type="button" className="button secondary" disabled={!('value' in parsed)} onClick={() => 'value' in parsed && setText(pretty(parsed.value))}>
          Format
        </button>
      </div>
      <SaveRow busy={save.busy} disabled={!changed || !('value' in parsed)} saved={save.saved && !changed} error={formError(save.error, ['metadata'])} label="Save metadata" />
    </form>
  );
}
