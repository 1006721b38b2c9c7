import { useState, type FormEvent } from 'react';
import type { SignInResult } from '../../../common/accounts.js';
import { TOTP_RULE } from '../../../common/accounts.js';
import type { LocalSandboxInfo } from '../../../common/contract.js';
import type { AppError } from '../../../common/errors.js';
import { DEFAULT_SERVER_URL, serverUrlSchema } from '../../../common/settings.js';
import { Field } from '../components/Field.js';
import { fieldError, formError, sentence } from '../lib/errors.js';
import { hoody } from '../lib/hoody.js';
import { useAccounts } from '../stores/accounts.js';
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
  const [sandbox, setSandbox] = useState<{ state: 'idle' | 'starting' | 'ready' | 'failed'; info?: LocalSandboxInfo; error?: AppError }>({ state: 'idle' });
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
    setSandbox({ state: 'starting' });
    void hoody()
      .sandbox.start()
      .then((result) => setSandbox(result.ok ? { state: 'ready', info: result.data } : { state: 'failed', error: result.error }));
  }

  async function finish(result: Awaited<ReturnType<ReturnType<typeof hoody>['accounts']['signInWithToken']>>) {
    setBusy(false);
    if (!result.ok) return setError(result.error);
    if (result.data.status === 'two-factor') {
      setChallenge(result.data.challengeId);
      setError(undefined);
      return;
    }
    setPassword('');
    setToken('');
    onSignedIn?.(result.data);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    setError(undefined);
    if (!urlCheck.success) return;
    setBusy(true);
    const shared = { serverUrl: urlCheck.data, ...(noKeychain || sessionOnly ? { sessionOnly: true } : {}) };
    if (challenge) return finish(await hoody().accounts.verifyTwoFactor({ challengeId: challenge, code }));
    if (method === 'token') return finish(await hoody().accounts.signInWithToken({ ...shared, token }));
    return finish(await hoody().accounts.signInWithPassword({ ...shared, login, password }));
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
        <Field label="Server address" error={urlProblem ?? fieldError(error, 'serverUrl')} hint="https://… (http only for a server on this computer)">
          <input type="url" spellCheck={false} autoComplete="url" value={customUrl} onChange={(e) => setCustomUrl(e.target.value)} onBlur={() => setTouched(true)} placeholder="https://api.example.com" />
        </Field>
      )}
      {!account && choice === 'sandbox' && <SandboxPanel sandbox={sandbox} onUse={(u) => (setMethod('password'), setLogin(u.username), setPassword(u.password))} />}

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

function SandboxPanel({ sandbox, onUse }: { sandbox: { state: string; info?: LocalSandboxInfo; error?: AppError }; onUse(user: LocalSandboxInfo['users'][number]): void }) {
  if (sandbox.state === 'starting') return <p role="status">Starting the local sandbox…</p>;
  if (sandbox.state === 'failed') return <p className="field-error" role="alert">{sandbox.error?.message}</p>;
  if (!sandbox.info) return null;
  return (
    <div className="sandbox-panel">
      <p role="status">
        Local sandbox running at <code>{sandbox.info.url}</code>. Demo accounts:
      </p>
      <ul>
        {sandbox.info.users.map((user) => (
          <li key={user.username}>
            <button type="button" className="button link" onClick={() => onUse(user)}>
              Use {user.username}
            </button>
            <span className="muted small">
              {[user.isAdmin && 'admin', user.isBanned && 'banned', user.twoFactor && 'two-factor'].filter(Boolean).join(', ') || 'regular user'}
            </span>
          </li>
        ))}
      </ul>
    </div>
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
