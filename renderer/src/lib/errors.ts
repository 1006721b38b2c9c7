import type { AppError } from '../../../common/errors.js';

/** A field's rule as a sentence: `is not valid` → `Is not valid.` */
export function sentence(rule: string | undefined): string | undefined {
  if (!rule) return undefined;
  const text = `${rule.charAt(0).toUpperCase()}${rule.slice(1)}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The error for one field: the server's (or main's) rule for it, as a sentence. */
export function fieldError(error: AppError | undefined, ...names: string[]): string | undefined {
  for (const name of names) {
    const rule = error?.fields?.[name];
    if (rule) return sentence(rule);
  }
  return undefined;
}

/** The message for the form as a whole, unless every problem is already shown at a field. */
export function formError(error: AppError | undefined, shownFields: string[]): string | undefined {
  if (!error) return undefined;
  const fields = Object.keys(error.fields ?? {});
  if (fields.length > 0 && fields.every((f) => shownFields.includes(f))) return undefined;
  if (error.code === 'RATE_LIMITED' && error.retryAfter !== undefined) return `${error.message} Try again in ${formatWait(error.retryAfter)}.`;
  return error.message;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
