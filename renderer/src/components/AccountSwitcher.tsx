import * as Menu from '@radix-ui/react-dropdown-menu';
import { Check, ChevronsUpDown, LogOut, Plus } from 'lucide-react';
import { useState } from 'react';
import type { AccountSummary } from '../../../common/accounts.js';
import { accountLabel, serverLabel, signOut as signOutOf, switchAccount, useAccounts, useActiveAccount } from '../stores/accounts.js';
import { ConfirmDialog, Dialog } from './Dialog.js';
import { SignInForm } from '../views/SignInForm.js';

/** The signed-in account in the sidebar: switch between accounts, add one, or sign out. */
export function AccountSwitcher() {
  const state = useAccounts((s) => s.state);
  const active = useActiveAccount();
  const [adding, setAdding] = useState(false);
  const [leaving, setLeaving] = useState<AccountSummary | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (!state || !active) return null;

  async function signOut() {
    if (!leaving) return;
    setBusy(true);
    const result = await signOutOf(leaving.id);
    setBusy(false);
    if (!result.ok) setError(result.error.message);
    setLeaving(undefined);
  }

  return (
    <div className="account-switcher">
      {/* Not modal: a modal menu hides the rest of the window from assistive technology while focus can still reach it (axe: aria-hidden-focus). */}
      <Menu.Root modal={false}>
        <Menu.Trigger className="account-trigger" aria-label={`Account: ${accountLabel(active)} on ${serverLabel(active.serverUrl)}. Switch or sign out`}>
          <span className="avatar" aria-hidden="true">
            {accountLabel(active).charAt(0).toUpperCase()}
          </span>
          <span className="account-text">
            <strong>{accountLabel(active)}</strong>
            <span className="muted small">{active.status === 'expired' ? 'Session expired' : serverLabel(active.serverUrl)}</span>
          </span>
          <ChevronsUpDown size={16} aria-hidden="true" />
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content className="menu" side="top" align="start" sideOffset={6}>
            <Menu.Label className="menu-label">Accounts</Menu.Label>
            {state.accounts.map((account) => (
              <Menu.Item key={account.id} className="menu-item" onSelect={() => void switchAccount(account.id)}>
                <span className="menu-check">{account.id === active.id && <Check size={14} aria-label="current" />}</span>
                <span className="account-text">
                  <span>{accountLabel(account)}</span>
                  <span className="muted small">
                    {serverLabel(account.serverUrl)}
                    {account.status === 'expired' ? ' · session expired' : ''}
                    {account.storage === 'memory' ? ' · this session only' : ''}
                  </span>
                </span>
              </Menu.Item>
            ))}
            <Menu.Separator className="menu-separator" />
            <Menu.Item className="menu-item" onSelect={() => setAdding(true)}>
              <Plus size={15} aria-hidden="true" /> Add another account…
            </Menu.Item>
            <Menu.Item className="menu-item danger" onSelect={() => setLeaving(active)}>
              <LogOut size={15} aria-hidden="true" /> Sign out of {accountLabel(active)}…
            </Menu.Item>
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
      {error && (
        <p className="field-error small" role="alert">
          {error}
        </p>
      )}
      <Dialog open={adding} onOpenChange={setAdding} title="Add an account" description="Sign in to another Hoody account; you can switch between them at any time.">
        <SignInForm onSignedIn={() => setAdding(false)} />
      </Dialog>
      <ConfirmDialog
        open={!!leaving}
        onOpenChange={(open) => !open && setLeaving(undefined)}
        title={`Sign out of ${leaving ? accountLabel(leaving) : ''}?`}
        description={`This removes the account's token from this computer's keychain and deletes its local data here. Your data on ${leaving ? serverLabel(leaving.serverUrl) : 'the server'} is not touched, and other devices stay signed in.`}
        confirmLabel="Sign out"
        danger
        busy={busy}
        onConfirm={() => void signOut()}
      />
    </div>
  );
}

/** Shown above the current view when the server stopped accepting the session: sign in again in place. */
export function SessionExpiredBanner() {
  const active = useActiveAccount();
  const [open, setOpen] = useState(false);
  if (!active || active.status !== 'expired') return null;
  return (
    <div className="banner warning" role="alert">
      <span>
        Your session for <strong>{accountLabel(active)}</strong> on {serverLabel(active.serverUrl)} has expired.
      </span>
      <button type="button" className="button primary small" onClick={() => setOpen(true)}>
        Sign in again
      </button>
      <Dialog open={open} onOpenChange={setOpen} title={`Sign in again as ${active.username}`} description="You will stay where you are.">
        <SignInForm account={active} onSignedIn={() => setOpen(false)} />
      </Dialog>
    </div>
  );
}
