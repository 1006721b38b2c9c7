import { useState, type FormEvent } from 'react';
import { realmIdSchema } from '../../../../common/rules.js';
import { sentence } from '../../lib/errors.js';
import { useVault } from '../../stores/vault.js';

const OTHER = '__other__';

/** Global, the account's realms, or a realm id typed by the user (checked and lower-cased). */
export function ScopePicker() {
  const realmId = useVault((s) => s.realmId);
  const realms = useVault((s) => s.realms);
  const globalAllowed = useVault((s) => s.globalAllowed);
  const setScope = useVault((s) => s.setScope);
  const [typing, setTyping] = useState(false);
  const [typed, setTyped] = useState('');
  const check = realmIdSchema.safeParse(typed.trim());
  const known = realmId === '' || realms.includes(realmId);
  const limits = useVault((s) => s.status?.allowedRealms ?? null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!check.success) return;
    setTyping(false);
    setTyped('');
    setScope(check.data);
  }

  return (
    <div className="scope-picker">
      <label htmlFor="scope-select">Scope</label>
      <select
        id="scope-select"
        aria-describedby={!globalAllowed ? 'scope-limit' : undefined}
        value={typing ? OTHER : realmId}
        onChange={(e) => {
          if (e.target.value === OTHER) return setTyping(true);
          setTyping(false);
          setScope(e.target.value);
        }}
      >
        {globalAllowed && <option value="">Global (no realm)</option>}
        {realms.map((id) => (
          <option key={id} value={id}>
            Realm {id}
          </option>
        ))}
        {!known && <option value={realmId}>Realm {realmId}</option>}
        {globalAllowed && <option value={OTHER}>Another realm…</option>}
      </select>
      {!globalAllowed && (
        <p className="scope-limit muted small" id="scope-limit">
          This token may use only {limits && limits.length === 1 ? 'realm' : 'these realms'}: {(limits ?? realms).join(', ') || 'none'}.
        </p>
      )}
      {typing && (
        <form className="scope-other" onSubmit={submit} noValidate aria-label="Open another realm">
          <input
            aria-label="Realm ID"
            className="mono"
            placeholder="24 hexadecimal characters"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-invalid={typed && !check.success ? true : undefined}
            aria-describedby="scope-other-error"
            autoFocus
          />
          <button type="submit" className="button secondary small" disabled={!check.success}>
            Open
          </button>
          {typed && !check.success && (
            <p id="scope-other-error" className="field-error small">
              {sentence(`Realm ID ${check.error.issues[0]?.message}`)}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
