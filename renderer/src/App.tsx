import { useEffect } from 'react';
import { AccountSwitcher, SessionExpiredBanner } from './components/AccountSwitcher.js';
import { AppFrame } from './components/AppFrame.js';
import { useThemeEffect } from './lib/theme.js';
import { followAccountChanges, useAccounts, useActiveAccount } from './stores/accounts.js';
import { useNavigation, visibleViews } from './stores/navigation.js';
import { followSettingsChanges, useSettings } from './stores/settings.js';
import { followVaultChanges, lockShortcut, reportActivity } from './lib/vault-lock.js';
import { VaultView } from './views/vault/VaultView.js';
import { followUploads } from './stores/uploads.js';
import { followSyncs } from './stores/vault.js';
import { ActivityView } from './views/activity/ActivityView.js';
import { ProfileView } from './views/ProfileView.js';
import { SettingsView } from './views/SettingsView.js';
import { SignInView } from './views/SignInView.js';
import { UsersView } from './views/UsersView.js';

export function App() {
  const view = useNavigation((s) => s.view);
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  const mode = useSettings((s) => s.info?.mode);
  const loadError = useSettings((s) => s.loadError);
  const accountsLoaded = useAccounts((s) => s.state !== undefined);
  const account = useActiveAccount();
  const signedIn = !accountsLoaded || !!account;
  const views = visibleViews(account?.isAdmin === true, signedIn);
  useThemeEffect(theme);

  useEffect(() => {
    void useSettings.getState().load();
    void useAccounts.getState().load();
    const stops = [followSettingsChanges(), followAccountChanges(), followVaultChanges(), followUploads(), followSyncs(), reportActivity(), lockShortcut()];
    return () => stops.forEach((stop) => stop());
  }, []);

  const current = views.includes(view) ? view : views[0]!;
  const needsAccount = current !== 'settings';

  return (
    <AppFrame mode={mode} views={views} signedIn={signedIn} account={<AccountSwitcher />} banner={<SessionExpiredBanner />}>
      {loadError && (
        <div className="banner error" role="alert">
          {loadError.message}
        </div>
      )}
      {needsAccount && accountsLoaded && !account && <SignInView />}
      {account && current === 'vault' && <VaultView account={account} />}
      {account && current === 'profile' && <ProfileView account={account} />}
      {account && current === 'activity' && <ActivityView account={account} />}
      {account && current === 'users' && <UsersView />}
      {current === 'settings' && <SettingsView />}
    </AppFrame>
  );
}
