import { Activity, KeyRound, UserRound } from 'lucide-react';
import { useEffect } from 'react';
import { AppFrame } from './components/AppFrame.js';
import { useThemeEffect } from './lib/theme.js';
import { useNavigation } from './stores/navigation.js';
import { followSettingsChanges, useSettings } from './stores/settings.js';
import { NeedsSignInView } from './views/NeedsSignInView.js';
import { SettingsView } from './views/SettingsView.js';

export function App() {
  const view = useNavigation((s) => s.view);
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  const mode = useSettings((s) => s.info?.mode);
  const loadError = useSettings((s) => s.loadError);
  useThemeEffect(theme);

  useEffect(() => {
    void useSettings.getState().load();
    return followSettingsChanges();
  }, []);

  return (
    <AppFrame mode={mode}>
      {loadError && (
        <div className="banner error" role="alert">
          {loadError.message}
        </div>
      )}
      {view === 'vault' && (
        <NeedsSignInView
          title="Vault"
          icon={KeyRound}
          need="Sign in to see your vault"
          detail="Your secrets and files, per realm, encrypted on this computer before they are sent to Hoody."
        />
      )}
      {view === 'profile' && (
        <NeedsSignInView
          title="Profile"
          icon={UserRound}
          need="Sign in to see your profile"
          detail="Your alias, public key, password and account set-up; admins also manage other users here."
        />
      )}
      {view === 'activity' && (
        <NeedsSignInView
          title="Activity"
          icon={Activity}
          need="Sign in to read your activity log"
          detail="Every API call made with your account: when, from where, and how it was answered."
        />
      )}
      {view === 'settings' && <SettingsView />}
    </AppFrame>
  );
}
