import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, FilePlus, KeyRound, Lock, Plus, RefreshCw, Search, Upload } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AppError } from '../../../../common/errors.js';
import { scopeName, type VaultItem } from '../../../../common/vault.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { copyAndClear } from '../../lib/clipboard.js';
import { hoody } from '../../lib/hoody.js';
import { useVault, visibleEntries, type SortKey } from '../../stores/vault.js';
import { EntryEditor } from './EntryEditor.js';
import { GeneratorButton } from './GeneratorPanel.js';
import { EntryRow, type RowActions } from './EntryRow.js';
import { ScopePicker } from './ScopePicker.js';
import { StatsPanel } from './StatsPanel.js';
import { ChangePassphraseDialog, DeleteAllDialog, PasswordPrompt } from './VaultDialogs.js';
import { PreviewDialog } from './PreviewDialog.js';
import { UploadDialog } from './UploadDialog.js';
import { UploadList } from './UploadList.js';
import { KeyringNotices } from './KeyringNotice.js';
import { OfflineBanners } from './OfflineBanners.js';
import type { DroppedFile } from '../../../../common/vault-files.js';

const SORTS: Array<[SortKey, string]> = [
  ['name', 'Name'],
  ['size', 'Size'],
  ['updated', 'Last change'],
];

type Dialog =
  | { kind: 'new' }
  | { kind: 'edit'; item: VaultItem }
  | { kind: 'delete'; item: VaultItem }
  | { kind: 'delete-all' }
  | { kind: 'password'; item: VaultItem; purpose: 'reveal' | 'encrypt'; error?: AppError }
  | { kind: 'passphrase' }
  | { kind: 'upload'; files: DroppedFile[] }
  | { kind: 'preview'; item: VaultItem };

/** The unlocked vault: scope, usage, search and sort, and a virtualised list of entries. */
export function VaultBrowser() {
  const { realmId, listing, loading, error, search, sort, revealed, setSearch, setSort, refresh, status } = useVault();
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const [busyKey, setBusyKey] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | undefined>();
  const searchRef = useRef<HTMLInputElement>(null);
  const fileInputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void useVault.getState().loadRealms().then(() => useVault.getState().refresh());
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
  // eslint-disable-next-line react-hooks/incompatible-library -- this project does not use the React Compiler
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 8,
    getItemKey: (index) => entries[index]!.key,
  });

  const say = (text: string, isError = false) => setNotice({ text, ...(isError ? { error: true } : {}) });

  async function reveal(item: VaultItem, password?: string) {
    setBusyKey(item.key);
    const result = await hoody().vault.reveal({ realmId, key: item.key, ...(password !== undefined ? { password } : {}) });
    setBusyKey(undefined);
    if (result.ok) {
      useVault.getState().reveal(item.key, result.data.value);
      setDialog(undefined);
      // The server served an older value than this computer has seen, or plain text where a sealed one was.
      if (result.data.warning) say(result.data.warning, true);
      if (item.format !== result.data.format && (result.data.format === 'plain' || result.data.format === 'hoody-enc1')) useVault.getState().upsert({ ...item, format: result.data.format });
    } else if (result.error.code === 'PASSWORD_REQUIRED') setDialog({ kind: 'password', item, purpose: 'reveal', ...(password !== undefined ? { error: result.error } : {}) });
    else say(result.error.message, true);
  }

  async function encrypt(item: VaultItem, password?: string) {
    setBusyKey(item.key);
    const result = await hoody().vault.encrypt({ realmId, key: item.key, ...(password !== undefined ? { password } : {}) });
    setBusyKey(undefined);
    if (result.ok) {
      useVault.getState().upsert(result.data);
      setDialog(undefined);
      say(`${item.key} is now encrypted with your vault key.`);
    } else if (result.error.code === 'PASSWORD_REQUIRED') setDialog({ kind: 'password', item, purpose: 'encrypt', ...(password !== undefined ? { error: result.error } : {}) });
    else say(result.error.message, true);
  }

  async function addFiles(list: FileList | File[] | null) {
    const files = [...(list ?? [])];
    if (files.length === 0) return;
    const result = await hoody().files.add(files);
    if (!result.ok) return say(result.error.message, true);
    setDialog({ kind: 'upload', files: result.data });
  }

  async function saveFile(item: VaultItem) {
    setBusyKey(item.key);
    const result = await hoody().files.download({ realmId, key: item.key });
    setBusyKey(undefined);
    if (!result.ok) return say(result.error.message, true);
    say(result.data.saved ? `Saved ${item.filename ?? item.key} to ${result.data.saved}.` : `Decrypted ${item.filename ?? item.key}; your browser is saving it.`);
  }

  const actions: RowActions = {
    onOpenFile: (item) => setDialog({ kind: 'preview', item }),
    onSaveFile: (item) => void saveFile(item),
    onReveal: (item) => void reveal(item),
    onHide: (item) => useVault.getState().hide(item.key),
    onCopy: async (item) => {
      setBusyKey(item.key);
      const result = await hoody().vault.copy({ realmId, key: item.key });
      setBusyKey(undefined);
      if (!result.ok) {
        if (result.error.code === 'PASSWORD_REQUIRED') return setDialog({ kind: 'password', item, purpose: 'reveal' });
        return say(result.error.message, true);
      }
      if (result.data.by === 'renderer' && result.data.value !== undefined) {
        try {
          await copyAndClear(result.data.value, result.data.clearAfterSeconds);
        } catch {
          return say('The browser refused to copy. Reveal the value and copy it by hand.', true);
        }
      }
      say(`Copied ${item.key}. The clipboard is cleared in ${result.data.clearAfterSeconds} s.`);
    },
    onEdit: (item) => setDialog({ kind: 'edit', item }),
    onDelete: (item) => setDialog({ kind: 'delete', item }),
    onEncrypt: (item) => void encrypt(item),
  };

  async function confirmDelete(item: VaultItem) {
    setBusyKey(item.key);
    const result = await hoody().vault.delete({ realmId, key: item.key });
    setBusyKey(undefined);
    setDialog(undefined);
    if (!result.ok) return say(result.error.message, true);
    if (result.data.pending) {
      say(`${item.key} will be deleted when the server is back.`);
      return void refresh();
    }
    useVault.getState().remove(item.key);
    say(`Deleted ${item.key}.`);
    void refresh();
  }

  const label = realmId ? `realm ${realmId}` : 'the global scope';
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
        void addFiles(e.dataTransfer.files);
      }}
    >
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <Upload size={36} />
          <p>Drop to encrypt and store in {realmId ? `realm ${realmId}` : 'the global scope'}</p>
        </div>
      )}
      <ViewHeader
        title="Vault"
        actions={
          <>
            <button type="button" className="button secondary" onClick={() => setDialog({ kind: 'passphrase' })}>
              Change passphrase
            </button>
            <button type="button" className="button secondary" onClick={() => void hoody().vault.lock()} title="Lock (Ctrl+L)" aria-keyshortcuts="Control+L">
              <Lock size={16} aria-hidden="true" /> Lock
            </button>
          </>
        }
      />
      <div className="vault-toolbar">
        <ScopePicker />
        <div className="toolbar-buttons">
          <input ref={fileInputRef} type="file" multiple hidden aria-hidden="true" tabIndex={-1} onChange={(e) => void addFiles(e.target.files).finally(() => (e.target.value = ''))} />
          <button type="button" className="button secondary" onClick={() => fileInputRef.current?.click()} title="Or drop files anywhere on this page">
            <FilePlus size={16} aria-hidden="true" /> Add files
          </button>
          <GeneratorButton />
          <button type="button" className="button primary" onClick={() => setDialog({ kind: 'new' })}>
            <Plus size={16} aria-hidden="true" /> New secret
          </button>
        </div>
      </div>
      {status && <KeyringNotices status={status} />}
      {status && <OfflineBanners status={status} listing={listing} />}
      <UploadList />
      {listing && !listing.offline && <StatsPanel stats={listing.stats} scopeLabel={label} syncedAt={listing.copy.syncedAt} />}
      {notice && (
        <p className={`notice ${notice.error ? 'error-notice' : 'info'}`} role={notice.error ? 'alert' : 'status'}>
          {notice.text}
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
      <div className="list-toolbar">
        <span className="search-box">
          <Search size={16} aria-hidden="true" />
          <input ref={searchRef} type="search" aria-label="Search names and notes" placeholder="Search names and notes (Ctrl+F)" value={search} onChange={(e) => setSearch(e.target.value)} />
        </span>
        <div className="sort-buttons" role="group" aria-label="Sort by">
          {SORTS.map(([key, text]) => (
            <button key={key} type="button" className={`button small ${sort.key === key ? 'primary' : 'secondary'}`} aria-pressed={sort.key === key} onClick={() => setSort(key)}>
              {text} {sort.key === key && (sort.descending ? <ArrowDown size={14} aria-label="descending" /> : <ArrowUp size={14} aria-label="ascending" />)}
            </button>
          ))}
        </div>
        <button type="button" className="icon-button" aria-label="Refresh" title="Refresh" onClick={() => void refresh()} disabled={loading}>
          <RefreshCw size={16} className={loading ? 'spin' : undefined} aria-hidden="true" />
        </button>
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {!listing ? (loading ? 'Loading and decrypting…' : '') : search
            ? `${entries.length.toLocaleString()} of ${listing.entries.length.toLocaleString()} ${listing.entries.length === 1 ? 'entry matches' : 'entries match'}.`
            : `${listing.entries.length.toLocaleString()} ${listing.entries.length === 1 ? 'entry' : 'entries'}.`}
      </p>
      {listing && entries.length === 0 && !search && (
        <div className="empty-state card">
          <span className="empty-icon" aria-hidden="true">
            <KeyRound size={26} />
          </span>
          <h2>Nothing here yet</h2>
          <p>Add a secret, or drop files here: everything is encrypted on this computer before it goes to Hoody.</p>
        </div>
      )}
      <div ref={scrollRef} className="entry-list" role="list" aria-label={`Entries in ${label}`} hidden={!listing || entries.length === 0}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = entries[row.index]!;
            return (
              <div
                key={row.key}
                role="listitem"
                aria-setsize={entries.length}
                aria-posinset={row.index + 1}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="entry-slot"
                style={{ transform: `translateY(${row.start}px)` }}
              >
                <EntryRow item={item} revealed={revealed[item.key]} busy={busyKey === item.key} actions={actions} />
              </div>
            );
          })}
        </div>
      </div>
      {listing && listing.entries.length > 0 && (
        <section className="danger-zone" aria-labelledby="danger-title">
          <h2 id="danger-title">Delete everything in {label}</h2>
          <p className="muted small">
            Removes {listing.entries.length === 1 ? 'the only entry' : `all ${listing.entries.length} entries`} of this scope from the server. You will be asked to type “{scopeName(realmId)}”.
          </p>
          <button type="button" className="button danger" onClick={() => setDialog({ kind: 'delete-all' })}>
            Delete all…
          </button>
        </section>
      )}

      {(dialog?.kind === 'new' || dialog?.kind === 'edit') && (
        <EntryEditor {...(dialog.kind === 'edit' ? { entry: dialog.item } : {})} remainingBytes={remainingBytes} onClose={() => setDialog(undefined)} />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setDialog(undefined)}
          title={`Delete ${dialog.item.key}?`}
          description="It is removed from the server for good. This cannot be undone."
          confirmLabel="Delete"
          danger
          busy={busyKey === dialog.item.key}
          onConfirm={() => void confirmDelete(dialog.item)}
        />
      )}
      {dialog?.kind === 'delete-all' && (
        <DeleteAllDialog
          realmId={realmId}
          count={listing?.entries.length ?? 0}
          onClose={() => setDialog(undefined)}
          onDone={(deleted) => {
            setDialog(undefined);
            say(`Deleted ${deleted} ${deleted === 1 ? 'entry' : 'entries'}.`);
            void refresh();
          }}
        />
      )}
      {dialog?.kind === 'password' && (
        <PasswordPrompt
          entryKey={dialog.item.key}
          error={dialog.error}
          onClose={() => setDialog(undefined)}
          onSubmit={(password) => void (dialog.purpose === 'reveal' ? reveal(dialog.item, password) : encrypt(dialog.item, password))}
        />
      )}
      {dialog?.kind === 'passphrase' && <ChangePassphraseDialog onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'upload' && (
        <UploadDialog
          files={dialog.files}
          existing={new Set(listing?.entries.map((e) => e.key) ?? [])}
          remainingBytes={remainingBytes}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'preview' && <PreviewDialog item={dialog.item} onClose={() => setDialog(undefined)} onSave={(item) => void saveFile(item)} />}
    </section>
  );
}
