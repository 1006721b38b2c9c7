import { useState } from 'react';
import { entryKeySchema } from '../../../../common/vault.js';
import { FILE_METADATA_ALLOWANCE, fileValueLength, keyFromFileName, uniqueKey, type DroppedFile } from '../../../../common/vault-files.js';
import { Dialog } from '../../components/Dialog.js';
import { sentence } from '../../lib/errors.js';
import { formatBytes } from '../../lib/format.js';
import { uploadFiles } from '../../stores/file-actions.js';

interface Planned extends DroppedFile {
  key: string;
}

/** The files chosen, each with the key it will be stored under (editable), checked before anything is sent. */
export function UploadDialog({ files, scope, existing, remainingBytes, onClose }: { files: DroppedFile[]; scope: string; existing: ReadonlySet<string>; remainingBytes: number; onClose(): void }) {
  const [planned, setPlanned] = useState<Planned[]>(() => {
    const taken = new Set(existing);
    return files.map((file) => {
      const key = uniqueKey(keyFromFileName(file.name), taken);
      taken.add(key);
      return { ...file, key };
    });
  });
  const needs = (file: Planned) => fileValueLength(file.size) + FILE_METADATA_ALLOWANCE;
  const problems = planned.map((file, index) => {
    const check = entryKeySchema.safeParse(file.key);
    if (!check.success) return sentence(`Key ${check.error.issues[0]?.message}`);
    if (existing.has(file.key) || planned.some((other, j) => j !== index && other.key === file.key)) return 'Another entry already has this key.';
    return undefined;
  });
  // Files are stored in order: each fits if it and every file before it fit in what is left.
  const running = planned.map((_, index) => planned.slice(0, index + 1).reduce((sum, file) => sum + needs(file), 0));
  const fits = running.map((used) => used <= remainingBytes);
  const total = running.at(-1) ?? 0;
  const blocked = problems.some(Boolean) || fits.some((fit) => !fit);

  function start() {
    onClose();
    void uploadFiles(planned);
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`Store ${planned.length} ${planned.length === 1 ? 'file' : 'files'} in ${scope}`} description="Each file is encrypted on this computer, then stored under the key shown. You can change the keys." wide>
      <ul className="upload-plan">
        {planned.map((file, index) => (
          <li key={file.fileId}>
            <div className="upload-plan-file">
              <strong>{file.name}</strong>
              <span className="muted small">
                {formatBytes(file.size)} · needs {formatBytes(needs(file))} stored
              </span>
            </div>
            <label className="sr-only" htmlFor={`upload-key-${index}`}>
              Key for {file.name}
            </label>
            <input
              id={`upload-key-${index}`}
              className="mono"
              value={file.key}
              spellCheck={false}
              aria-invalid={problems[index] || !fits[index] ? true : undefined}
              aria-describedby={`upload-key-${index}-error`}
              onChange={(e) => setPlanned((all) => all.map((f, j) => (j === index ? { ...f, key: e.target.value } : f)))}
            />
            <p id={`upload-key-${index}-error`} className="field-error small">
              {problems[index] ?? (!fits[index] ? `Does not fit: it needs ${formatBytes(needs(file))} and your vault has ${formatBytes(Math.max(0, remainingBytes))} left.` : '')}
            </p>
          </li>
        ))}
      </ul>
      <p className="muted small">
        {formatBytes(total)} needed of the {formatBytes(Math.max(0, remainingBytes))} left in your vault.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button primary" disabled={blocked} onClick={start}>
          Encrypt and store
        </button>
      </div>
    </Dialog>
  );
}
