import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import {
  tfaDisableBody,
  tfaRegenerateBody,
  tfaSetupBody,
  tfaTokenGateBody,
  tfaVerifySetupBody,
} from '../../common/two-factor.js';
import { requireAuth, type AuthContext } from '../auth/authenticate.js';
import { verifyPassword } from '../auth/passwords.js';
import { startSession } from '../auth/tokens.js';
import { checkTotp, newTotpSecret, totpUri } from '../auth/totp.js';
import { newBackupCodes, twoFactorStore, type TwoFactorStore } from '../auth/two-factor-store.js';
import type { SandboxContext } from '../context.js';
import { ApiError, fieldError, ok, tooManyRequests } from '../envelope.js';
import { toJsonSchema } from '../schemas.js';

// Two-factor management (/users/auth/2fa/*), with the bodies and answers of Hoody's SDK types.
// A wrong password or code is a 400 naming the field (as a wrong current_password is on
// /users/{id}), never a 401: the caller's token is fine, and a 401 would tell clients to sign out.

export const MAX_2FA_MANAGEMENT_FAILURES = 5;
export const TWO_FACTOR_LOCK_MS = 60_000;

const bodies = {
  setup: toJsonSchema(tfaSetupBody),
  verifySetup: toJsonSchema(tfaVerifySetupBody),
  disable: toJsonSchema(tfaDisableBody),
  regenerate: toJsonSchema(tfaRegenerateBody),
  tokenGate: toJsonSchema(tfaTokenGateBody),
};

const notEnabled = () => new ApiError(400, 'Two-factor authentication is not enabled for this account.');
const alreadyEnabled = () => new ApiError(400, 'Two-factor authentication is already enabled for this account.');

export function twoFactorRoutes(ctx: SandboxContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const store = twoFactorStore(ctx.db);
    const guard = guards(store);
    const route = { config: { auth: true } } as const;

    app.post('/users/auth/2fa/setup', { ...route, schema: { body: bodies.setup } }, async (request) => {
      const { user } = requireAuth(request);
      const body = request.body as z.infer<typeof tfaSetupBody>;
      guard.open(user.id);
      if (user.totp_secret) throw alreadyEnabled();
      await guard.password(user.id, body.password, user.password_hash);
      const secret = newTotpSecret();
      const backupCodes = newBackupCodes();
      store.startSetup(user.id, secret, backupCodes);
      return ok(
        { qr_code: totpUri(secret, user.email ?? user.username), manual_entry_key: secret, backup_codes: backupCodes },
        'Scan the QR code with your authenticator app, then confirm with its current code.',
      );
    });

    app.post('/users/auth/2fa/verify-setup', { ...route, schema: { body: bodies.verifySetup } }, async (request) => {
      const auth = requireAuth(request);
      const body = request.body as z.infer<typeof tfaVerifySetupBody>;
      guard.open(auth.user.id);
      if (auth.user.totp_secret) throw alreadyEnabled();
      const pending = store.pendingSecret(auth.user.id);
      if (!pending) throw new ApiError(400, 'No two-factor setup is in progress: call POST /users/auth/2fa/setup first.');
      if (!checkTotp(pending, body.code)) guard.wrongCode(auth.user.id);
      store.succeed(auth.user.id);
      store.finishSetup(auth.user.id);
      const { enabled_at } = store.status(auth.user.id);
      return ok({ enabled: true, enabled_at, ...restartSessions(ctx, auth) }, 'Two-factor authentication is on. Keep your backup codes somewhere safe.');
    });

    app.get('/users/auth/2fa/status', route, async (request) => ok(store.status(requireAuth(request).user.id)));

    app.delete('/users/auth/2fa', { ...route, schema: { body: bodies.disable } }, async (request) => {
      const auth = requireAuth(request);
      const body = request.body as z.infer<typeof tfaDisableBody>;
      guard.open(auth.user.id);
      if (!auth.user.totp_secret) throw notEnabled();
      await guard.password(auth.user.id, body.password, auth.user.password_hash);
      guard.anyCode(auth.user.id, auth.user.totp_secret, body.code);
      store.disable(auth.user.id);
      return ok(restartSessions(ctx, auth), 'Two-factor authentication is off.');
    });

    app.post('/users/auth/2fa/backup-codes/regenerate', { ...route, schema: { body: bodies.regenerate } }, async (request) => {
      const { user } = requireAuth(request);
      const body = request.body as z.infer<typeof tfaRegenerateBody>;
      guard.open(user.id);
      if (!user.totp_secret) throw notEnabled();
      await guard.password(user.id, body.password, user.password_hash);
      if (!checkTotp(user.totp_secret, body.code)) guard.wrongCode(user.id);
      store.succeed(user.id);
      return ok({ backup_codes: store.replaceCodes(user.id) }, 'New backup codes made; the old ones no longer work.');
    });

    app.put('/users/auth/2fa/token-gate', { ...route, schema: { body: bodies.tokenGate } }, async (request) => {
      const { user } = requireAuth(request);
      const body = request.body as z.infer<typeof tfaTokenGateBody>;
      guard.open(user.id);
      if (!user.totp_secret) throw notEnabled();
      // Turning the gate off lowers security, so it needs both factors again; turning it on needs neither.
      if (!body.enabled) {
        if (body.password === undefined) throw fieldError('password', 'required', 'is required to turn the token gate off');
        if (body.otp_code === undefined) throw fieldError('otp_code', 'required', 'is required to turn the token gate off');
        await guard.password(user.id, body.password, user.password_hash);
        guard.anyCode(user.id, user.totp_secret, body.otp_code, 'otp_code');
      }
      store.setTokenGate(user.id, body.enabled);
      return ok({ require_for_tokens: body.enabled }, body.enabled ? 'API token changes now need a two-factor code.' : 'API token changes no longer need a two-factor code.');
    });
  };
}

function guards(store: TwoFactorStore) {
  const refuse = (userId: string, field: string, message: string): never => {
    const left = store.fail(userId, MAX_2FA_MANAGEMENT_FAILURES, TWO_FACTOR_LOCK_MS);
    throw new ApiError(400, `body/${field} ${message}`, {
      data: [{ instancePath: `/${field}`, keyword: field, message, params: { attempts_remaining: left } }],
    });
  };
  const guard = {
    /** After too many wrong passwords or codes the routes answer 429 for a minute. */
    open(userId: string): void {
      const ms = store.lockedFor(userId);
      if (ms > 0) throw tooManyRequests(Math.ceil(ms / 1000), `Too many wrong passwords or codes: try again in ${Math.ceil(ms / 1000)} seconds.`);
    },
    async password(userId: string, password: string, hash: string): Promise<void> {
      if (!(await verifyPassword(password, hash))) refuse(userId, 'password', 'is not your current password');
    },
    wrongCode(userId: string, field = 'code'): never {
      return refuse(userId, field, 'is not the current code from your authenticator app');
    },
    /** A current TOTP code, or an unused backup code (used up by this call). */
    anyCode(userId: string, secret: string, code: string, field = 'code'): void {
      if (checkTotp(secret, code.trim()) || store.useBackupCode(userId, code)) {
        store.succeed(userId);
        return;
      }
      refuse(userId, field, 'is neither the current code from your authenticator app nor an unused backup code');
    },
  };
  return guard;
}

/**
 * Changing the sign-in factors ends every login session of the user. A caller signed in with a
 * JWT gets a new session in the answer (token and refreshToken, as the SDK types say) so it is
 * not signed out by its own change; an API token is not a session and keeps working.
 */
function restartSessions(ctx: SandboxContext, auth: AuthContext): { token?: string; refreshToken?: string; sessions_revoked: true } {
  ctx.db.revokeUserSessions(auth.user.id);
  if (auth.kind !== 'jwt') return { sessions_revoked: true };
  const { token, refreshToken } = startSession(ctx, auth.user.id);
  return { token, refreshToken, sessions_revoked: true };
}
