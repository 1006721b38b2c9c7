import { ShieldCheck, ShieldOff } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import type { AccountSummary } from '../../../../common/accounts.js';
import type { AppError, Result } from '../../../../common/errors.js';
import { CURRENT_PASSWORD_MAX, CURRENT_PASSWORD_MIN } from '../../../../common/rules.js';
import { BACKUP_CODE_PATTERN, TOTP_CODE_PATTERN, normalizeCode } from '../../../../common/two-factor.js';
import { CopyButton } from '../../components/CopyButton.js';
import { Field } from '../../components/Field.js';
import { fieldError, formError } from '../../lib/errors.js';
import { BackupCodes } from './BackupCodes.js';
import { QrCode } from './QrCode.js';
import { useTwoFactor } from '../../stores/two-factor.js';
import '../../styles/two-factor.css';

// Two-factor sign-in in Profile: its status; turning it on (password, QR code, first code, backup
// codes shown once); new backup codes; turning it off (password and a code or a backup code).

const passwordOk = (p: string) => p.length >= CURRENT_PASSWORD_MIN && p.length <= CURRENT_PASSWORD_MAX;
const totpOk = (c: string) => TOTP_CODE_PATTERN.test(normalizeCode(c));
const anyCodeOk = (c: string) => totpOk(c) || BACKUP_CODE_PATTERN.test(normalizeCode(c));
/** Groups a base32 secret in fours, the way authenticator apps show it. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

function useRun() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  async function run<T>(action: () => Promise<Result<T>>): Promise<Result<T>> {
    setBusy(true);
    setError(undefined);
    const result = await action();
    setBusy(false);
    if (!result.ok) setError(result.error);
    return result;
  }
  return { busy, error, run, clear: () => setError(undefined) };
}

export function TwoFactorCard({ account }: { account: AccountSummary }) {
  const { status, error, enrolment, backupCodes } = useTwoFactor();
  useEffect(() => {
    void useTwoFactor.getState().load(account.id);
  }, [account.id]);

  if (backupCodes) return <BackupCodes codes={backupCodes} username={account.username} onDone={() => useTwoFactor.getState().codesSaved()} />;
  if (!status) {
    if (!error) return <p className="muted" role="status">Checking two-factor sign-in…</p>;
    // A server without these routes answers 404: say what that means rather than the route's name.
    const text = error.code === 'NOT_FOUND' ? 'This server does not offer two-factor sign-in settings.' : error.message;
    return <p className="form-error" role="alert">{text}</p>;
  }
  if (enrolment) return <ConfirmEnrolment otpauthUrl={enrolment.otpauthUrl} secret={enrolment.secret} />;
  if (!status.enabled) return <StartSetup />;
  return (
    <div className="inline-form">
      <p className="two-factor-state on" role="status">
        <ShieldCheck size={18} aria-hidden="true" /> <strong>On</strong>
        {status.enabledAt ? ` since ${new Date(status.enabledAt).toLocaleDateString()}` : ''}. {status.backupCodesRemaining} backup{' '}
        {status.backupCodesRemaining === 1 ? 'code' : 'codes'} left.
      </p>
      {status.backupCodesRemaining <= 3 && <p className="notice warning">Few backup codes left: make new ones below.</p>}
      <details className="two-factor-action">
        <summary>Make new backup codes</summary>
        <PasswordAndCode
          label="Make new backup codes"
          codeLabel="Code from your authenticator app"
          codeHint="6 digits. A backup code cannot be used here."
          codeOk={totpOk}
          onSubmit={(password, code) => useTwoFactor.getState().regenerate(password, code)}
        />
      </details>
      <details className="two-factor-action">
        <summary>Turn off two-factor sign-in</summary>
        <PasswordAndCode
          label="Turn off"
          danger
          codeLabel="Code from your authenticator app, or a backup code"
          codeHint="6 digits, or one of your 10-character backup codes."
          codeOk={anyCodeOk}
          onSubmit={(password, code) => useTwoFactor.getState().disable(password, code)}
        />
      </details>
    </div>
  );
}

function StartSetup() {
  const [password, setPassword] = useState('');
  const { busy, error, run, clear } = useRun();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!passwordOk(password)) return;
    const result = await run(() => useTwoFactor.getState().startSetup(password));
    if (result.ok) setPassword('');
  }
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Turn on two-factor sign-in">
      <p className="two-factor-state off" role="status">
        <ShieldOff size={18} aria-hidden="true" /> <strong>Off.</strong> Signing in with your password also asks for a code from an authenticator app when this is on.
      </p>
      <Field label="Your password" hint="To start, confirm it is you." error={fieldError(error, 'password')}>
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => (setPassword(e.target.value), clear())} />
      </Field>
      {formError(error, ['password']) && <p className="form-error" role="alert">{formError(error, ['password'])}</p>}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || !passwordOk(password)}>
          {busy ? 'Starting…' : 'Set up two-factor sign-in'}
        </button>
      </div>
    </form>
  );
}

function ConfirmEnrolment({ otpauthUrl, secret }: { otpauthUrl: string; secret: string }) {
  const [code, setCode] = useState('');
  const { busy, error, run, clear } = useRun();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (totpOk(code)) await run(() => useTwoFactor.getState().confirm(normalizeCode(code)));
  }
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Confirm two-factor sign-in">
      <ol className="steps">
        <li>Scan this QR code with your authenticator app (1Password, Bitwarden, Google Authenticator, Aegis…).</li>
        <li>Type the 6-digit code it shows to confirm.</li>
      </ol>
      <div className="enrolment">
        <QrCode text={otpauthUrl} label="QR code for your authenticator app" />
        <div className="enrolment-key">
          <p className="muted">Cannot scan? Enter this key in the app instead:</p>
          <p className="secret-box mono" aria-label="Setup key">
            {grouped(secret)}
          </p>
          <CopyButton text={secret} label="Copy key" />
        </div>
      </div>
      <Field label="Code from your authenticator app" hint="6 digits." error={fieldError(error, 'code')}>
        <input className="narrow" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => (setCode(e.target.value), clear())} maxLength={9} autoFocus />
      </Field>
      {formError(error, ['code']) && <p className="form-error" role="alert">{formError(error, ['code'])}</p>}
      <div className="form-actions">
        <button type="button" className="button secondary" onClick={() => useTwoFactor.getState().cancelSetup()}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy || !totpOk(code)}>
          {busy ? 'Checking…' : 'Confirm and turn on'}
        </button>
      </div>
    </form>
  );
}

interface PasswordAndCodeProps {
  label: string;
  codeLabel: string;
  codeHint: string;
  codeOk(code: string): boolean;
  danger?: boolean;
  onSubmit(password: string, code: string): Promise<Result<unknown>>;
}

function PasswordAndCode({ label, codeLabel, codeHint, codeOk, danger, onSubmit }: PasswordAndCodeProps) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { busy, error, run, clear } = useRun();
  const ready = passwordOk(password) && codeOk(code);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    const result = await run(() => onSubmit(password, normalizeCode(code)));
    if (result.ok) {
      setPassword('');
      setCode('');
    }
  }
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={label}>
      <Field label="Your password" error={fieldError(error, 'password')}>
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => (setPassword(e.target.value), clear())} />
      </Field>
      <Field label={codeLabel} hint={codeHint} error={fieldError(error, 'code')}>
        <input className="narrow" autoComplete="one-time-code" value={code} onChange={(e) => (setCode(e.target.value), clear())} maxLength={14} />
      </Field>
      {formError(error, ['password', 'code']) && <p className="form-error" role="alert">{formError(error, ['password', 'code'])}</p>}
      <div className="form-actions">
        <button type="submit" className={`button ${danger ? 'danger' : 'primary'}`} disabled={busy || !ready}>
          {busy ? 'Working…' : label}
        </button>
      </div>
    </form>
  );
}
