import { useState, type FormEvent } from 'react';
import { IMPORT_FORMATS, IMPORT_FORMAT_LABELS, type ImportFormat } from '../../../../common/backup.js';
import { Field } from '../../components/Field.js';
import { useBackup } from '../../stores/backup.js';
import { useVault } from '../../stores/vault.js';
import { ImportResult } from './ImportResult.js';

const KEEP = 'keep';
const keepsScopes = (format: ImportFormat) => format === 'backup' || format === 'json';
const ACCEPT: Record<ImportFormat, string> = { backup: '.hvbackup,application/json', json: '.json,application/json', env: '.env,text/plain', bitwarden: '.json,application/json', keepassxc: '.csv,text/csv' };

/** Import: choose the file and where it goes, see the names it will store, then store them. */
export function ImportPanel({ busy, desktop }: { busy: boolean; desktop: boolean }) {
  const { preview, previewError, outcome, previewImport, runImport, clearImport } = useBackup();
  const realms = useVault((s) => s.realms);
  const globalAllowed = useVault((s) => s.globalAllowed);
  const [format, setFormat] = useState<ImportFormat>('backup');
  const [file, setFile] = useState<File | undefined>();
  const [password, setPassword] = useState('');
  const [scope, setScope] = useState<string>(KEEP);
  const [tried, setTried] = useState(false);

  const scopeValue = scope === KEEP && !keepsScopes(format) ? (globalAllowed ? '' : (realms[0] ?? '')) : scope;
  const fileError = tried && !file ? 'Choose the file to import.' : (previewError?.fields?.text ? `The file ${previewError.fields.text}.` : undefined);
  const passwordError = previewError?.fields?.password ? `The password ${previewError.fields.password}.` : undefined;

  async function onRead(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (!file) return;
    await previewImport({ file, format, desktop, ...(format === 'backup' ? { password } : {}), ...(scopeValue === KEEP ? {} : { realmId: scopeValue }) });
  }

  return (
    <section className="card" aria-labelledby="backup-import-title">
      <h2 id="backup-import-title">Import</h2>
      {!preview ? (
        <form onSubmit={onRead} noValidate className="backup-section">
          <Field label="File format">
            <select value={format} onChange={(e) => { setFormat(e.target.value as ImportFormat); clearImport(); }}>
              {IMPORT_FORMATS.map((f) => (
                <option key={f} value={f}>{IMPORT_FORMAT_LABELS[f]}</option>
              ))}
            </select>
          </Field>
          <Field label="File" error={fileError} hint="Read on this computer; nothing is stored until you confirm the preview.">
            <input type="file" accept={ACCEPT[format]} onChange={(e) => { setFile(e.target.files?.[0]); clearImport(); }} />
          </Field>
          {format === 'backup' && (
            <Field label="Backup password" error={passwordError}>
              <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
          )}
          <Field label="Store into">
            <select value={scopeValue} onChange={(e) => setScope(e.target.value)}>
              {keepsScopes(format) && <option value={KEEP}>The scopes in the file</option>}
              {globalAllowed && <option value="">Global scope</option>}
              {realms.map((r) => (
                <option key={r} value={r}>Realm {r}</option>
              ))}
            </select>
          </Field>
          <div className="backup-actions">
            <button type="submit" className="button primary" disabled={busy}>Read and preview</button>
          </div>
          {previewError && !previewError.fields?.text && !previewError.fields?.password && (
            <p className="notice error-notice" role="alert">{previewError.message}</p>
          )}
        </form>
      ) : (
        <div className="backup-section">
          <p>
            {preview.items.length.toLocaleString()} {preview.items.length === 1 ? 'entry' : 'entries'} will be stored under these names. A name already taken is compared at import: the same value is skipped, another value is left as it is and reported.
          </p>
          <div className="backup-preview-scroll" tabIndex={0} role="region" aria-label="Entries to import">
            <table className="backup-preview-table">
              <thead>
                <tr><th scope="col">In the file</th><th scope="col">Key name</th><th scope="col">Scope</th><th scope="col">Kind</th><th scope="col">Name taken</th></tr>
              </thead>
              <tbody>
                {preview.items.map((item) => (
                  <tr key={`${item.realmId}/${item.key}`}>
                    <td>{item.source}</td>
                    <td><code>{item.key}</code></td>
                    <td>{item.realmId || 'global'}</td>
                    <td>{item.kind}</td>
                    <td>{item.exists ? 'yes' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.ignored.length > 0 && (
            <div className="notice warning">
              Not imported:
              <ul>{preview.ignored.map((i, n) => <li key={n}>{i.source} {i.reason}</li>)}</ul>
            </div>
          )}
          <div className="backup-actions">
            <button type="button" className="button primary" disabled={busy || preview.items.length === 0} onClick={() => void runImport()}>
              {outcome ? 'Run the import again' : `Import ${preview.items.length.toLocaleString()} ${preview.items.length === 1 ? 'entry' : 'entries'}`}
            </button>
            <button type="button" className="button secondary" disabled={busy} onClick={clearImport}>Choose another file</button>
          </div>
          {previewError && <p className="notice error-notice" role="alert">{previewError.message}</p>}
        </div>
      )}
      {outcome && <ImportResult outcome={outcome} />}
    </section>
  );
}
