import { KeyRound, Upload, X } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppError } from '../../../../common/errors.js';
import { ALL_SCOPES, scopeLabel } from '../../../../common/realm-names.js';
import type { VaultItem } from '../../../../common/vault.js';
import type { DroppedFile } from '../../../../common/vault-files.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { useRowDensity } from '../../lib/row-density.js';
import { entryId } from '../../stores/all-scopes.js';
import { addFiles, saveFileToDisk } from '../../stores/file-actions.js';
import { sayError, useNotices } from '../../stores/notices.js';
import { copyEntry, deleteEntry, encryptEntry, hideEntry, revealEntry } from '../../stores/vault-actions.js';
import { useVault, visibleEntries } from '../../stores/vault.js';
import { EntryEditor } from './EntryEditor.js';
import { EntryList } from './EntryList.js';
import type { RowActions } from './EntryRow.js';
import { useStableActions } from './row-actions.js';
import { KeyringNotices } from './KeyringNotice.js';
import { OfflineBanners } from './OfflineBanners.js';
import { PreviewDialog } from './PreviewDialog.js';
import { UploadDialog } from './UploadDialog.js';
import { UploadList } from './UploadList.js';
import { ChangePassphraseDialog, DeleteAllDialog, PasswordPrompt } from './VaultDialogs.js';
import { ScopeProblems } from './ScopeProblems.js';
import { VaultStatusBar } from './VaultStatusBar.js';
import { VaultToolbar } from './VaultToolbar.js';

type Dialog =
  | { kind: 'new' }
  | { kind: 'edit'; item: VaultItem }
  | { kind: 'delete'; item: VaultItem }
  | { kind: 'delete-all' }
  | { kind: 'password'; item: VaultItem; purpose: 'reveal' | 'encrypt'; error?: AppError }
  | { kind: 'passphrase' }
  | { kind: 'upload'; files: DroppedFile[] }
  | { kind: 'preview'; item: VaultItem };

const NO_ENTRIES: VaultItem[] = [];

/** The entry (scope and key) of the list row an element is in, if any. */
const entryOf = (element: HTMLElement): string | undefined => element.closest<HTMLElement>('[role="listitem"][data-id]')?.dataset.id;

/** Gives focus back to what opened a dialog, or to the same control of the same entry; false if neither is there. */
function returnTo({ element, entry }: { element: HTMLElement; entry: string | undefined }): boolean {
  const row = entry === undefined ? undefined : [...document.querySelectorAll<HTMLElement>('[role="listitem"][data-id]')].find((r) => r.dataset.id === entry);
  const label = element.getAttribute('aria-label');
  const target = element.isConnected && entryOf(element) === entry ? element : label ? row?.querySelector<HTMLElement>(`button[aria-label="${CSS.escape(label)}"]`) : undefined;
  target?.focus();
  return !!target;
}

/** The unlocked vault as a working surface: one toolbar, one scrolling list, one status line. */
export function VaultBrowser() {
  const { realmId, listing, loading, error, search, sort, refresh, status, names } = useVault();
  const allScopes = realmId === ALL_SCOPES;
  const notice = useNotices((s) => s.notice);
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const [busyKey, setBusyKey] = useState<string | undefined>();
  const [density, setDensity] = useRowDensity();
  const searchRef = useRef<HTMLInputElement>(null);
  const fileInputRef = useRef<HTMLInputElement>(null);
  // Dialogs here are drawn only while open, so focus is given back by hand to what opened them.
  const opener = useRef<{ element: HTMLElement; entry: string | undefined } | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    void useVault.getState().enter();
    // Just unlocked or set up: the form that had focus is gone. Land in the search, as KeePassXC does.
    if (document.activeElement === document.body || !document.activeElement) searchRef.current?.focus();
  }, []);

  // Ctrl/⌘+F searches the vault rather than the page.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const entries = useMemo(() => visibleEntries(listing?.entries ?? [], search, sort), [listing, search, sort]);
  // Props of the (memoised) list that stay the same between keystrokes: a keystroke every entry
  // matches leaves the list as it was.
  const scopeOf = useCallback((item: VaultItem) => scopeLabel(item.realmId, names), [names]);

  function open(next: Dialog) {
    const active = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    opener.current = active && { element: active, entry: entryOf(active) };
    setDialog(next);
  }
  function close() {
    setDialog(undefined);
    const back = opener.current;
    opener.current = null;
    // The list reuses its rows for other entries: focus goes back to the control that opened the
    // dialog only if it still acts on the same entry, else to that control in the entry's row (moved
    // by a save), else (the entry deleted, or out of view) to the search.
    requestAnimationFrame(() => (back && returnTo(back)) || searchRef.current?.focus());
  }

  async function busy<T>(item: VaultItem, run: () => Promise<T>): Promise<T> {
    setBusyKey(entryId(item));
    try {
      return await run();
    } finally {
      setBusyKey(undefined);
    }
  }

  async function reveal(item: VaultItem, password?: string) {
    const result = await busy(item, () => revealEntry(item, password));
    if (result.ok) return dialog?.kind === 'password' ? close() : undefined;
    if (result.error.code === 'PASSWORD_REQUIRED') open({ kind: 'password', item, purpose: 'reveal', ...(password !== undefined ? { error: result.error } : {}) });
    else sayError(result.error.message);
  }

  async function encrypt(item: VaultItem, password?: string) {
    const result = await busy(item, () => encryptEntry(item, password));
    if (result.ok) return dialog ? close() : undefined;
    if (result.error.code === 'PASSWORD_REQUIRED') open({ kind: 'password', item, purpose: 'encrypt', ...(password !== undefined ? { error: result.error } : {}) });
    else sayError(result.error.message);
  }

  async function pickFiles(list: FileList | File[] | null) {
    const files = [...(list ?? [])];
    if (files.length === 0) return;
    if (allScopes) return sayError('Choose the scope to store the files in first: All scopes only searches.');
    const result = await addFiles(files);
    if (!result.ok) return sayError(result.error.message);
    open({ kind: 'upload', files: result.data });
  }

  async function saveFile(item: VaultItem) {
    const result = await busy(item, () => saveFileToDisk(item));
    if (!result.ok) sayError(result.error.message);
  }

  const latest: RowActions = {
    onOpenFile: (item) => open({ kind: 'preview', item }),
    onSaveFile: (item) => void saveFile(item),
    onReveal: (item) => void reveal(item),
    onHide: (item) => hideEntry(item),
    onCopy: async (item) => {
      const result = await busy(item, () => copyEntry(item));
      if (result.ok) return;
      if (result.error.code === 'PASSWORD_REQUIRED') return open({ kind: 'password', item, purpose: 'reveal' });
      sayError(result.error.message);
    },
    onEdit: (item) => open({ kind: 'edit', item }),
    onDelete: (item) => open({ kind: 'delete', item }),
    onEncrypt: (item) => void encrypt(item),
  };
  const actions = useStableActions(latest);

  async function confirmDelete(item: VaultItem) {
    const result = await busy(item, () => deleteEntry(item));
    close();
    if (!result.ok) sayError(result.error.message);
  }

  const label = allScopes ? 'all scopes' : realmId ? scopeLabel(realmId, names) : 'the global scope';
  // Offline the account's free space is unknown: the server checks when the change is sent.
  const remainingBytes = listing && !listing.offline ? listing.stats.remainingBytes : Number.MAX_SAFE_INTEGER;
  return (
    <section
      className={`view wide vault-view${dragging ? ' dragging' : ''}`}
      onDragEnter={(e) => {
        if (e.dataTransfer.types.includes('Files')) setDragging(true);
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node)) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void pickFiles(e.dataTransfer.files);
      }}
    >
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <Upload size={36} />
          <p>Drop to encrypt and store in {label}</p>
        </div>
      )}
      <input ref={fileInputRef} type="file" multiple hidden aria-hidden="true" tabIndex={-1} onChange={(e) => void pickFiles(e.target.files).finally(() => (e.target.value = ''))} />
      <VaultToolbar
        searchRef={searchRef}
        canDeleteAll={!!listing && listing.entries.length > 0}
        onNew={() => open({ kind: 'new' })}
        onAddFiles={() => fileInputRef.current?.click()}
        onChangePassphrase={() => open({ kind: 'passphrase' })}
        onDeleteAll={() => open({ kind: 'delete-all' })}
      />
      {status && <KeyringNotices status={status} />}
      {status && <OfflineBanners status={status} listing={listing} />}
      <UploadList />
      {notice && (
        <p className={`notice ${notice.tone === 'error' ? 'error-notice' : 'info'}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" className="icon-button small-icon" aria-label="Dismiss" onClick={() => useNotices.getState().dismiss(notice.id)}>
            <X size={14} aria-hidden="true" />
          </button>
        </p>
      )}
      {error && (
        <div className="banner error" role="alert">
          {error.message}{' '}
          <button type="button" className="button secondary small" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      )}
      {listing && entries.length === 0 && !search && (
        <div className="empty-state card">
          <span className="empty-icon" aria-hidden="true">
            <KeyRound size={26} />
          </span>
          <h2>Nothing here yet</h2>
          <p>Add a secret, or drop files here: everything is encrypted on this computer before it goes to Hoody.</p>
        </div>
      )}
      {allScopes && <ScopeProblems />}
      <EntryList entries={listing ? entries : NO_ENTRIES} label={label} busyKey={busyKey} actions={actions} density={density} onDensity={setDensity} {...(allScopes ? { scopeOf } : {})} />
      <VaultStatusBar listing={listing} shown={entries.length} searching={!!search} loading={loading} scopeLabel={label} />

      {(dialog?.kind === 'new' || dialog?.kind === 'edit') && <EntryEditor {...(dialog.kind === 'edit' ? { entry: dialog.item } : {})} remainingBytes={remainingBytes} onClose={close} />}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          open
          onOpenChange={(isOpen) => !isOpen && close()}
          title={`Delete ${dialog.item.key}?`}
          description={`It is removed from ${scopeLabel(dialog.item.realmId, names).replace(/^Global$/, 'the global scope')} on the server for good. This cannot be undone.`}
          confirmLabel="Delete"
          danger
          busy={busyKey === entryId(dialog.item)}
          onConfirm={() => void confirmDelete(dialog.item)}
        />
      )}
      {dialog?.kind === 'delete-all' && <DeleteAllDialog realmId={realmId} names={names} count={listing?.entries.length ?? 0} onClose={close} />}
      {dialog?.kind === 'password' && (
        <PasswordPrompt
          entryKey={dialog.item.key}
          error={dialog.error}
          onClose={close}
          onSubmit={(password) => void (dialog.purpose === 'reveal' ? reveal(dialog.item, password) : encrypt(dialog.item, password))}
        />
      )}
      {dialog?.kind === 'passphrase' && <ChangePassphraseDialog onClose={close} />}
      {dialog?.kind === 'upload' && <UploadDialog files={dialog.files} scope={label} existing={new Set(listing?.entries.map((e) => e.key) ?? [])} remainingBytes={remainingBytes} onClose={close} />}
      {dialog?.kind === 'preview' && <PreviewDialog item={dialog.item} onClose={close} onSave={(item) => void saveFile(item)} />}
    </section>
  );
}
