import { Download } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { FilePreview } from '../../../../common/contract.js';
import type { VaultItem } from '../../../../common/vault.js';
import { Dialog } from '../../components/Dialog.js';
import { formatBytes } from '../../lib/format.js';
import { previewFile } from '../../stores/file-actions.js';

/** A file opened inside the app: text and images shown, anything else offered for saving. */
export function PreviewDialog({ item, onClose, onSave }: { item: VaultItem; onClose(): void; onSave(item: VaultItem): void }) {
  const [preview, setPreview] = useState<FilePreview | { kind: 'error'; message: string } | undefined>();
  useEffect(() => {
    let live = true;
    void previewFile(item).then((result) => live && setPreview(result.ok ? result.data : { kind: 'error', message: result.error.message }));
    return () => {
      live = false;
    };
  }, [item]);

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={item.filename ?? item.key} description={`${item.contentType ?? 'file'} · ${formatBytes(item.size)}`} wide>
      <div className="preview" aria-live="polite">
        {!preview && <p className="muted">Decrypting…</p>}
        {preview?.kind === 'text' && (
          <>
            <pre className="preview-text mono" aria-label={`Contents of ${item.filename ?? item.key}`}>
              {preview.text}
            </pre>
            {preview.truncated && <p className="muted small">Showing the first 512 KB. Save the file to see all of it.</p>}
          </>
        )}
        {preview?.kind === 'image' && <img className="preview-image" src={preview.dataUrl} alt={item.filename ?? item.key} />}
        {preview?.kind === 'none' && <p>{preview.reason}</p>}
        {preview?.kind === 'error' && (
          <p className="form-error" role="alert">
            {preview.message}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onClose}>
          Done
        </button>
        <button type="button" className="button primary" onClick={() => onSave(item)}>
          <Download size={16} aria-hidden="true" /> Save to disk
        </button>
      </div>
    </Dialog>
  );
}
