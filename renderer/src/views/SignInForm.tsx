import { useState, type FormEvent } from 'react';
import type { SignInResult } from '../../../common/accounts.js';
import { TOTP_RULE } from '../../../common/accounts.js';
import type { AppError } from '../../../common/errors.js';
import { DEFAULT_SERVER_URL, serverUrlSchema } from '../../../common/settings.js';
import { Field } from '../components/Field.js';
import { fieldError, formError, sentence } from '../lib/errors.js';
import { totpCode } from '../lib/totp.js';
import { accountLabel, serverLabel, signInWithPassword, signInWithToken, startLocalSandbox, useAccounts, verifyTwoFactor, type SignInAnswer } from '../stores/accounts.js';
import { SandboxPanel, type SandboxState, type SandboxUser } from './SandboxPanel.js';
import { useSettings } from '../stores/settings.js';

type ServerChoice = 'cloud' | 'custom' | 'sandbox';
type Method = 'token' | 'password';

interface Props {
  /** Signing in again to a known account: its server is fixed and its login filled in. */
  account?: { serverUrl: string; username: string; kind: 'api-token' | 'session' };
  onSignedIn?: (result: Extract<SignInResult, { status: 'signed-in' }>) => void;
}

export function SignInForm({ account, onSignedIn }: Props) {
  const defaultServer = useSettings((s) => s.settings?.serverUrl ?? DEFAULT_SERVER_URL);
  const canSandbox = useSettings((s) => s.info?.localSandbox ?? false);
  const keychain = useAccounts((s) => s.state?.keychain);
  const initialServer = account?.serverUrl ?? defaultServer;
  const [choice, setChoice] = useState<ServerChoice>(initialServer === DEFAULT_SERVER_URL ? 'cloud' : 'custom');
  const [customUrl, setCustomUrl] = useState(initialServer === DEFAULT_SERVER_URL ? '' : initialServer);
  const [sandbox, setSandbox] = useState<SandboxState>({ state: 'idle' });
  const [sandboxUser, setSandboxUser] = useState<SandboxUser | undefined>();
  /** The same user is already signed in here: the answer waits for the user's word. */
  const [already, setAlready] = useState<Extract<SignInResult, { status: 'already-signed-in' }> | undefined>();
  const [method, setMethod] = useState<Method>(account?.kind === 'api-token' ? 'token' : 'password');
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [login, setLogin] = useState(account?.username ?? '');
  const [password, setPassword] = useState('');
  const [sessionOnly, setSessionOnly] = useState(false);
  const [challenge, setChallenge] = useState<string | undefined>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const [touched, setTouched] = useState(false);

  const noKeychain = keychain?.available === false;
  const serverUrl = choice === 'cloud' ? DEFAULT_SERVER_URL : choice === 'sandbox' ? (sandbox.info?.url ?? '') : customUrl.trim();
  const urlCheck = serverUrlSchema.safeParse(serverUrl);
  const urlProblem = choice === 'custom' && touched && !urlCheck.success ? sentence(`Server address ${urlCheck.error.issues[0]?.message}`) : undefined;

  function chooseSandbox() {
    setChoice('sandbox');
    if (sandbox.state === 'starting' || sandbox.state === 'ready') return;
    setSandbox({ state: 'starting', startedAt: Date.now() });
    void startLocalSandbox().then((result) => setSandbox(result.ok ? { state: 'ready', info: result.data } : { state: 'failed', error: result.error }));
  }

  async function finish(result: SignInAnswer) {
    setBusy(false);
    if (!result.ok) return setError(result.error);
    if (result.data.status === 'already-signed-in') return setAlready(result.data);
    setAlready(undefined);
    if (result.data.status === 'two-factor') {
      setChallenge(result.data.challengeId);
      setError(undefined);
      return;
    }
    setPassword('');
    setToken('');
    onSignedIn?.(result.data);
  }

  async function submit(event?: FormEvent, replace = false) {
    event?.preventDefault();
    setTouched(true);
    setError(undefined);
    if (!urlCheck.success) return;
    setBusy(true);
    const shared = { serverUrl: urlCheck.data, ...(noKeychain || sessionOnly ? { sessionOnly: true } : {}), ...(replace ? { replace: true } : {}) };
    if (challenge) return finish(await verifyTwoFactor({ challengeId: challenge, code }));
    if (method === 'token') return finish(await signInWithToken({ ...shared, token }));
    return finish(await signInWithPassword({ ...shared, login, password }));
  }

  if (already) {
    const how = (kind: string) => (kind === 'api-token' ? 'an API token' : 'a password sign-in');
    return (
      <div className="signin-form" role="alertdialog" aria-labelledby="already-title" aria-describedby="already-text">
        <h2 id="already-title" className="form-title">
          Already signed in as {accountLabel(already.account)}
        </h2>
        <p id="already-text">
          {already.account.username} is already signed in on {serverLabel(already.account.serverUrl)} with {how(already.account.kind)}. Replace it with this {method === 'token' ? 'token' : 'sign-in'}?
          The current {already.account.kind === 'api-token' ? 'token' : 'session'} is then forgotten on this computer (it is not revoked on the server).
        </p>
        <div className="form-actions">
          <button type="button" className="button primary" disabled={busy} onClick={() => void submit(undefined, true)} autoFocus>
            {busy ? 'Signing in…' : 'Replace it'}
          </button>
          <button type="button" className="button secondary" onClick={() => setAlready(undefined)}>
            Keep the current one
          </button>
        </div>
      </div>
    );
  }

  if (challenge) {
    return (
      <form className="signin-form" onSubmit={submit} noValidate aria-label="Two-factor code">
        <p>Your account asks for a second step. Enter the code your authenticator app shows for Hoody.</p>
        <Field label="Authentication code" error={fieldError(error, 'code')} hint="6 digits; a new one every 30 seconds. Lost your phone? Use a backup code.">
          <input
            className="narrow-wide code-input"
            autoComplete="one-time-code"
            maxLength={14}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoFocus
          />
        </Field>
        {choice === 'sandbox' && sandboxUser?.totpSecret && (
          <p className="muted small">
            {sandboxUser.username} is a sandbox demo user: the sandbox knows its secret.{' '}
            <button type="button" className="button link" onClick={() => void totpCode(sandboxUser.totpSecret!).then(setCode)}>
              Fill in the current code
            </button>
          </p>
        )}
        <FormMessage error={error} shown={['code']} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || !/^(\d{6,8}|[A-Za-z0-9]{10})$/.test(code.replace(/[\s-]+/g, ''))}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
          <button type="button" className="button secondary" onClick={() => (setChallenge(undefined), setCode(''), setError(undefined))}>
            Back
          </button>
        </div>
        {!/^(\d{0,8}|[A-Za-z0-9]{0,10})$/.test(code.replace(/[\s-]+/g, '')) && <p className="field-error">{sentence(`The code ${TOTP_RULE}`)}</p>}
      </form>
    );
  }

  return (
    <form className="signin-form" onSubmit={submit} noValidate aria-label="Sign in">
      {!account && (
        <fieldset className="choice-group">
          <legend>Server</legend>
          <Choice name="server" value="cloud" checked={choice === 'cloud'} onSelect={() => setChoice('cloud')} label="Hoody cloud" hint="api.hoody.com" />
          <Choice name="server" value="custom" checked={choice === 'custom'} onSelect={() => setChoice('custom')} label="Another server" hint="Your own Hoody-compatible API" />
          {canSandbox && (
            <Choice name="server" value="sandbox" checked={choice === 'sandbox'} onSelect={chooseSandbox} label="Local sandbox" hint="A practice server on this computer, with demo accounts" />
          )}
        </fieldset>
      )}
      {account && (
        <p className="muted">
          Server: <code>{account.serverUrl}</code>
        </p>
      )}
      {!account && choice === 'custom' && (
        <Field label="Server address" error={urlProblem ?? fieldError(error, 'serverUrl')} hint="The API's address, with or without /api/v1: https://api.example.com and https://api.example.com/api/v1 both work (http only for a server on this computer).">
          <input type="url" spellCheck={false} autoComplete="url" value={customUrl} onChange={(e) => setCustomUrl(e.target.value)} onBlur={() => setTouched(true)} placeholder="https://api.example.com" />
        </Field>
      )}
      {!account && choice === 'sandbox' && <SandboxPanel sandbox={sandbox} onUse={(u) => (setMethod('password'), setLogin(u.username), setPassword(u.password), setSandboxUser(u))} />}

      <div className="tabs" role="radiogroup" aria-label="Sign in with">
        <label className={method === 'password' ? 'selected' : undefined}>
          <input type="radio" name="method" checked={method === 'password'} onChange={() => setMethod('password')} />
          Username and password
        </label>
        <label className={method === 'token' ? 'selected' : undefined}>
          <input type="radio" name="method" checked={method === 'token'} onChange={() => setMethod('token')} />
          API token
        </label>
      </div>

      {method === 'password' ? (
        <>
          <Field label="Username or email" error={fieldError(error, 'login', 'username', 'email')}>
            <input autoComplete="username" spellCheck={false} value={login} onChange={(e) => setLogin(e.target.value)} readOnly={!!account} />
          </Field>
          <Field label="Password" error={fieldError(error, 'password')}>
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
        </>
      ) : (
        <Field
          label="Token"
          error={fieldError(error, 'token')}
          hint="An hdy_ API token from your Hoody account (or an access token)."
          trailing={
            <button type="button" className="button secondary small" aria-pressed={showToken} aria-label="Show token" onClick={() => setShowToken((v) => !v)}>
              {showToken ? 'Hide' : 'Show'}
            </button>
          }
        >
          <input type={showToken ? 'text' : 'password'} autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} />
        </Field>
      )}

      {noKeychain ? (
        <div className="notice warning" role="note">
          <strong>Your system keychain is not available.</strong> {sentence(keychain?.reason)} This app never keeps tokens in a plain file, so it can only sign you in for
          this session: you will need to sign in again after the app restarts.
        </div>
      ) : (
        <label className="checkbox">
          <input type="checkbox" checked={sessionOnly} onChange={(e) => setSessionOnly(e.target.checked)} />
          Sign in for this session only (do not keep the token in the keychain)
        </label>
      )}

      <FormMessage error={error} shown={['login', 'username', 'email', 'password', 'token', 'serverUrl']} />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          disabled={busy || (choice === 'sandbox' && sandbox.state !== 'ready') || (method === 'token' ? !token.trim() : !login.trim() || !password)}
        >
          {busy ? 'Signing in…' : noKeychain ? 'Sign in for this session' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}

function Choice({ name, value, checked, onSelect, label, hint }: { name: string; value: string; checked: boolean; onSelect(): void; label: string; hint: string }) {
  return (
    <label className={`choice${checked ? ' selected' : ''}`}>
      <input type="radio" name={name} value={value} checked={checked} onChange={onSelect} />
      <span>
        <strong>{label}</strong>
        <span className="muted small">{hint}</span>
      </span>
    </label>
  );
}

function FormMessage({ error, shown }: { error: AppError | undefined; shown: string[] }) {
  const message = formError(error, shown);
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}
