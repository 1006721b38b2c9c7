import type { ImportOutcome } from '../../../../common/backup.js';

const HEADS: Record<ImportOutcome['status'], string> = {
  done: 'Import finished.',
  cancelled: 'Import cancelled. What was stored stays; run it again to store the rest (nothing is stored twice).',
  failed: 'Import stopped by an error. What was stored stays; run it again to store the rest (nothing is stored twice).',
};

function List({ title, keys }: { title: string; keys: string[] }) {
  if (keys.length === 0) return null;
  return (
    <details open={keys.length <= 10}>
      <summary>
        {title}: {keys.length.toLocaleString()}
      </summary>
      <ul>
        {keys.map((k) => (
          <li key={k}>
            <code>{k}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** What an import did: stored, skipped, in conflict, failed, not stored. */
export function ImportResult({ outcome }: { outcome: ImportOutcome }) {
  return (
    <div className={`notice backup-outcome ${outcome.status === 'done' ? 'info' : outcome.status === 'failed' ? 'error-notice' : 'warning'}`} role="status">
      <strong>{HEADS[outcome.status]}</strong>
      {outcome.failed && (
        <p>
          <code>{outcome.failed.key}</code> failed: {outcome.failed.message}
        </p>
      )}
      <List title="Stored" keys={outcome.stored} />
      <List title="Already there with the same value (skipped)" keys={outcome.skipped} />
      <List title="Already there with another value (left as it is)" keys={outcome.conflicts} />
      <List title="Not stored" keys={outcome.notStored} />
    </div>
  );
}
