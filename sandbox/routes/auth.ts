import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { bearerToken, requireAuth } from '../auth/authenticate.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { issueTokens, startSession } from '../auth/tokens.js';
import { checkTotp } from '../auth/totp.js';
import { twoFactorStore } from '../auth/two-factor-store.js';
import type { SandboxContext } from '../context.js';
import { ApiError, ok, tooManyRequests, unauthorized } from '../envelope.js';
import { randomSecret, sha256 } from '../ids.js';
import { schemas, type loginSchema, type verify2faSchema } from '../schemas.js';
import { publicUser } from '../views.js';
import { twoFactorRoutes } from './two-factor.js';

export const MAX_LOGIN_FAILURES = 5;
export const LOGIN_LOCK_MS = 60_000;
export const TEMP_TOKEN_TTL_MS = 5 * 60_000;
const MAX_2FA_FAILURES = 5;
const BAD_CREDENTIALS = 'Invalid username or password.';

export function authRoutes(ctx: SandboxContext) {
  // Unknown users still pay for a hash, so response time does not tell which usernames exist.
  const decoyHash = hashPassword(randomSecret());

  return async (app: FastifyInstance): Promise<void> => {
    app.post('/users/auth/login', { schema: { body: schemas.login } }, async (request) => {
      const body = request.body as z.infer<typeof loginSchema>;
      if (body.username === undefined && body.email === undefined) {
        throw new ApiError(400, 'body must have required property username or email', {
          data: [{ instancePath: '', keyword: 'required', message: "must have required property 'username' or 'email'", params: { missingProperty: 'username' } }],
        });
      }
      const found = ctx.db.findUserByLogin(body);
      if (!found) {
        await verifyPassword(body.password, await decoyHash);
        throw unauthorized(BAD_CREDENTIALS);
      }
      const lockedFor = (found.locked_until ?? 0) - Date.now();
      if (lockedFor > 0) {
        const seconds = Math.ceil(lockedFor / 1000);
        throw tooManyRequests(seconds, `Too many failed sign-ins: try again in ${seconds} seconds.`);
      }
      const passwordOk = await verifyPassword(body.password, found.password_hash);
      // Re-read after the slow hash so parallel attempts all count.
      const user = ctx.db.getUser(found.id)!;
      if (!passwordOk) {
        const failures = user.failed_logins + 1;
        if (failures >= MAX_LOGIN_FAILURES) {
          ctx.db.updateUser(user.id, { failed_logins: 0, locked_until: Date.now() + LOGIN_LOCK_MS });
          throw unauthorized(BAD_CREDENTIALS, { attempts_remaining: 0 });
        }
        ctx.db.updateUser(user.id, { failed_logins: failures });
        throw unauthorized(BAD_CREDENTIALS, { attempts_remaining: MAX_LOGIN_FAILURES - failures });
      }
      ctx.db.updateUser(user.id, { failed_logins: 0, locked_until: null });

      if (user.totp_secret) {
        const tempToken = randomSecret(32);
        ctx.db.insertPending2fa(sha256(tempToken), user.id, Date.now() + TEMP_TOKEN_TTL_MS);
        return ok({ requires_2fa: true, temp_token: tempToken, method: 'totp' }, 'Two-factor code required.');
      }
      return ok({ ...startSession(ctx, user.id), user: publicUser(user) }, 'Signed in.');
    });

    app.post('/users/auth/2fa/verify', { schema: { body: schemas.verify2fa } }, async (request) => {
      const body = request.body as z.infer<typeof verify2faSchema>;
      const hash = sha256(body.temp_token);
      const pending = ctx.db.getPending2fa(hash);
      if (!pending || pending.used_at !== null || pending.expires_at <= Date.now() || pending.failures >= MAX_2FA_FAILURES) {
        throw unauthorized('The temp_token is invalid or expired: sign in again.');
      }
      const user = ctx.db.getUser(pending.user_id);
      if (!user?.totp_secret) throw unauthorized('The temp_token is invalid or expired: sign in again.');
      // The code is the authenticator's 6 digits or one of the 10-character backup codes (each works once).
      if (!checkTotp(user.totp_secret, body.code.trim()) && !twoFactorStore(ctx.db).useBackupCode(user.id, body.code)) {
        ctx.db.failPending2fa(hash);
        throw unauthorized('Invalid two-factor code.');
      }
      if (!ctx.db.usePending2fa(hash)) throw unauthorized('The temp_token is invalid or expired: sign in again.');
      return ok({ ...startSession(ctx, user.id), user: publicUser(user) }, 'Signed in.');
    });

    // The refresh token must come twice (body and bearer header), as the real service requires;
    // anything missing or mismatched is an authentication failure, not a validation error.
    app.post('/users/auth/refresh', async (request) => {
      const fromBody = (request.body as { refreshToken?: unknown } | undefined)?.refreshToken;
      const fromHeader = bearerToken(request);
      if (typeof fromBody !== 'string' || !fromHeader) throw unauthorized('Send the refresh token in the body (refreshToken) and as Authorization: Bearer.');
      if (fromBody !== fromHeader) throw unauthorized('The refresh token in the body and the header differ.');
      const used = ctx.db.consumeRefreshToken(sha256(fromBody));
      if (!used || used.expires_at <= Date.now() || !ctx.db.isSessionActive(used.session_id, used.user_id)) {
        throw unauthorized('Invalid or expired refresh token: sign in again.');
      }
      const user = ctx.db.getUser(used.user_id);
      if (!user) throw unauthorized('Invalid or expired refresh token: sign in again.');
      request.auth = { user, kind: 'jwt', sessionId: used.session_id };
      return ok({ ...issueTokens(ctx, user.id, used.session_id), user: publicUser(user) }, 'Token refreshed.');
    });

    await twoFactorRoutes(ctx)(app);

    app.post('/users/auth/logout', { config: { auth: true, bannedMayWrite: true } }, async (request) => {
      const auth = requireAuth(request);
      const ended = ctx.db.revokeUserSessions(auth.user.id);
      return ok({ sessions_ended: ended }, 'Signed out of every session.');
    });
  };
}
