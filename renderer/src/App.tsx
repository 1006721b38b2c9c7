import { lazy, Suspense, useEffect, useRef, type RefObject } from 'react';
import { AccountSwitcher, SessionExpiredBanner } from './components/AccountSwitcher.js';
import { AppFrame } from './components/AppFrame.js';
import { useThemeEffect } from './lib/theme.js';
import { followAccountChanges, useAccounts, useActiveAccount } from './stores/accounts.js';
import { useNavigation, visibleViews } from './stores/navigation.js';
import { followSettingsChanges, useSettings } from './stores/settings.js';
import { followVaultChanges, lockShortcut, reportActivity } from './lib/vault-lock.js';
import { followUploads } from './stores/uploads.js';
import { followNavigation, followSyncs } from './stores/vault.js';
import { SignInView } from './views/SignInView.js';

// Every view but sign-in loads when first shown: the first paint needs only the frame and the
// sign-in page, not the vault, the charts (Recharts) or the admin pages. The CSP allows it: the
// chunks come from the app's own origin ('self'), in Electron (app://) as in serve mode.
const VaultView = lazy(() => import('./views/vault/VaultView.js').then((m) => ({ default: m.VaultView })));
const ProfileView = lazy(() => import('./views/ProfileView.js').then((m) => ({ default: m.ProfileView })));
const ActivityView = lazy(() => import('./views/activity/ActivityView.js').then((m) => ({ default: m.ActivityView })));
const UsersView = lazy(() => import('./views/UsersView.js').then((m) => ({ default: m.UsersView })));
const SettingsView = lazy(() => import('./views/SettingsView.js').then((m) => ({ default: m.SettingsView })));

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
    const stops = [followSettingsChanges(), followAccountChanges(), followVaultChanges(), followUploads(), followSyncs(), followNavigation(), reportActivity(), lockShortcut()];
    return () => stops.forEach((stop) => stop());
  }, []);

  const current = views.includes(view) ? view : views[0]!;
  const firstView = useRef(true);
  const needsAccount = current !== 'settings';

  return (
    <AppFrame mode={mode} views={views} signedIn={signedIn} account={<AccountSwitcher />} banner={<SessionExpiredBanner />}>
      {loadError && (
        <div className="banner error" role="alert">
          {loadError.message}
        </div>
      )}
      {needsAccount && accountsLoaded && !account && <SignInView />}
      <Suspense key={current} fallback={<ViewLoading />}>
        {account && current === 'vault' && <VaultView account={account} />}
        {account && current === 'profile' && <ProfileView account={account} />}
        {account && current === 'activity' && <ActivityView account={account} />}
        {account && current === 'users' && <UsersView />}
        {current === 'settings' && <SettingsView />}
        <ViewShown firstRef={firstView} />
      </Suspense>
    </AppFrame>
  );
}

/**
 * Commits with the view once its code has loaded, then moves focus to the view's heading as the frame
 * does on every change of view (the frame's own move comes too early for a view still loading). Not
 * on the first view of the run: the page's start keeps its focus.
 */
function ViewShown({ firstRef }: { firstRef: RefObject<boolean> }) {
  useEffect(() => {
    if (firstRef.current) {
      firstRef.current = false;
      return;
    }
    document.getElementById('main')?.querySelector<HTMLElement>('h1')?.focus();
  }, [firstRef]);
  return null;
}

/** Shown for the moment a view's code is loading (once per view and run). */
function ViewLoading() {
  return (
    <p className="muted view-loading" role="status">
      Loading…
    </p>
  );
}
