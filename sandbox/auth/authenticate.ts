import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context.js';
import type { ApiTokenRow, TokenRestrictions, UserRow } from '../db.js';
import { forbidden, unauthorized } from '../envelope.js';
import { sha256 } from '../ids.js';
import { verifyJwt } from './jwt.js';
import { API_TOKEN_PREFIX } from './tokens.js';

export interface ApiTokenAuth {
  id: string;
  name: string;
  vault_access: boolean;
  vault_permission: boolean;
  restrictions: TokenRestrictions;
}

export interface AuthContext {
  user: UserRow;
  kind: 'jwt' | 'api_token';
  sessionId?: string;
  apiToken?: ApiTokenAuth;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyContextConfig {
    /** The route needs a bearer token (an access JWT or an hdy_ API token). */
    auth?: boolean;
    /** A banned user may still call this write route (sign-out). */
    bannedMayWrite?: boolean;
  }
}

// Exactly "Bearer <token>" with one space, as the real service parses it.
const BEARER = /^Bearer ([^\s]+)$/;

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
}

function fromApiToken(row: ApiTokenRow): ApiTokenAuth {
  return {
    id: row.id,
    name: row.name,
    vault_access: row.vault_access === 1,
    vault_permission: row.perm_vault === 1,
    restrictions: JSON.parse(row.restrictions) as TokenRestrictions,
  };
}

export function authenticate(ctx: SandboxContext, request: FastifyRequest): AuthContext {
  if (request.headers.authorization === undefined) throw unauthorized('Authentication required: send Authorization: Bearer <token>.');
  const token = bearerToken(request);
  if (!token) throw unauthorized('Malformed Authorization header: expected "Bearer <token>".');

  if (token.startsWith(API_TOKEN_PREFIX)) {
    const row = ctx.db.findApiToken(sha256(token));
    const user = row && ctx.db.getUser(row.user_id);
    if (!row || !user) throw unauthorized('Invalid API token.');
    ctx.db.touchApiToken(row.id);
    return { user, kind: 'api_token', apiToken: fromApiToken(row) };
  }

  const check = verifyJwt(token, ctx.jwtSecret);
  if (!check.ok) throw unauthorized(check.reason === 'expired' ? 'Access token expired.' : 'Invalid access token.');
  const { claims } = check;
  if (claims.gen < ctx.db.accessGeneration()) throw unauthorized('Access token expired.');
  if (!ctx.db.isSessionActive(claims.sid, claims.sub)) throw unauthorized('Session ended: sign in again.');
  const user = ctx.db.getUser(claims.sub);
  if (!user) throw unauthorized('Invalid access token.');
  return { user, kind: 'jwt', sessionId: claims.sid };
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** onRequest hook: resolves the token of routes marked `auth`, and keeps banned users read-only. */
export function authHook(ctx: SandboxContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const config = request.routeOptions.config;
    if (!config.auth) return;
    request.auth = authenticate(ctx, request);
    if (request.auth.user.is_banned === 1 && !READ_METHODS.has(request.method) && !config.bannedMayWrite) {
      throw forbidden('This account is banned: it can read but not change anything.');
    }
  };
}

export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw unauthorized('Authentication required.');
  return request.auth;
}

/**
 * The realm rules of an API token: an hdy_ token reaches the vault only with vault access and the
 * vault permission; a realm-restricted one only inside its realms, never the global scope.
 */
export function checkVaultAccess(auth: AuthContext, realmId: string): void {
  const token = auth.apiToken;
  if (!token) return;
  if (!token.vault_access || !token.vault_permission) throw forbidden('This API token has no vault access.');
  const r = token.restrictions;
  if (realmId === '') {
    if (r.requires_realm_scope || !r.allow_no_realm) throw forbidden('This API token is restricted to realms: name one with ?realm_id.');
  } else if (r.has_realm_restrictions && !r.allowed_realm_ids.includes(realmId)) {
    throw forbidden('This API token may not use this realm.');
  }
}
