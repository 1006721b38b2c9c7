import { z } from 'zod';
import { currentPasswordSchema } from './rules.js';
import type { OperationName } from './operations.js';

type TwoFactorOperation = Extract<OperationName, `profile.twoFactor${string}`>;

// Two-factor sign-in (TOTP) as Hoody's public SDK types describe it (docs/hoody-api/hoody-api.md,
// "Two-factor management"): the API's body rules, used by the sandbox to refuse and by the app to
// check before sending, and the IPC contract of the Profile card's operations.

export const TOTP_CODE_PATTERN = /^\d{6}$/;
/** Backup codes are 10 letters and digits; people type them in either case, with spaces or dashes. */
export const BACKUP_CODE_PATTERN = /^[A-Za-z0-9]{10}$/;
export const OTP_CODE_MAX = 12;

export const TWO_FACTOR_RULES = {
  totpCode: 'must be the 6 digits your authenticator app shows',
  anyCode: 'must be the 6 digits your authenticator app shows, or one of your 10-character backup codes',
  otpCode: `must be at most ${OTP_CODE_MAX} characters (a 6-digit code or a backup code)`,
} as const;

/** Strips what people paste around a code: spaces and dashes. */
export const normalizeCode = (code: string): string => code.replace(/[\s-]+/g, '');

export const totpCodeSchema = z.string({ error: TWO_FACTOR_RULES.totpCode }).regex(TOTP_CODE_PATTERN, { error: TWO_FACTOR_RULES.totpCode });
/** A 6-digit code from the app, or a 10-character backup code. */
export const anyCodeSchema = z
  .string({ error: TWO_FACTOR_RULES.anyCode })
  .refine((code) => TOTP_CODE_PATTERN.test(code) || BACKUP_CODE_PATTERN.test(code), { error: TWO_FACTOR_RULES.anyCode });

// --- the API's request bodies -------------------------------------------------------------------

export const tfaSetupBody = z.strictObject({ password: currentPasswordSchema });
export const tfaVerifySetupBody = z.strictObject({ code: totpCodeSchema });
// The SDK types `code` as a plain string here (TOTP or backup code); a malformed one is a wrong code.
export const tfaDisableBody = z.strictObject({ password: currentPasswordSchema, code: z.string().min(1).max(64) });
// Regeneration takes a 6-digit TOTP only: a backup code fails the pattern (400).
export const tfaRegenerateBody = z.strictObject({ password: currentPasswordSchema, code: totpCodeSchema });
export const tfaTokenGateBody = z.strictObject({
  enabled: z.boolean(),
  password: currentPasswordSchema.optional(),
  otp_code: z.string().max(OTP_CODE_MAX, { error: TWO_FACTOR_RULES.otpCode }).optional(),
});

// --- the app's operations (renderer → main) -----------------------------------------------------

const normalized = (schema: z.ZodType<string, string>) => z.string({ error: TWO_FACTOR_RULES.anyCode }).transform(normalizeCode).pipe(schema);

export const twoFactorInputs = {
  setup: z.strictObject({ password: currentPasswordSchema }),
  enable: z.strictObject({ code: normalized(totpCodeSchema) }),
  disable: z.strictObject({ password: currentPasswordSchema, code: normalized(anyCodeSchema) }),
  regenerateCodes: z.strictObject({ password: currentPasswordSchema, code: normalized(totpCodeSchema) }),
};

export interface TwoFactorStatus {
  enabled: boolean;
  /** Whether the account's authenticator was confirmed with a first code. */
  verified: boolean;
  enabledAt: string | null;
  backupCodesRemaining: number;
  /** Whether changes to API tokens need a code (the API's "token gate"). */
  requireForTokens: boolean;
}

export interface TwoFactorEnrolment {
  /** The otpauth:// URL the QR code encodes. */
  otpauthUrl: string;
  /** The same secret in base32, for typing into an authenticator by hand. */
  secret: string;
}

export interface TwoFactorCodes {
  /** Shown once: the server keeps only their hashes. */
  backupCodes: string[];
  status: TwoFactorStatus;
}

// --- the API's answers (SDK types), as the client reads them: every field may be missing --------

export interface ApiTwoFactorStatus {
  enabled?: boolean;
  verified?: boolean;
  enabled_at?: string;
  backup_codes_remaining?: number;
  require_for_tokens?: boolean;
}

export interface ApiTwoFactorSetup {
  /** An otpauth:// URL, or an image of the QR code (a data: URL): the SDK does not say which. */
  qr_code?: string;
  manual_entry_key?: string;
  backup_codes?: string[];
}

/** verify-setup and disable: new tokens when the server ended the caller's session. */
export interface ApiTwoFactorChange {
  enabled?: boolean;
  enabled_at?: string;
  token?: string;
  refreshToken?: string;
  sessions_revoked?: boolean;
  /** Not in the SDK's types, but some documents place the backup codes here: taken when present. */
  backup_codes?: string[];
}

// --- the IPC contract's part for these operations (spread into contract.ts) ---------------------

const noInput = z.undefined({ error: 'takes no input' }).or(z.strictObject({}));

export const twoFactorInputSchemas = {
  'profile.twoFactorStatus': noInput,
  'profile.twoFactorSetup': twoFactorInputs.setup,
  'profile.twoFactorEnable': twoFactorInputs.enable,
  'profile.twoFactorDisable': twoFactorInputs.disable,
  'profile.twoFactorRegenerateCodes': twoFactorInputs.regenerateCodes,
} satisfies Record<TwoFactorOperation, z.ZodType>;

export interface TwoFactorResults {
  'profile.twoFactorStatus': TwoFactorStatus;
  'profile.twoFactorSetup': TwoFactorEnrolment;
  'profile.twoFactorEnable': TwoFactorCodes;
  'profile.twoFactorDisable': TwoFactorStatus;
  'profile.twoFactorRegenerateCodes': TwoFactorCodes;
}
