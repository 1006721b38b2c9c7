import { z } from 'zod';
import {
  activityQuerySchema,
  keyNameSchema,
  metadataSchema,
  objectIdSchema,
  realmIdSchema,
  regionSchema,
  userUpdateSchema,
} from '../common/rules.js';
import { ApiError, type FieldError } from './envelope.js';

// The route schemas are generated from common/rules.ts, the same rules the app checks with, so the
// sandbox refuses exactly what the app would refuse. What JSON Schema cannot say (zod refinements)
// is checked again in the handlers with `refuseRefinements`, against the very same zod schema.

export type JsonSchema = Record<string, unknown>;

export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any', io: 'input' }) as JsonSchema;
  return rest;
}

/** The vault write body; metadata keeps the shared size rule, and null clears it. */
export const vaultWriteSchema = z.object({ value: z.string(), metadata: metadataSchema.nullable().optional() });
export const retrySetupSchema = z.strictObject({ region: regionSchema.optional() });

// Sign-in bodies are not in common/rules.ts (the seed does not document them); kept tolerant.
export const loginSchema = z.object({ username: z.string().min(1).optional(), email: z.string().min(1).optional(), password: z.string().min(1) });
// A malformed code is a wrong code (401), not a validation error, so only the type is checked here.
export const verify2faSchema = z.object({ temp_token: z.string().min(1), code: z.string() });

/** Body of PUT /__sandbox/shuffle-keys: the --shuffle-keys switch, turned on or off while running. */
export const shuffleKeysSchema = z.strictObject({ on: z.boolean() });

export const faultSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).optional(),
  path: z.string().regex(/^\//, { error: 'must start with /' }),
  status: z.number().int().min(100).max(599).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  drop: z.boolean().optional(),
  retryAfter: z.number().int().min(0).optional(),
  times: z.number().int().min(1).optional(),
});
export type FaultSpec = z.infer<typeof faultSchema>;

export const schemas = {
  userParams: toJsonSchema(z.object({ id: objectIdSchema })),
  userUpdate: toJsonSchema(userUpdateSchema),
  retrySetup: toJsonSchema(retrySetupSchema),
  activityQuery: toJsonSchema(activityQuerySchema),
  realmQuery: toJsonSchema(z.object({ realm_id: realmIdSchema.optional() })),
  // `GET /realms/?include_usage=true`, as Hoody's CLI sends it (`hoody realms list --include-usage`).
  realmsQuery: toJsonSchema(z.object({ include_usage: z.boolean().optional() })),
  vaultKeyParams: toJsonSchema(z.object({ key: keyNameSchema })),
  vaultWrite: toJsonSchema(vaultWriteSchema),
  login: toJsonSchema(loginSchema),
  verify2fa: toJsonSchema(verify2faSchema),
  fault: toJsonSchema(faultSchema),
  shuffleKeys: toJsonSchema(shuffleKeysSchema),
} as const;

/**
 * Runs the zod schema the JSON schema was generated from and refuses what only zod can see
 * (password classes, the metadata size, "password needs current_password", real calendar dates),
 * in ajv's shape.
 */
export function refuseRefinements(schema: z.ZodType, input: unknown, part: 'body' | 'querystring' = 'body'): void {
  const result = schema.safeParse(input);
  if (result.success) return;
  const data: FieldError[] = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    return {
      instancePath: path.length ? `/${path.join('/')}` : '',
      keyword: issue.code === 'custom' ? (path.at(-1) ?? 'custom') : issue.code,
      message: issue.message,
      params: {},
    };
  });
  throw new ApiError(400, data.map((e) => `${part}${e.instancePath} ${e.message}`).join(', '), { data });
}
