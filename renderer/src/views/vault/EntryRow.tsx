import { Copy, Download, Eye, EyeOff, Lock, Pencil, ShieldAlert, Trash2 } from 'lucide-react';
import type { VaultItem } from '../../../../common/vault.js';
import { formatBytes, formatDateTime, formatRelative } from '../../lib/format.js';
import { EntryIcon } from './FileIcon.js';

const FORMAT_BADGES: Partial<Record<VaultItem['format'], { label: string; title: string; className: string }>> = {
  plain: { label: 'Not encrypted', title: 'Stored as plain text on the server. Encrypt it to protect it.', className: 'badge danger' },
  'hoody-enc1': { label: 'Hoody SDK', title: "Encrypted with the Hoody SDK's own format (its own password).", className: 'badge' },
  foreign: { label: 'Not by this app', title: 'Written by another program; reveal it to see what it is.', className: 'badge muted-badge' },
  unreadable: { label: 'Cannot open', title: 'Sealed by another vault key, or changed outside this app.', className: 'badge danger' },
};

export interface RowActions {
  onReveal(item: VaultItem): void;
  onHide(item: VaultItem): void;
  onCopy(item: VaultItem): void;
  onEdit(item: VaultItem): void;
  onDelete(item: VaultItem): void;
  onEncrypt(item: VaultItem): void;
  onOpenFile(item: VaultItem): void;
  onSaveFile(item: VaultItem): void;
}

/**
 * The notes (and a file's name) on one line, cut with an ellipsis so that every row of a density
 * has the same height; the whole text is the line's tooltip, and in full in Edit.
 */
function EntryNotes({ text }: { text: string }) {
  return (
    <p className="entry-notes" title={text}>
      {text}
    </p>
  );
}

/** `scope`: in All scopes, the name of the scope the entry is in. */
export function EntryRow({ item, revealed, busy, actions, scope }: { item: VaultItem; revealed: string | undefined; busy: boolean; actions: RowActions; scope?: string }) {
  const known = FORMAT_BADGES[item.format];
  // A value that cannot open says why, when the app found out (its size, or its first opening).
  const badge = known && item.problem ? { ...known, title: item.problem } : known;
  const isFile = item.kind === 'file';
  const canEncrypt = item.format === 'plain' || item.format === 'hoody-enc1' || item.format === 'foreign';
  return (
    <div className={`entry${item.pending === 'delete' ? ' pending-delete' : ''}`}>
      <span className="entry-icon" aria-hidden="true">
        <EntryIcon item={item} />
      </span>
      <div className="entry-main">
        <div className="entry-title">
          <span className="entry-key mono">{item.key}</span>
          {scope !== undefined && (
            <span className="badge scope-badge" title={item.realmId ? `Realm ${item.realmId}` : 'The global scope (no realm)'}>
              {scope}
            </span>
          )}
          {item.pending && (
            <span className="badge pending" title="Made on this computer while offline; sent when the server is back.">
              {item.pending === 'delete' ? 'Deleting when online' : 'Waiting to sync'}
            </span>
          )}
          {badge && (
            <span className={badge.className} title={badge.title}>
              {item.format === 'plain' && <ShieldAlert size={12} aria-hidden="true" />} {badge.label}
            </span>
          )}
        </div>
        {(item.notes || item.filename) && <EntryNotes text={[item.filename, item.notes].filter(Boolean).join(' · ')} />}
        {revealed !== undefined && (
          <pre className="entry-value mono" aria-label={`Value of ${item.key}`}>
            {revealed}
          </pre>
        )}
      </div>
      <span className="entry-size small muted">{formatBytes(item.size)}</span>
      <span className="entry-time small muted" title={formatDateTime(item.updatedAt)}>
        {formatRelative(item.updatedAt)}
      </span>
      <div className="entry-actions">
        {isFile ? (
          <>
            <button type="button" className="icon-button" aria-label={`Open ${item.key}`} title="Open" disabled={busy || item.format !== 'hv1'} onClick={() => actions.onOpenFile(item)}>
              <Eye size={17} aria-hidden="true" />
            </button>
            <button type="button" className="icon-button" aria-label={`Save ${item.key} to disk`} title="Save to disk" disabled={busy || item.format !== 'hv1'} onClick={() => actions.onSaveFile(item)}>
              <Download size={17} aria-hidden="true" />
            </button>
          </>
        ) : revealed === undefined ? (
          <button type="button" className="icon-button" aria-label={`Reveal ${item.key}`} title="Reveal" disabled={busy} onClick={() => actions.onReveal(item)}>
            <Eye size={17} aria-hidden="true" />
          </button>
        ) : (
          <button type="button" className="icon-button" aria-label={`Hide ${item.key}`} title="Hide" onClick={() => actions.onHide(item)}>
            <EyeOff size={17} aria-hidden="true" />
          </button>
        )}
        {!isFile && (
          <button type="button" className="icon-button" aria-label={`Copy ${item.key}`} title="Copy (cleared from the clipboard after 30 s)" disabled={busy} onClick={() => actions.onCopy(item)}>
            <Copy size={17} aria-hidden="true" />
          </button>
        )}
        {canEncrypt && (
          <button type="button" className="icon-button" aria-label={`Encrypt ${item.key}`} title="Encrypt with your vault key" disabled={busy} onClick={() => actions.onEncrypt(item)}>
            <Lock size={17} aria-hidden="true" />
          </button>
        )}
        {!isFile && (
          <button type="button" className="icon-button" aria-label={`Edit ${item.key}`} title="Edit" disabled={busy || item.format !== 'hv1'} onClick={() => actions.onEdit(item)}>
            <Pencil size={17} aria-hidden="true" />
          </button>
        )}
        <button type="button" className="icon-button danger" aria-label={`Delete ${item.key}`} title="Delete" disabled={busy} onClick={() => actions.onDelete(item)}>
          <Trash2 size={17} aria-hidden="true" />
        </button>
      </div>
    </div>
  );
}
