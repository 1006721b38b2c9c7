import type { ActivityRow, UserRow, VaultRow } from './db.js';

// How rows look on the wire: booleans as booleans, JSON columns parsed, times in ISO 8601, and
// null (not absent) where a field is unset, so a client sees every field of the documented shape.

export interface PublicUser {
  id: string;
  username: string;
  email: string | null;
  alias: string | null;
  public_key: string | null;
  metadata: Record<string, unknown> | null;
  is_admin: boolean;
  is_banned: boolean;
  email_verified: boolean;
  avatar_url: string | null;
  signup_method: string | null;
  free_tier_unlocked: boolean;
  onboarding: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

function parseJson(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

export function publicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    alias: row.alias,
    public_key: row.public_key,
    metadata: parseJson(row.metadata),
    is_admin: row.is_admin === 1,
    is_banned: row.is_banned === 1,
    email_verified: row.email_verified === 1,
    avatar_url: row.avatar_url,
    signup_method: row.signup_method,
    free_tier_unlocked: row.free_tier_unlocked === 1,
    onboarding: parseJson(row.onboarding),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function vaultEntry(row: Omit<VaultRow, 'value'> & { value?: string }, withValue: boolean) {
  return {
    key: row.key,
    realm_id: row.realm_id,
    ...(withValue ? { value: row.value } : {}),
    metadata: parseJson(row.metadata),
    size_bytes: row.size_bytes,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function activityEntry(row: ActivityRow) {
  return { ...row, created_at: new Date(row.created_at).toISOString() };
}
