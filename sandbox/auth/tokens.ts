import { randomBytes } from 'node:crypto';
import type { SandboxContext } from '../context.js';
import type { ApiTokenRow, TokenRestrictions } from '../db.js';
import { isoNow, newId, randomSecret, sha256 } from '../ids.js';
import { signJwt } from './jwt.js';

export const API_TOKEN_PREFIX = 'hdy_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export interface SessionTokens {
  token: string;
  refreshToken: string;
  expires_at: string;
  expires_in: number;
  refresh_expires_at: string;
  refresh_expires_in: number;
}

/** A new access JWT plus refresh token inside an existing login session. */
export function issueTokens(ctx: SandboxContext, userId: string, sessionId: string): SessionTokens {
  const now = Date.now();
  const iat = Math.floor(now / 1000);
  const exp = iat + ctx.config.accessTokenTtlSeconds;
  const token = signJwt({ sub: userId, sid: sessionId, gen: ctx.db.accessGeneration(), jti: newId(), iat, exp, iss: 'hoody-sandbox' }, ctx.jwtSecret);
  const refreshToken = randomSecret(48);
  const refreshExpiresAt = now + ctx.config.refreshTokenTtlSeconds * 1000;
  ctx.db.insertRefreshToken(sha256(refreshToken), sessionId, userId, refreshExpiresAt);
  return {
    token,
    refreshToken,
    expires_at: isoNow(exp * 1000),
    expires_in: exp - iat,
    refresh_expires_at: isoNow(refreshExpiresAt),
    refresh_expires_in: ctx.config.refreshTokenTtlSeconds,
  };
}

export function startSession(ctx: SandboxContext, userId: string): SessionTokens {
  return issueTokens(ctx, userId, ctx.db.createSession(userId));
}

export const UNRESTRICTED: TokenRestrictions = {
  has_realm_restrictions: false,
  requires_realm_scope: false,
  allowed_realm_ids: [],
  allow_no_realm: true,
  active_realm_id: null,
};

export interface ApiTokenOptions {
  userId: string;
  name?: string;
  vaultAccess?: boolean;
  permissions?: { resources: { vault: boolean } };
  /** Listing allowed realms makes the token realm-restricted and, unless told otherwise, unable to use the global scope. */
  allowedRealmIds?: string[];
  restrictions?: Partial<TokenRestrictions>;
}

export interface CreatedApiToken {
  id: string;
  token: string;
  user_id: string;
  name: string;
  vault_access: boolean;
  permissions: { resources: { vault: boolean } };
  restrictions: TokenRestrictions;
}

function base62(length: number): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function createApiToken(ctx: SandboxContext, options: ApiTokenOptions): CreatedApiToken {
  const allowed = (options.allowedRealmIds ?? options.restrictions?.allowed_realm_ids ?? []).map((id) => id.toLowerCase());
  const restricted = options.restrictions?.has_realm_restrictions ?? allowed.length > 0;
  const restrictions: TokenRestrictions = {
    ...UNRESTRICTED,
    has_realm_restrictions: restricted,
    requires_realm_scope: restricted,
    allow_no_realm: !restricted,
    ...options.restrictions,
    allowed_realm_ids: allowed,
  };
  const vaultAccess = options.vaultAccess ?? true;
  const permissions = options.permissions ?? { resources: { vault: vaultAccess } };
  const token = `${API_TOKEN_PREFIX}${base62(40)}`;
  const row: ApiTokenRow = {
    id: newId(),
    user_id: options.userId,
    name: options.name ?? 'API token',
    token_hash: sha256(token),
    vault_access: vaultAccess ? 1 : 0,
    perm_vault: permissions.resources.vault ? 1 : 0,
    restrictions: JSON.stringify(restrictions),
    created_at: isoNow(),
    last_used_at: null,
  };
  ctx.db.insertApiToken(row);
  return { id: row.id, token, user_id: row.user_id, name: row.name, vault_access: vaultAccess, permissions, restrictions };
}
