import { Ban, RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import type { AccountSummary } from '../../../../common/accounts.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { useProfile } from '../../stores/profile.js';
import { useVault } from '../../stores/vault.js';
import { KeyringRestore } from './KeyringNotice.js';
import { SetupWizard } from './SetupWizard.js';
import { UnlockForm } from './UnlockForm.js';
import { VaultBrowser } from './VaultBrowser.js';

/** Picks what the vault shows: set-up, the lock screen, or the entries. */
export function VaultView({ account }: { account: AccountSummary }) {
  const status = useVault((s) => s.status);
  const recoveryKeyPending = useVault((s) => s.pendingRecoveryKey !== undefined);

  useEffect(() => {
    void useVault.getState().loadStatus();
  }, [account.id]);

  // Before offering set-up, ask the server who this is now: a ban since sign-in must be said first,
  // not after the passphrase is typed twice. (Reading the profile refreshes the account's flags.)
  const needsSetUp = status?.state === 'not-set-up' && status.accountId === account.id;
  const accountChecked = useProfile((p) => p.accountId === account.id && (p.user !== undefined || p.error !== undefined));
  useEffect(() => {
    if (needsSetUp) void useProfile.getState().load(account.id);
  }, [needsSetUp, account.id]);

  if (status?.state === 'unlocked' && status.accountId === account.id && !recoveryKeyPending) return <VaultBrowser />;
  return (
    <section className="view vault-gate">
      <ViewHeader title="Vault" />
      {!status || status.accountId !== account.id ? (
        <p className="muted" role="status">
          Checking your vault…
        </p>
      ) : status.state === 'not-set-up' && account.isBanned && !recoveryKeyPending ? (
        // Said before any passphrase is typed: the server refuses every change a banned account makes.
        <div className="banner error" role="alert">
          <Ban size={18} aria-hidden="true" />
          <span>
            <strong>This account is banned.</strong> A banned account can read but not change anything, so a vault cannot be set up for it. Contact Hoody support if you think
            this is a mistake.
          </span>
        </div>
      ) : status.state === 'not-set-up' && !recoveryKeyPending && !accountChecked ? (
        <p className="muted" role="status">
          Checking your account…
        </p>
      ) : status.state === 'not-set-up' || recoveryKeyPending ? (
        <SetupWizard />
      ) : status.state === 'locked' ? (
        <UnlockForm status={status} />
      ) : status.state === 'keyring-missing' ? (
        <KeyringRestore status={status} />
      ) : (
        <div className="banner error" role="alert">
          <span>The vault cannot be reached: {status.reason ?? 'unknown reason'}</span>
          <button type="button" className="button secondary small" onClick={() => void useVault.getState().loadStatus()}>
            <RefreshCw size={14} aria-hidden="true" /> Try again
          </button>
        </div>
      )}
    </section>
  );
}
