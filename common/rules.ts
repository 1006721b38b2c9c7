import { z } from 'zod';

// The Hoody API's input rules (docs/hoody-api/hoody-api.md), written once. The app checks as the user
// types, the client checks before sending, and the sandbox server refuses with them (its JSON
// schemas are generated from these with z.toJSONSchema, so the two cannot drift apart).

export const OBJECT_ID_PATTERN = /^[0-9a-fA-F]{24}$/;
export const ALIAS_MIN = 1;
export const ALIAS_MAX = 100;
export const PUBLIC_KEY_PATTERN = /^[0-9a-fA-F]{64}$/;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
export const PASSWORD_CLASSES_REQUIRED = 3;
export const CURRENT_PASSWORD_MIN = 8;
export const CURRENT_PASSWORD_MAX = 128;
export const REGION_PATTERN = /^[a-z0-9-]+$/;
export const REGION_MAX = 50;
export const KEY_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;
export const KEY_NAME_MAX = 255;
export const METADATA_MAX_BYTES = 256 * 1024;
export const ACTIVITY_PAGE_MAX = 10001;
export const ACTIVITY_LIMIT_MAX = 100;
export const ACTIVITY_LIMIT_DEFAULT = 50;
export const STATUS_MIN = 100;
export const STATUS_MAX = 599;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const RULES = {
  objectId: 'must be 24 hexadecimal characters',
  alias: `must be ${ALIAS_MIN} to ${ALIAS_MAX} characters`,
  publicKey: 'must be exactly 64 hexadecimal characters (an ED25519 public key)',
  password: `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters and mix at least ${PASSWORD_CLASSES_REQUIRED} of: lower case, upper case, digits, symbols`,
  currentPassword: `must be ${CURRENT_PASSWORD_MIN} to ${CURRENT_PASSWORD_MAX} characters`,
  passwordNeedsCurrent: 'needs your current password',
  region: `must be lower-case letters, digits and hyphens, at most ${REGION_MAX} characters`,
  keyName: `must be 1 to ${KEY_NAME_MAX} characters of letters, digits, dot, underscore or hyphen`,
  metadata: 'must be a JSON object',
  metadataSize: `must be at most ${METADATA_MAX_BYTES / 1024} KB as JSON`,
  isoDate: 'must be a date and time in ISO 8601 form, e.g. 2026-11-26T10:00:00Z',
  status: `must be a whole number from ${STATUS_MIN} to ${STATUS_MAX}`,
  method: `must be one of ${HTTP_METHODS.join(', ')}`,
  page: `must be a whole number from 1 to ${ACTIVITY_PAGE_MAX}`,
  limit: `must be a whole number from 1 to ${ACTIVITY_LIMIT_MAX}`,
  errorsOnly: 'must be "true" or "false"',
} as const;

/** Which of the four character classes a password uses (lower, upper, digit, symbol). */
export function passwordClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
}

export function isStrongEnoughPassword(password: string): boolean {
  return password.length >= PASSWORD_MIN && password.length <= PASSWORD_MAX && passwordClasses(password) >= PASSWORD_CLASSES_REQUIRED;
}

/** Size of a metadata object as the server counts it: its JSON text in UTF-8 bytes. */
export function jsonByteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

export const objectIdSchema = z.string().regex(OBJECT_ID_PATTERN, { error: RULES.objectId });
/** Realm ids are case-insensitive; the API stores them in lower case. */
export const realmIdSchema = objectIdSchema.transform((id) => id.toLowerCase());
export const aliasSchema = z.string().min(ALIAS_MIN, { error: RULES.alias }).max(ALIAS_MAX, { error: RULES.alias });
export const publicKeySchema = z.string().regex(PUBLIC_KEY_PATTERN, { error: RULES.publicKey });
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, { error: RULES.password })
  .max(PASSWORD_MAX, { error: RULES.password })
  .refine((p) => passwordClasses(p) >= PASSWORD_CLASSES_REQUIRED, { error: RULES.password });
export const currentPasswordSchema = z
  .string()
  .min(CURRENT_PASSWORD_MIN, { error: RULES.currentPassword })
  .max(CURRENT_PASSWORD_MAX, { error: RULES.currentPassword });
export const regionSchema = z.string().max(REGION_MAX, { error: RULES.region }).regex(REGION_PATTERN, { error: RULES.region });
export const keyNameSchema = z
  .string()
  .min(1, { error: RULES.keyName })
  .max(KEY_NAME_MAX, { error: RULES.keyName })
  .regex(KEY_NAME_PATTERN, { error: RULES.keyName });
export const metadataSchema = z
  .record(z.string(), z.unknown(), { error: RULES.metadata })
  .refine((m) => jsonByteLength(m) <= METADATA_MAX_BYTES, { error: RULES.metadataSize });

const isoDatePattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
export const isoDateSchema = z
  .string()
  .regex(isoDatePattern, { error: RULES.isoDate })
  .refine((s) => !Number.isNaN(Date.parse(s)), { error: RULES.isoDate });
export const statusSchema = z.number().int({ error: RULES.status }).min(STATUS_MIN, { error: RULES.status }).max(STATUS_MAX, { error: RULES.status });
export const httpMethodSchema = z.enum(HTTP_METHODS, { error: RULES.method });

/** The body of a user update as the API accepts it (PATCH or PUT /users/{id}). */
export const userUpdateSchema = z
  .strictObject({
    alias: aliasSchema.optional(),
    public_key: publicKeySchema.optional(),
    metadata: z.record(z.string(), z.unknown(), { error: RULES.metadata }).optional(),
    password: passwordSchema.optional(),
    current_password: currentPasswordSchema.optional(),
    is_admin: z.boolean().optional(),
    is_banned: z.boolean().optional(),
  })
  .refine((body) => body.password === undefined || body.current_password !== undefined, {
    error: RULES.passwordNeedsCurrent,
    path: ['current_password'],
  });
export type UserUpdate = z.input<typeof userUpdateSchema>;

/** The activity log's query, as the API accepts it. */
export const activityQuerySchema = z.strictObject({
  page: z.number().int({ error: RULES.page }).min(1, { error: RULES.page }).max(ACTIVITY_PAGE_MAX, { error: RULES.page }).optional(),
  limit: z.number().int({ error: RULES.limit }).min(1, { error: RULES.limit }).max(ACTIVITY_LIMIT_MAX, { error: RULES.limit }).optional(),
  start_date: isoDateSchema.optional(),
  end_date: isoDateSchema.optional(),
  errors_only: z.enum(['true', 'false'], { error: RULES.errorsOnly }).optional(),
  min_status: statusSchema.optional(),
  max_status: statusSchema.optional(),
  method: httpMethodSchema.optional(),
  realm_id: realmIdSchema.optional(),
});
export type ActivityQuery = z.input<typeof activityQuerySchema>;
