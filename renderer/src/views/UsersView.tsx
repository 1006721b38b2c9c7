import { Ban, ShieldCheck } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../common/errors.js';
import type { User } from '../../../common/hoody-types.js';
import { objectIdSchema } from '../../../common/rules.js';
import { ConfirmDialog } from '../components/Dialog.js';
import { Field } from '../components/Field.js';
import { ViewHeader } from '../components/ViewHeader.js';
import { formError, sentence } from '../lib/errors.js';
import { hoody } from '../lib/hoody.js';
import { AliasForm } from './profile/AliasForm.js';
import { MetadataEditor } from './profile/MetadataEditor.js';
import { ProfileFacts } from './profile/ProfileFacts.js';

type FlagChange = { flag: 'is_admin' | 'is_banned'; value: boolean };

/** For admins: open any user by id, edit alias, metadata and the admin and ban flags. */
export function UsersView() {
  const [id, setId] = useState('');
  const [touched, setTouched] = useState(false);
  const [user, setUser] = useState<User | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<FlagChange | undefined>();
  const [flagError, setFlagError] = useState<AppError | undefined>();
  const check = objectIdSchema.safeParse(id.trim());
  const problem = touched && id && !check.success ? sentence(`User ID ${check.error.issues[0]?.message}`) : undefined;

  async function open(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!check.success) return;
    setBusy(true);
    setError(undefined);
    const result = await hoody().users.get({ id: check.data });
    setBusy(false);
    if (result.ok) setUser(result.data);
    else {
      setUser(undefined);
      setError(result.error);
    }
  }

  const save = async (change: { alias?: string; metadata?: Record<string, unknown>; is_admin?: boolean; is_banned?: boolean }) => {
    const result = await hoody().users.update({ id: user!.id, ...change });
    if (result.ok) setUser(result.data);
    return result;
  };

  async function applyFlag() {
    if (!pending) return;
    setBusy(true);
    setFlagError(undefined);
    const result = await save({ [pending.flag]: pending.value });
    setBusy(false);
    if (!result.ok) setFlagError(result.error);
    setPending(undefined);
  }

  return (
    <section className="view wide">
      <ViewHeader title="Users" description="Open any user of this server by their ID to read or change their account." />
      <form className="card inline-form row-form" onSubmit={open} noValidate aria-label="Open a user">
        <Field label="User ID" hint="24 hexadecimal characters, e.g. 507f1f77bcf86cd799439011." error={problem ?? (error?.code === 'INVALID_INPUT' ? sentence(error.fields?.id) : undefined)}>
          <input className="mono" spellCheck={false} value={id} onChange={(e) => setId(e.target.value)} onBlur={() => setTouched(true)} />
        </Field>
        <button type="submit" className="button primary" disabled={busy || !check.success}>
          {busy && !user ? 'Opening…' : 'Open'}
        </button>
      </form>
      {error && error.code !== 'INVALID_INPUT' && (
        <div className="banner error" role="alert">
          {error.code === 'NOT_FOUND' ? 'There is no user with that ID on this server.' : error.message}
        </div>
      )}
      {user && (
        <>
          <section className="card" aria-labelledby="user-title">
            <h2 id="user-title">
              {user.alias || user.username}{' '}
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
            <AliasForm key={`alias-${user.id}-${user.updated_at}`} user={user} onSave={save} />
            <hr />
            <MetadataEditor key={`md-${user.id}`} user={user} onSave={save} />
          </section>
        </>
      )}
      <ConfirmDialog
        open={!!pending}
        onOpenChange={(open) => !open && setPending(undefined)}
        title={pending ? confirmTitle(pending, user) : ''}
        description={pending ? confirmText(pending, user) : ''}
        confirmLabel={pending ? confirmTitle(pending, user) : ''}
        danger={pending?.flag === 'is_banned' && pending.value}
        busy={busy}
        onConfirm={() => void applyFlag()}
      />
    </section>
  );
}

function confirmTitle({ flag, value }: FlagChange, user: User | undefined): string {
  const name = user?.username ?? 'this user';
  if (flag === 'is_banned') return value ? `Ban ${name}` : `Lift the ban on ${name}`;
  return value ? `Make ${name} an admin` : `Remove ${name}'s admin role`;
}

function confirmText({ flag, value }: FlagChange, user: User | undefined): string {
  const name = user?.alias || user?.username || 'This user';
  if (flag === 'is_banned') return value ? `${name} will be able to sign in and read, but not change anything, until the ban is lifted.` : `${name} will be able to change their account again.`;
  return value ? `${name} will be able to open and change every user on this server, including banning them.` : `${name} will no longer be able to open or change other users.`;
}
