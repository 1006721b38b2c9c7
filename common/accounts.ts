import { z } from 'zod';
import { serverUrlSchema } from './settings.js';

// Accounts as the renderer sees them: who, where, and in what state. Never a token.

export interface AccountSummary {
  /** `<user id>@<server host>`: stable across sign-ins of the same user on the same server. */
  id: string;
  serverUrl: string;
  userId: string;
  username: string;
  alias: string;
  isAdmin: boolean;
  isBanned: boolean;
  /** How the account signed in: a long-lived `hdy_` API token, or a password session that refreshes. */
  kind: 'api-token' | 'session';
  /** Where its credentials live: the OS keychain, or memory until the app quits. */
  storage: 'keychain' | 'memory';
  /** `expired`: the server stopped accepting the credentials; signing in again picks up where the user was. */
  status: 'signed-in' | 'expired';
}

export interface AccountsState {
  accounts: AccountSummary[];
  activeId: string | null;
  keychain: { available: boolean; reason?: string };
}

export type SignInResult =
  | { status: 'signed-in'; account: AccountSummary; state: AccountsState }
  | { status: 'two-factor'; challengeId: string; method: string }
  /**
   * This user is already signed in on this server: nothing was changed. Signing in again with
   * `replace: true` puts the new credentials in place of the old ones (the old token is forgotten here).
   */
  | { status: 'already-signed-in'; account: AccountSummary; newKind: AccountSummary['kind'] };

export const TOKEN_RULE = 'must be an API token or access token, without spaces';
export const LOGIN_RULE = 'must be your username or email';
export const PASSWORD_REQUIRED_RULE = 'must not be empty';
export const TOTP_RULE = 'must be the 6 to 8 digits your authenticator app shows, or a 10-character backup code';

export const signInWithTokenSchema = z.strictObject({
  serverUrl: serverUrlSchema,
  token: z
    .string({ error: TOKEN_RULE })
    .trim()
    .min(8, { error: TOKEN_RULE })
    .max(8192, { error: TOKEN_RULE })
    .regex(/^\S+$/, { error: TOKEN_RULE }),
  sessionOnly: z.boolean().optional(),
  /** The user confirmed replacing the credentials of the same user already signed in. */
  replace: z.boolean().optional(),
});

export const signInWithPasswordSchema = z.strictObject({
  serverUrl: serverUrlSchema,
  login: z.string({ error: LOGIN_RULE }).trim().min(1, { error: LOGIN_RULE }).max(320, { error: LOGIN_RULE }),
  password: z.string({ error: PASSWORD_REQUIRED_RULE }).min(1, { error: PASSWORD_REQUIRED_RULE }).max(1024, { error: PASSWORD_REQUIRED_RULE }),
  sessionOnly: z.boolean().optional(),
  replace: z.boolean().optional(),
});

export const verifyTwoFactorSchema = z.strictObject({
  challengeId: z.string().min(1).max(100),
  code: z
    .string({ error: TOTP_RULE })
    .transform((code) => code.replace(/[\s-]+/g, ''))
    // The API takes a backup code in place of the app's code (docs/hoody-api/hoody-api.md).
    .pipe(z.string().regex(/^(\d{6,8}|[A-Za-z0-9]{10})$/, { error: TOTP_RULE })),
});

export const accountIdSchema = z.strictObject({ id: z.string().min(1).max(400) });
