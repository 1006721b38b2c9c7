import { useState, type FormEvent } from 'react';
import type { BackupExportKind } from '../../../../common/backup.js';
import { passphraseSchema } from '../../../../common/vault.js';
import { Field } from '../../components/Field.js';
import { useBackup } from '../../stores/backup.js';

const KINDS: Array<{ kind: BackupExportKind; label: string; hint: string }> = [
  { kind: 'encrypted', label: 'Encrypted backup (.hvbackup)', hint: 'Every scope, secrets, notes and files, sealed under a password you choose. Opens in this app on any account.' },
  { kind: 'json', label: 'Plain-text JSON', hint: 'Every scope, secrets, notes and files, readable by any program — and by anyone who gets the file.' },
  { kind: 'env', label: 'Plain-text .env', hint: 'Secrets only, one KEY="value" line each, readable by anyone who gets the file.' },
];

/** Export: the encrypted backup, or a plain-text file behind a warning that must be acknowledged. */
export function ExportPanel({ busy }: { busy: boolean }) {
  const exportVault = useBackup((s) => s.exportVault);
  const notice = useBackup((s) => s.exportNotice);
  const error = useBackup((s) => s.exportError);
  const [kind, setKind] = useState<BackupExportKind>('encrypted');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [tried, setTried] = useState(false);

  const rule = passphraseSchema.safeParse(password);
  const passwordError = kind === 'encrypted' && tried && !rule.success ? `The export password ${rule.error.issues[0]?.message ?? 'is not valid'}.` : (error?.fields?.password ? `The export password ${error.fields.password}.` : undefined);
  const repeatError = kind === 'encrypted' && tried && rule.success && repeat !== password ? 'The two passwords differ.' : undefined;
  const confirmError = kind !== 'encrypted' && tried && !confirmed ? 'Tick the box to confirm you want the secrets in plain text.' : undefined;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (kind === 'encrypted') {
      if (!rule.success || repeat !== password) return;
      await exportVault({ kind, password });
      setPassword('');
      setRepeat('');
      setTried(false);
    } else {
      if (!confirmed) return;
      await exportVault({ kind, confirmPlaintext: true });
      setConfirmed(false);
      setTried(false);
    }
  }

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-labelledby="backup-export-title">
      <h2 id="backup-export-title">Export the vault</h2>
      <fieldset className="backup-choices">
        <legend className="muted small">What to write</legend>
        {KINDS.map((k) => (
          <label key={k.kind}>
            <input type="radio" name="backup-kind" value={k.kind} checked={kind === k.kind} onChange={() => { setKind(k.kind); setTried(false); }} />
            <span>
              {k.label} <span className="hint">{k.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {kind === 'encrypted' ? (
        <>
          <Field label="Export password" hint="At least 10 characters. Nobody can open the backup without it, not even Hoody: keep it with the file's location." error={passwordError}>
            <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
          <Field label="Repeat the export password" error={repeatError}>
            <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
          </Field>
        </>
      ) : (
        <div className="notice warning backup-warning" role="alert">
          <span>
            <strong>Every secret will be readable in this file.</strong> Anyone who gets it — a synced folder, a backup drive, a mail attachment — gets every value in your vault. Prefer the encrypted backup; delete this file as soon as you have used it.
          </span>
          <label>
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} aria-describedby={confirmError ? 'backup-confirm-error' : undefined} />
            I understand: write my secrets in plain text
          </label>
          {confirmError && (
            <span id="backup-confirm-error" className="field-error">
              {confirmError}
            </span>
          )}
        </div>
      )}
      <div className="backup-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {kind === 'encrypted' ? 'Export encrypted backup' : 'Export in plain text'}
        </button>
      </div>
      {notice && (
        <p className={`notice ${notice.tone === 'error' ? 'error-notice' : notice.tone}`} role="status">
          {notice.text}
        </p>
      )}
      {error && !error.fields?.password && (
        <p className="notice error-notice" role="alert">
          The export failed: {error.message}
        </p>
      )}
    </form>
  );
}
