import type { z } from 'zod';
import { invalidInput } from '../../common/validation.js';
import { CoreError } from './core-error.js';

/**
 * Parses with a schema or throws INVALID_INPUT naming each bad field and its rule. With `field`,
 * a bare value (a key name, an id) is reported under that field's name.
 */
export function validateInput<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const error = invalidInput(parsed.error.issues);
  if (!field) throw new CoreError('INVALID_INPUT', error.message, { fields: error.fields ?? {} });
  const rule = Object.values(error.fields ?? {})[0] ?? 'is not valid';
  throw new CoreError('INVALID_INPUT', `${field} ${rule}.`, { fields: { [field]: rule } });
}
