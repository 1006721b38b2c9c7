import { scopeLabel } from '../../../../common/realm-names.js';
import { useVault } from '../../stores/vault.js';

/** All scopes: the scopes that could not be listed (offline and never synced, say), so a search is never silently partial. */
export function ScopeProblems() {
  const parts = useVault((s) => s.parts);
  const names = useVault((s) => s.names);
  const failed = [...parts].flatMap(([realmId, part]) => (part.error ? [{ realmId, message: part.error.message }] : []));
  if (failed.length === 0) return null;
  return (
    <div className="notice error-notice scope-problems" role="alert">
      <span>
        Not searched: {failed.length === 1 ? 'one scope' : `${failed.length} scopes`}.
        <ul>
          {failed.map(({ realmId, message }) => (
            <li key={realmId}>
              <strong>{scopeLabel(realmId, names)}</strong>: {message}
            </li>
          ))}
        </ul>
      </span>
    </div>
  );
}
