import { KeyRound } from 'lucide-react';
import { SignInForm } from './SignInForm.js';

/** The first-run screen: what the app is, and signing in. */
export function SignInView() {
  return (
    <section className="view signin-view" aria-labelledby="signin-title">
      <div className="signin-intro">
        <span className="empty-icon" aria-hidden="true">
          <KeyRound size={28} />
        </span>
        <h1 id="signin-title" tabIndex={-1}>
          Sign in to Hoody Vault
        </h1>
        <p className="muted">Your token stays in this computer&apos;s keychain, and your vault is encrypted here before anything is sent.</p>
      </div>
      <div className="card">
        <SignInForm />
      </div>
    </section>
  );
}
