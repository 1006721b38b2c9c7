import { useEffect, useState } from 'react';
import type { LocalSandboxInfo } from '../../../common/contract.js';
import type { AppError } from '../../../common/errors.js';

export type SandboxUser = LocalSandboxInfo['users'][number];
export interface SandboxState {
  state: 'idle' | 'starting' | 'ready' | 'failed';
  info?: LocalSandboxInfo;
  error?: AppError;
  startedAt?: number;
}

/** The local sandbox: what it is doing while it starts (it takes a while), then its demo accounts. */
export function SandboxPanel({ sandbox, onUse }: { sandbox: SandboxState; onUse(user: SandboxUser): void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (sandbox.state !== 'starting') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [sandbox.state]);

  if (sandbox.state === 'starting') {
    const seconds = Math.max(0, Math.round((now - (sandbox.startedAt ?? now)) / 1000));
    return (
      <div className="sandbox-panel" role="status">
        <p>
          <strong>Starting the local sandbox…</strong> {seconds > 0 && <span className="muted">{seconds} s</span>}
        </p>
        <ol className="sandbox-steps muted small">
          <li>compiling the sandbox server (TypeScript, run by tsx);</li>
          <li>creating a fresh database with demo users, API tokens and realms;</li>
          <li>writing weeks of API activity for the charts.</li>
        </ol>
        <p className="muted small">This takes about 20 seconds the first time on a slow computer; the accounts appear here when it is ready.</p>
      </div>
    );
  }
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
            <button type="button" className="button link sandbox-user" onClick={() => onUse(user)}>
              Use {user.username}
            </button>
            <span className="muted small">
              {[user.isAdmin && 'admin', user.isBanned && 'banned', user.twoFactor && 'two-factor (the code is offered at the next step)'].filter(Boolean).join(', ') || 'regular user'}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
