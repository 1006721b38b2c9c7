import type { z } from 'zod';
import type { AppError } from './errors.js';

/** Turns zod's issues into `fields`: one rule per field path, the first issue winning. */
export function fieldsFromIssues(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  // A Map, not `{}`: a field named `__proto__` or `constructor` would otherwise read the object's
  // prototype and never be recorded, leaving "The input is not valid." with no field named.
  const fields = new Map<string, string>();
  const add = (path: readonly PropertyKey[], rule: string) => {
    const name = joinPath(path);
    if (!fields.has(name)) fields.set(name, rule);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], 'is not a known field');
      continue;
    }
    add(issue.path, issue.message);
  }
  // fromEntries defines own properties, so even `__proto__` lands as a plain field name.
  return Object.fromEntries(fields);
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

export function invalidInput(issues: readonly z.core.$ZodIssue[]): AppError {
  const fields = fieldsFromIssues(issues);
  const names = Object.keys(fields);
  const own = (name: string) => (Object.hasOwn(fields, name) ? fields[name] : undefined);
  const message =
    names.length === 1 && names[0] !== '(input)'
      ? `${names[0]} ${own(names[0]!)}.`
      : names.length > 1
        ? `${names.length} fields are not valid: ${names.join(', ')}.`
        : `The input ${own('(input)') ?? 'is not valid'}.`;
  return { code: 'INVALID_INPUT', message, fields };
}
