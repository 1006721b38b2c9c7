import { Ban, ShieldCheck } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import type { User } from '../../../common/hoody-types.js';
import { objectIdSchema } from '../../../common/rules.js';
import type { AppError } from '../../../common/errors.js';
import { ConfirmDialog } from '../components/Dialog.js';
import { Field } from '../components/Field.js';
import { ViewHeader } from '../components/ViewHeader.js';
import { formError, sentence } from '../lib/errors.js';
import { useActiveAccount } from '../stores/accounts.js';
import { useUsers } from '../stores/users.js';
import { AliasForm } from './profile/AliasForm.js';
import { MetadataEditor } from './profile/MetadataEditor.js';
import { ProfileFacts } from './profile/ProfileFacts.js';

type FlagChange = { flag: 'is_admin' | 'is_banned'; value: boolean };

/** For admins: open a user by id (the API has no list), then edit alias, metadata and the admin and ban flags. */
export function UsersView() {
  const me = useActiveAccount();
  const { user, error, busy, recent, seen, open, update } = useUsers();
  const [id, setId] = useState('');
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState<FlagChange | undefined>();
  const [flagError, setFlagError] = useState<AppError | undefined>();
  const check = objectIdSchema.safeParse(id.trim());
  const problem = touched && id && !check.success ? sentence(`User ID ${check.error.issues[0]?.message}`) : undefined;
  const isMe = !!user && user.id === me?.userId;

  useEffect(() => {
    if (me) void useUsers.getState().start(me.id);
  }, [me?.id]); // eslint-disable-line react-hooks/exhaustive-deps -- restart only when the account changes

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (check.success) await open(check.data);
  }

  async function applyFlag() {
    if (!pending) return;
    setFlagError(undefined);
    const result = await update({ [pending.flag]: pending.value });
    if (!result.ok) setFlagError(result.error);
    setPending(undefined);
  }

  const suggestions = [...recent.map((r) => ({ id: r.id, label: r.label, kind: 'recent' as const })), ...seen.filter((s) => !recent.some((r) => r.id === s)).map((s) => ({ id: s, label: s === me?.userId ? 'you' : '', kind: 'seen' as const }))];
  return (
    <section className="view wide">
      <ViewHeader
        title="Users"
        description="The Hoody API has no list of users, so a user is opened by their ID. Below are the users you opened lately and the IDs seen in your activity log."
      />
      <form className="card inline-form row-form" onSubmit={submit} noValidate aria-label="Open a user">
        <Field label="User ID" hint="24 hexadecimal characters, e.g. 507f1f77bcf86cd799439011." error={problem ?? (error?.code === 'INVALID_INPUT' ? sentence(error.fields?.id) : undefined)}>
          <input className="mono" spellCheck={false} value={id} onChange={(e) => setId(e.target.value)} onBlur={() => setTouched(true)} />
        </Field>
        <button type="submit" className="button primary" disabled={busy || !check.success}>
          {busy ? 'Opening…' : 'Open'}
        </button>
      </form>
      {suggestions.length > 0 && (
        <nav className="user-suggestions" aria-label="Users to open">
          <span className="muted small">Open:</span>
          {suggestions.map((s) => (
            <button key={s.id} type="button" className="chip" title={s.kind === 'recent' ? 'Recent' : 'Seen in your activity log'} onClick={() => (setId(s.id), void open(s.id))}>
              {s.label ? <strong>{s.label}</strong> : null} <span className="mono">{s.id}</span>
              <span className="sr-only">{s.kind === 'recent' ? ' (recent)' : ' (seen in your activity log)'}</span>
            </button>
          ))}
        </nav>
      )}
      {error && error.code !== 'INVALID_INPUT' && (
        <div className="banner error" role="alert">
          {error.code === 'NOT_FOUND' ? 'There is no user with that ID on this server.' : error.message}
        </div>
      )}
      {user && (
        <>
          <section className="card" aria-labelledby="user-title">
            <h2 id="user-title">
              {user.alias || user.username}
              {isMe && <span className="muted"> (you)</span>}{' '}
              {user.is_admin && (
                <span className="badge">
                  <ShieldCheck size={14} aria-hidden="true" /> Admin
                </span>
              )}{' '}
              {user.is_banned && (
                <span className="badge danger">
                  <Ban size={14} aria-hidden="true" /> Banned
                </span>
              )}
            </h2>
            <ProfileFacts user={user} />
          </section>
          <section className="card" aria-labelledby="roles-title">
            <h2 id="roles-title">Roles</h2>
            <div className="flag-row">
              <div>
                <strong>Administrator</strong>
                <p className="muted small">Admins can open and change every user.</p>
              </div>
              <button type="button" className="button secondary" disabled={busy} onClick={() => setPending({ flag: 'is_admin', value: !user.is_admin })}>
                {user.is_admin ? 'Remove admin role' : 'Make admin'}
              </button>
            </div>
            <div className="flag-row">
              <div>
                <strong>Banned</strong>
                <p className="muted small" id="ban-reason">
                  {user.is_admin ? 'Admin users cannot be banned: remove the admin role first.' : 'A banned user can read but not change anything.'}
                </p>
              </div>
              <button
                type="button"
                className={`button ${user.is_banned ? 'secondary' : 'danger'}`}
                disabled={busy || (user.is_admin && !user.is_banned)}
                aria-describedby="ban-reason"
                onClick={() => setPending({ flag: 'is_banned', value: !user.is_banned })}
              >
                {user.is_banned ? 'Lift the ban' : 'Ban user'}
              </button>
            </div>
            {flagError && (
              <p className="form-error" role="alert">
                {formError(flagError, []) ?? flagError.message}
              </p>
            )}
          </section>
          <section className="card" aria-labelledby="edit-title">
            <h2 id="edit-title">Details</h2>
            <AliasForm key={`alias-${user.id}-${user.updated_at}`} user={user} onSave={update} subject={isMe ? 'self' : 'other'} />
            <hr />
            <MetadataEditor key={`md-${user.id}`} user={user} onSave={update} />
          </section>
        </>
      )}
      <ConfirmDialog
        open={!!pending}
        onOpenChange={(isOpen) => !isOpen && setPending(undefined)}
        title={pending ? confirmTitle(pending, user, isMe) : ''}
        description={pending ? confirmText(pending, user, isMe) : ''}
        confirmLabel={pending ? confirmTitle(pending, user, isMe) : ''}
        danger={(pending?.flag === 'is_banned' && pending.value) || (pending?.flag === 'is_admin' && !pending.value && isMe)}
        busy={busy}
        onConfirm={() => void applyFlag()}
      />
    </section>
  );
}

function confirmTitle({ flag, value }: FlagChange, user: User | undefined, isMe: boolean): string {
  const name = user?.username ?? 'this user';
  if (flag === 'is_banned') return value ? `Ban ${name}` : `Lift the ban on ${name}`;
  if (!value && isMe) return 'Remove your own admin role';
  return value ? `Make ${name} an admin` : `Remove ${name}'s admin role`;
}

function confirmText({ flag, value }: FlagChange, user: User | undefined, isMe: boolean): string {
  const name = user?.alias || user?.username || 'This user';
  if (flag === 'is_banned') return value ? `${name} will be able to sign in and read, but not change anything, until the ban is lifted.` : `${name} will be able to change their account again.`;
  if (!value && isMe) return 'This is your own account. You lose this Users page at once and cannot give the role back to yourself: only another admin can.';
  return value ? `${name} will be able to open and change every user on this server, including banning them.` : `${name} will no longer be able to open or change other users.`;
}
