import { GeneratorButton } from './GeneratorPanel.js';
import * as Menu from '@radix-ui/react-dropdown-menu';
import { FilePlus, KeyRound, Lock, MoreHorizontal, Plus, RefreshCw, Search, Trash2 } from 'lucide-react';
import type { RefObject } from 'react';
import { ALL_SCOPES } from '../../../../common/realm-names.js';
import { lockVault } from '../../stores/vault-actions.js';
import { useVault } from '../../stores/vault.js';
import { ScopePicker } from './ScopePicker.js';

interface Props {
  searchRef: RefObject<HTMLInputElement | null>;
  canDeleteAll: boolean;
  onNew(): void;
  onAddFiles(): void;
  onChangePassphrase(): void;
  onDeleteAll(): void;
}

/** The vault's one toolbar: title, scope, search, and every action, the rare ones in a menu. */
export function VaultToolbar({ searchRef, canDeleteAll, onNew, onAddFiles, onChangePassphrase, onDeleteAll }: Props) {
  const search = useVault((s) => s.search);
  const setSearch = useVault((s) => s.setSearch);
  const loading = useVault((s) => s.loading);
  const refresh = useVault((s) => s.refresh);
  // Refresh also reads the realms and their names again: another computer may have renamed one.
  const loadRealms = useVault((s) => s.loadRealms);
  // All scopes only searches: a new secret or file needs the one scope it goes into.
  const allScopes = useVault((s) => s.realmId === ALL_SCOPES);
  const pickFirst = allScopes ? 'Choose a scope first: All scopes only searches' : undefined;
  return (
    <header className="vault-toolbar">
      {/* tabIndex -1: focus moves here on navigation without adding a tab stop */}
      <h1 tabIndex={-1}>Vault</h1>
      <ScopePicker />
      <span className="search-box">
        <Search size={16} aria-hidden="true" />
        <input ref={searchRef} type="search" aria-label="Search names and notes" placeholder="Search (Ctrl+F)" value={search} onChange={(e) => setSearch(e.target.value)} />
      </span>
      <div className="toolbar-buttons">
        <button type="button" className="icon-button" aria-label="Refresh" title="Refresh" onClick={() => void loadRealms().then(() => refresh())} disabled={loading}>
          <RefreshCw size={16} className={loading ? 'spin' : undefined} aria-hidden="true" />
        </button>
        <GeneratorButton />
        <button type="button" className="button primary" onClick={onNew} disabled={allScopes} title={pickFirst}>
          <Plus size={16} aria-hidden="true" /> New secret
        </button>
        <button type="button" className="button secondary" onClick={onAddFiles} disabled={allScopes} title={pickFirst ?? 'Or drop files anywhere on this page'}>
          <FilePlus size={16} aria-hidden="true" /> Add files
        </button>
        <Menu.Root modal={false}>
          <Menu.Trigger className="icon-button" aria-label="More vault actions" title="More">
            <MoreHorizontal size={18} aria-hidden="true" />
          </Menu.Trigger>
          <Menu.Portal>
            <Menu.Content className="menu" align="end" sideOffset={6}>
              <Menu.Item className="menu-item" onSelect={onChangePassphrase}>
                <KeyRound size={15} aria-hidden="true" /> Change passphrase…
              </Menu.Item>
              <Menu.Separator className="menu-separator" />
              <Menu.Item className="menu-item danger" disabled={!canDeleteAll || allScopes} onSelect={onDeleteAll}>
                <Trash2 size={15} aria-hidden="true" /> Delete all…
              </Menu.Item>
            </Menu.Content>
          </Menu.Portal>
        </Menu.Root>
        <button type="button" className="button secondary" onClick={lockVault} title="Lock (Ctrl+L)" aria-keyshortcuts="Control+L">
          <Lock size={16} aria-hidden="true" /> Lock
        </button>
      </div>
    </header>
  );
}
