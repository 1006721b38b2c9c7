import { X } from 'lucide-react';
import { formatBytes } from '../../lib/format.js';
import { cancelUpload } from '../../stores/file-actions.js';
import { useUploads } from '../../stores/uploads.js';

const LABELS = { waiting: 'Waiting', uploading: 'Encrypting and sending', done: 'Stored', failed: 'Failed', cancelled: 'Cancelled' } as const;

/** One progress bar per file, with a cancel button while it runs. */
export function UploadList() {
  const rows = useUploads((s) => s.rows);
  if (rows.length === 0) return null;
  const running = rows.some((r) => r.state === 'waiting' || r.state === 'uploading');
  return (
    <section className="card uploads" aria-label="Uploads">
      <ul>
        {rows.map((row) => {
          const percent = row.total ? Math.round((row.sent / row.total) * 100) : row.state === 'done' ? 100 : 0;
          return (
            <li key={row.uploadId} className={`upload upload-${row.state}`}>
              <div className="upload-head">
                <span className="mono">{row.key}</span>
                <span className="muted small">
                  {LABELS[row.state]}
                  {row.state === 'uploading' ? ` · ${formatBytes(row.sent)} of ${formatBytes(row.total)}` : ''}
                </span>
                {(row.state === 'waiting' || row.state === 'uploading') && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Cancel ${row.key}`}
                    onClick={() => cancelUpload(row.uploadId, row.state === 'waiting')}
                  >
                    <X size={16} aria-hidden="true" />
                  </button>
                )}
              </div>
              <div className="progress" role="progressbar" aria-label={`${row.name}: ${LABELS[row.state]}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
                <span style={{ width: `${percent}%` }} />
              </div>
              {row.error && row.state === 'failed' && <p className="field-error small">{row.error.message}</p>}
            </li>
          );
        })}
      </ul>
      {!running && (
        <button type="button" className="button link" onClick={() => useUploads.getState().clearFinished()}>
          Clear finished
        </button>
      )}
    </section>
  );
}
