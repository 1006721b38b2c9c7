import { KeyRound } from 'lucide-react';
import { useState } from 'react';
import { CopyButton } from '../../components/CopyButton.js';

/** The backup codes, shown once: copy them, save them as a file, then say they are kept. */
export function BackupCodes({ codes, username, onDone }: { codes: string[]; username: string; onDone(): void }) {
  const [saved, setSaved] = useState(false);
  const text = `Hoody backup codes for ${username}\nEach code works once, in place of the code from your authenticator app.\n\n${codes.join('\n')}\n`;
  return (
    <div className="backup-codes" role="region" aria-labelledby="backup-codes-title">
      <h3 id="backup-codes-title">
        <KeyRound size={18} aria-hidden="true" /> Your backup codes
      </h3>
      <p>
        If you lose your phone, each of these codes signs you in once instead of the app&apos;s code. They are shown <strong>only now</strong>: save them in a password
        manager or print them.
      </p>
      <ol className="code-grid mono" aria-label="Backup codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="form-actions">
        <CopyButton text={codes.join('\n')} label="Copy codes" />
        <a className="button secondary" download="hoody-backup-codes.txt" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}>
          Download as a file
        </a>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />I have saved my backup codes somewhere safe
      </label>
      <div className="form-actions">
        <button type="button" className="button primary" disabled={!saved} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
