import { useEffect, useState, type FormEvent } from 'react';
import type { RetrySetupResult } from '../../../../common/hoody-types.js';
import { REGION_MAX, regionSchema } from '../../../../common/rules.js';
import { Field } from '../../components/Field.js';
import { fieldError, formatWait, sentence } from '../../lib/errors.js';
import { retrySetup } from '../../stores/profile.js';
import { useSave } from './useSave.js';

const BLOCKED: Record<string, string> = {
  admin_recovery_required: 'An administrator must recover this account before it can be set up. Contact Hoody support.',
};

function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  const parts = [v.name ?? v.hostname ?? v.id, v.region, v.status].filter((p) => typeof p === 'string' && p);
  return parts.length ? parts.join(' · ') : JSON.stringify(value);
}

/** Asks the server to provision the account's free-tier server, project and container again. */
export function RetrySetupCard() {
  const [region, setRegion] = useState('');
  const [result, setResult] = useState<RetrySetupResult | undefined>();
  const [waitUntil, setWaitUntil] = useState<number | undefined>();
  const [now, setNow] = useState(() => Date.now());
  const save = useSave<RetrySetupResult>();
  const check = region ? regionSchema.safeParse(region) : undefined;
  const problem = check && !check.success ? sentence(`Region ${check.error.issues[0]?.message}`) : undefined;
  const wait = waitUntil ? Math.max(0, Math.ceil((waitUntil - now) / 1000)) : 0;

  useEffect(() => {
    if (!waitUntil) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (problem || wait > 0) return;
    const answer = await save.run(() => retrySetup(region));
    if (answer.ok) setResult(answer.data);
    else if (answer.error.code === 'RATE_LIMITED') {
      setWaitUntil(Date.now() + (answer.error.retryAfter ?? 60) * 1000);
      setNow(Date.now());
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Retry setup">
      <p className="muted">If your free-tier server was not created when you signed up, ask for it again. This is safe to repeat, at most once a minute.</p>
      <Field label="Preferred region (optional)" hint={`For example us-east-1. Lower-case letters, digits and hyphens, at most ${REGION_MAX}.`} error={problem ?? fieldError(save.error, 'region')}>
        <input className="narrow-wide" spellCheck={false} value={region} onChange={(e) => setRegion(e.target.value)} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.busy || !!problem || wait > 0}>
          {save.busy ? 'Setting up…' : 'Retry setup'}
        </button>
        <p className={`form-status${save.error ? ' error' : ''}`} role="status" aria-live="polite">
          {wait > 0
            ? `Setup can be retried once a minute. Try again in ${formatWait(wait)}.`
            : save.error && save.error.code !== 'RATE_LIMITED' && !fieldError(save.error, 'region')
              ? save.error.message
              : ''}
        </p>
      </div>
      {result && (
        <dl className="facts compact" aria-label="Setup result">
          <div className="fact">
            <dt>Server</dt>
            <dd>{describe(result.server)}</dd>
          </div>
          <div className="fact">
            <dt>Project</dt>
            <dd>{describe(result.project)}</dd>
          </div>
          <div className="fact">
            <dt>Container</dt>
            <dd>{describe(result.container)}</dd>
          </div>
          <div className="fact">
            <dt>Blocked</dt>
            <dd>{result.blocked_reason ? (BLOCKED[result.blocked_reason] ?? result.blocked_reason) : 'No: the account is set up.'}</dd>
          </div>
        </dl>
      )}
    </form>
  );
}
