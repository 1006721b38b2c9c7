import type { User } from '../../../../common/hoody-types.js';
import { formatDateTime } from '../../lib/format.js';

const yesNo = (value: boolean | null | undefined) => (value === undefined || value === null ? '—' : value ? 'Yes' : 'No');

/** Every field of a user, readable; absent ones shown as a dash rather than hidden. */
export function ProfileFacts({ user }: { user: User }) {
  const rows: Array<[string, React.ReactNode]> = [
    ['User ID', <code key="id">{user.id}</code>],
    ['Username', user.username || '—'],
    ['Email', user.email ? `${user.email}${user.email_verified ? ' (verified)' : user.email_verified === false ? ' (not verified)' : ''}` : '—'],
    ['Alias', user.alias || '—'],
    ['Public key', user.public_key ? <code key="pk">{user.public_key}</code> : 'None set'],
    ['Administrator', yesNo(user.is_admin)],
    ['Banned', yesNo(user.is_banned)],
    ['Signed up with', user.signup_method ?? '—'],
    ['Free tier unlocked', yesNo(user.free_tier_unlocked)],
    ['Avatar', user.avatar_url ? <code key="av">{user.avatar_url}</code> : '—'],
    ['Created', formatDateTime(user.created_at)],
    ['Last changed', formatDateTime(user.updated_at)],
  ];
  if (user.onboarding !== undefined && user.onboarding !== null) rows.push(['Onboarding', <code key="ob">{JSON.stringify(user.onboarding)}</code>]);
  if (user.auth_token) {
    const r = user.auth_token.restrictions;
    rows.push(['Signed in with', `API token${user.auth_token.name ? ` “${user.auth_token.name}”` : ''}${user.auth_token.vault_access === false ? ' (no vault access)' : ''}`]);
    if (r?.has_realm_restrictions) rows.push(['Token realms', <code key="realms">{r.allowed_realm_ids.join(', ') || 'none'}</code>]);
  }
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
