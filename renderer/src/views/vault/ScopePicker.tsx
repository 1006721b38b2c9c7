import { Pencil } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { ALL_SCOPES, scopeLabel } from '../../../../common/realm-names.js';
import { realmIdSchema } from '../../../../common/rules.js';
import { sentence } from '../../lib/errors.js';
import { useVault } from '../../stores/vault.js';
import { RealmNameDialog } from './RealmNameDialog.js';
import '../../styles/realms.css';

const OTHER = '__other__';

/** All scopes, global, the account's realms (by name when named), or a realm id typed by the user (checked and lower-cased). */
export function ScopePicker() {
  const realmId = useVault((s) => s.realmId);
  const realms = useVault((s) => s.realms);
  const names = useVault((s) => s.names);
  const namesWritable = useVault((s) => s.namesWritable);
  const globalAllowed = useVault((s) => s.globalAllowed);
  const setScope = useVault((s) => s.setScope);
  const [typing, setTyping] = useState(false);
  const [typed, setTyped] = useState('');
  const [naming, setNaming] = useState(false);
  const check = realmIdSchema.safeParse(typed.trim());
  const known = realmId === '' || realmId === ALL_SCOPES || realms.includes(realmId);
  const limits = useVault((s) => s.status?.allowedRealms ?? null);
  const isRealm = realmId !== '' && realmId !== ALL_SCOPES;
  // Named realms first, by name; then the unnamed ones, by id.
  const ordered = [...realms].sort((a, b) => (names[a] && names[b] ? names[a].localeCompare(names[b]) : names[a] ? -1 : names[b] ? 1 : a < b ? -1 : 1));

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
        title={isRealm ? `Realm ${realmId}` : undefined}
        onChange={(e) => {
          if (e.target.value === OTHER) return setTyping(true);
          setTyping(false);
          setScope(e.target.value);
        }}
      >
        {(globalAllowed ? 1 : 0) + realms.length > 1 && <option value={ALL_SCOPES}>All scopes</option>}
        {globalAllowed && <option value="">Global (no realm)</option>}
        {ordered.map((id) => (
          <option key={id} value={id}>
            {scopeLabel(id, names)}
          </option>
        ))}
        {!known && <option value={realmId}>{scopeLabel(realmId, names)}</option>}
        {globalAllowed && <option value={OTHER}>Another realm…</option>}
      </select>
      {isRealm && namesWritable && !typing && (
        <button type="button" className="icon-button" aria-label={names[realmId] ? `Rename ${names[realmId]}` : 'Name this realm'} title={names[realmId] ? 'Rename this realm' : 'Name this realm'} onClick={() => setNaming(true)}>
          <Pencil size={15} aria-hidden="true" />
        </button>
      )}
      {!globalAllowed && (
        <p className="scope-limit muted small" id="scope-limit">
          This token may use only {limits && limits.length === 1 ? 'realm' : 'these realms'}: {(limits ?? realms).map((id) => scopeLabel(id, names).replace(/^Realm /, '')).join(', ') || 'none'}.
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
      {naming && isRealm && <RealmNameDialog realmId={realmId} onClose={() => setNaming(false)} />}
    </div>
  );
}
