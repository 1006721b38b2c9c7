import { Ban, RefreshCw, ShieldCheck } from 'lucide-react';
import { useEffect } from 'react';
import type { AccountSummary } from '../../../common/accounts.js';
import { ViewHeader } from '../components/ViewHeader.js';
import { updateProfile, useProfile } from '../stores/profile.js';
import { AliasForm } from './profile/AliasForm.js';
import { MetadataEditor } from './profile/MetadataEditor.js';
import { PasswordForm } from './profile/PasswordForm.js';
import { ProfileFacts } from './profile/ProfileFacts.js';
import { PublicKeyForm } from './profile/PublicKeyForm.js';
import { RetrySetupCard } from './profile/RetrySetupCard.js';
import { TwoFactorCard } from './profile/TwoFactorCard.js';

export function ProfileView({ account }: { account: AccountSummary }) {
  const { user, loading, error, load, set } = useProfile();

  useEffect(() => {
    void useProfile.getState().load(account.id);
  }, [account.id]);

  const save = updateProfile;

  return (
    <section className="view wide">
      <ViewHeader
        title="Profile"
        description={user ? `${user.alias || user.username} on ${new URL(account.serverUrl).host}` : undefined}
        actions={
          <button type="button" className="button secondary" onClick={() => void load(account.id)} disabled={loading}>
            <RefreshCw size={16} aria-hidden="true" className={loading ? 'spin' : undefined} /> Refresh
          </button>
        }
      />
      {error && !user && (
        <div className="banner error" role="alert">
          {error.message}
        </div>
      )}
      {!user && !error && <p className="muted" role="status">Loading your profile…</p>}
      {user && (
        <>
          {user.is_banned && (
            <div className="banner error" role="alert">
              <Ban size={18} aria-hidden="true" /> <strong>This account is banned.</strong> You can read your profile, but nothing can be changed. Contact Hoody support if you
              think this is a mistake.
            </div>
          )}
          <section className="card" aria-labelledby="facts-title">
            <h2 id="facts-title">
              Account {user.is_admin && <span className="badge"><ShieldCheck size={14} aria-hidden="true" /> Admin</span>}
            </h2>
            <ProfileFacts user={user} />
          </section>
          {!user.is_banned && (
            <>
              <section className="card" aria-labelledby="identity-title">
                <h2 id="identity-title">Identity</h2>
                <AliasForm key={`alias-${user.id}`} user={user} onSave={save} />
                <hr />
                <PublicKeyForm key={`pk-${user.id}`} user={user} onSave={save} />
              </section>
              <section className="card" aria-labelledby="metadata-title">
                <h2 id="metadata-title">Metadata</h2>
                <MetadataEditor key={`md-${user.id}`} user={user} onSave={save} />
              </section>
              <section className="card" aria-labelledby="password-title">
                <h2 id="password-title">Password</h2>
                <PasswordForm key={`pw-${user.id}`} onChanged={set} />
              </section>
              <section className="card" aria-labelledby="two-factor-title">
                <h2 id="two-factor-title">Two-factor sign-in</h2>
                <TwoFactorCard account={account} />
              </section>
              <section className="card" aria-labelledby="setup-title">
                <h2 id="setup-title">Account setup</h2>
                <RetrySetupCard key={`setup-${user.id}`} />
              </section>
            </>
          )}
        </>
      )}
    </section>
  );
}
