import { activityFiltersSchema, endOfDate, type ActivityFilters } from '../../../../common/activity.js';
import { RULES } from '../../../../common/rules.js';
import { fieldsFromIssues } from '../../../../common/validation.js';
import { sentence } from '../../lib/errors.js';

// The filter form as typed (strings from the inputs) and the filters it stands for, checked with the
// API's own rules from common/ (plus the two cross-field checks). Dates are typed in local time and
// sent in UTC; an end time covers its whole minute.

export interface FilterForm {
  from: string;
  to: string;
  /** Set when the browser holds a date it cannot read yet (a half-typed date). */
  fromBad: boolean;
  toBad: boolean;
  errorsOnly: boolean;
  minStatus: string;
  maxStatus: string;
  method: string;
  realmId: string;
}

export type FormField = 'from' | 'to' | 'minStatus' | 'maxStatus' | 'method' | 'realmId' | 'errorsOnly';

export const FIELD_LABELS: Record<FormField, string> = {
  from: 'Start date',
  to: 'End date',
  minStatus: 'Minimum status',
  maxStatus: 'Maximum status',
  method: 'Method',
  realmId: 'Realm ID',
  errorsOnly: 'Errors only',
};

const API_FIELD: Record<string, FormField> = {
  start_date: 'from',
  end_date: 'to',
  min_status: 'minStatus',
  max_status: 'maxStatus',
  method: 'method',
  realm_id: 'realmId',
  errors_only: 'errorsOnly',
};

export const EMPTY_FORM: FilterForm = { from: '', to: '', fromBad: false, toBad: false, errorsOnly: false, minStatus: '', maxStatus: '', method: '', realmId: '' };

const pad = (n: number) => String(n).padStart(2, '0');

/** A time as a datetime-local input shows it: local, to the minute. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The form for a set of saved filters. */
export function formFromFilters(filters: ActivityFilters): FilterForm {
  return {
    ...EMPTY_FORM,
    from: filters.start_date ? toLocalInput(Date.parse(filters.start_date)) : '',
    to: filters.end_date ? toLocalInput(endOfDate(filters.end_date)) : '',
    errorsOnly: filters.errors_only === 'true',
    minStatus: filters.min_status === undefined ? '' : String(filters.min_status),
    maxStatus: filters.max_status === undefined ? '' : String(filters.max_status),
    method: filters.method ?? '',
    realmId: filters.realm_id ?? '',
  };
}

const MINUTE_MS = 60_000;

export interface FormCheck {
  /** The filters to send, when every field is valid. */
  filters?: ActivityFilters;
  /** Each bad field's problem as a sentence naming the field and the rule. */
  errors: Partial<Record<FormField, string>>;
}

/**
 * Checks the form as typed, with the same rules the API (and main) apply. A date left as it was
 * shown for `base` (the applied filters) keeps its exact value rather than the minute it shows.
 */
export function checkForm(form: FilterForm, base: ActivityFilters = {}): FormCheck {
  const errors: Partial<Record<FormField, string>> = {};
  const candidate: Record<string, unknown> = {};
  const problem = (field: FormField, rule: string) => (errors[field] ??= sentence(`${FIELD_LABELS[field]} ${rule}`));

  if (form.fromBad) problem('from', RULES.isoDate);
  else if (form.from) candidate.start_date = base.start_date && toLocalInput(Date.parse(base.start_date)) === form.from ? base.start_date : localToIso(form.from, 0);
  if (form.toBad) problem('to', RULES.isoDate);
  else if (form.to) candidate.end_date = base.end_date && toLocalInput(endOfDate(base.end_date)) === form.to ? base.end_date : localToIso(form.to, MINUTE_MS - 1);
  if (form.errorsOnly) candidate.errors_only = 'true';
  for (const [field, name] of [
    ['minStatus', 'min_status'],
    ['maxStatus', 'max_status'],
  ] as const) {
    const text = form[field].trim();
    if (!text) continue;
    // Anything but a plain number breaks the same rule; the schema then checks range and wholeness.
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) problem(field, RULES.status);
    else candidate[name] = Number(text);
  }
  if (form.method) candidate.method = form.method;
  if (form.realmId.trim()) candidate.realm_id = form.realmId.trim();

  const parsed = activityFiltersSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const [path, rule] of Object.entries(fieldsFromIssues(parsed.error.issues))) {
      const field = API_FIELD[path];
      if (field) problem(field, rule);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { filters: parsed.data as ActivityFilters, errors };
}

/** `2026-11-26T10:00` in local time, plus `extraMs`, as ISO 8601 in UTC; the raw text when it is not a date. */
function localToIso(value: string, extraMs: number): string {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? value : new Date(ms + extraMs).toISOString();
}

/** Two sets of filters are the same query. */
export function sameFilters(a: ActivityFilters, b: ActivityFilters): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof ActivityFilters>);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

export const hasFilters = (filters: ActivityFilters): boolean => Object.values(filters).some((v) => v !== undefined);
