import type { z } from 'zod';
import type { AppError } from './errors.js';

/** Turns zod's issues into `fields`: one rule per field path, the first issue winning. */
export function fieldsFromIssues(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[joinPath([...issue.path, key])] ??= 'is not a known field';
      continue;
    }
    fields[joinPath(issue.path)] ??= issue.message;
  }
  return fields;
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

export function invalidInput(issues: readonly z.core.$ZodIssue[]): AppError {
  const fields = fieldsFromIssues(issues);
  const names = Object.keys(fields);
  const message =
    names.length === 1 && names[0] !== '(input)'
      ? `${names[0]} ${fields[names[0]!]}.`
      : names.length > 1
        ? `${names.length} fields are not valid: ${names.join(', ')}.`
        : `The input ${fields['(input)'] ?? 'is not valid'}.`;
  return { code: 'INVALID_INPUT', message, fields };
}
