// Shapes of the Hoody API's answers (docs/hoody-api/hoody-api.md), as the app reads them. Every field
// the API may omit is optional: the client parses tolerantly and the UI shows what is there.

export interface RealmRestrictions {
  has_realm_restrictions: boolean;
  requires_realm_scope: boolean;
  allowed_realm_ids: string[];
  allow_no_realm: boolean;
  active_realm_id: string | null;
}

export interface User {
  id: string;
  username: string;
  email?: string | null;
  alias: string;
  public_key?: string | null;
  metadata?: Record<string, unknown> | null;
  is_admin: boolean;
  is_banned: boolean;
  email_verified?: boolean | null;
  avatar_url?: string | null;
  signup_method?: string | null;
  free_tier_unlocked?: boolean | null;
  onboarding?: unknown;
  created_at: string;
  updated_at: string;
  auth_token?: { id?: string; name?: string; vault_access?: boolean; restrictions?: RealmRestrictions };
}

export interface RetrySetupResult {
  server: unknown;
  project: unknown;
  container: unknown;
  blocked_reason: null | 'admin_recovery_required' | string;
}

export interface ActivityRecord {
  id?: string;
  user_id?: string;
  realm_id?: string;
  method?: string;
  path?: string;
  status_code?: number;
  ip_address?: string;
  user_agent?: string;
  created_at?: string;
}

export interface PageMetadata {
  total: number;
  page: number;
  limit: number;
  pages: number;
}

export interface ActivityStats {
  total_size_bytes: number;
  total_records: number;
  oldest_record: string | null;
  newest_record: string | null;
  retention_days: number;
}

export interface VaultEntry {
  key: string;
  realm_id: string;
  metadata: Record<string, unknown> | null;
  size_bytes: number;
  created_at: string;
  updated_at: string;
}

export interface VaultValue extends VaultEntry {
  value: string;
}

export interface VaultStats {
  total_keys: number;
  total_size_bytes: number;
  total_size_mb: number;
  limit_mb: number;
  used_percentage: number;
  remaining_mb: number;
}

export interface LoginTokens {
  token: string;
  refreshToken: string;
  expires_at?: string;
  expires_in?: number;
  refresh_expires_at?: string;
  refresh_expires_in?: number;
  user?: User;
}

export interface TwoFactorChallenge {
  requires_2fa: true;
  temp_token: string;
  method: string;
}
