import { Filter, RotateCcw } from 'lucide-react';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { HTTP_METHODS, STATUS_MAX, STATUS_MIN } from '../../../../common/rules.js';
import { Field } from '../../components/Field.js';
import { useActivity } from '../../stores/activity.js';
import { checkForm, EMPTY_FORM, formFromFilters, hasFilters, sameFilters, toLocalInput, type FilterForm } from './filter-form.js';

const QUICK_RANGES: Array<[label: string, hours: number]> = [
  ['Last hour', 1],
  ['24 hours', 24],
  ['7 days', 24 * 7],
  ['30 days', 24 * 30],
];

/** The filters the API offers, each checked as typed with the API's rules; Apply sends them. */
export function FiltersForm() {
  const applied = useActivity((s) => s.filters);
  const apply = useActivity((s) => s.apply);
  // The form starts from the applied (saved) filters; the view mounts it once they are loaded.
  const [form, setForm] = useState<FilterForm>(() => formFromFilters(applied));
  const [appliedSeen, setAppliedSeen] = useState(applied);
  if (appliedSeen !== applied) {
    // The applied filters changed elsewhere (Clear filters in the empty state): show them.
    setAppliedSeen(applied);
    setForm(formFromFilters(applied));
  }
  const check = checkForm(form, applied);
  const changed = check.filters !== undefined && !sameFilters(check.filters, applied);
  const active = hasFilters(applied);
  const formEmpty = (Object.keys(EMPTY_FORM) as Array<keyof FilterForm>).every((key) => form[key] === EMPTY_FORM[key]);

  const text = (field: 'minStatus' | 'maxStatus' | 'realmId') => (event: ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [field]: event.target.value }));
  const date = (field: 'from' | 'to') => (event: ChangeEvent<HTMLInputElement>) => {
    const { value, validity } = event.target;
    setForm((f) => ({ ...f, [field]: value, [field === 'from' ? 'fromBad' : 'toBad']: validity.badInput }));
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    if (check.filters) void apply(check.filters);
  }

  function reset() {
    setForm(EMPTY_FORM);
    void apply({});
  }

  function quick(hours: number) {
    // Whole minutes, as the inputs show them.
    const now = new Date();
    setForm((f) => ({ ...f, from: toLocalInput(now.getTime() - hours * 3_600_000), to: '', fromBad: false, toBad: false }));
  }

  return (
    <form className="card activity-filters" onSubmit={submit} noValidate aria-label="Filters">
      <div className="filters-head">
        <h2>
          <Filter size={16} aria-hidden="true" /> Filters
        </h2>
        <div className="quick-ranges" role="group" aria-label="Quick date ranges">
          {QUICK_RANGES.map(([label, hours]) => (
            <button key={label} type="button" className="button link" onClick={() => quick(hours)}>
              {label}
            </button>
          ))}
        </div>
      </div>
      <div className="filters-grid">
        <Field label="Start date" error={check.errors.from} hint="Your local time">
          <input type="datetime-local" value={form.from} onChange={date('from')} max={form.to || undefined} />
        </Field>
        <Field label="End date" error={check.errors.to} hint="Includes that whole minute">
          <input type="datetime-local" value={form.to} onChange={date('to')} min={form.from || undefined} />
        </Field>
        <Field label="Method" error={check.errors.method}>
          <select value={form.method} onChange={(e) => setForm((f) => ({ ...f, method: e.target.value }))}>
            <option value="">Any method</option>
            {HTTP_METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Realm ID" error={check.errors.realmId} hint="24 hexadecimal characters">
          <input className="mono" spellCheck={false} autoComplete="off" placeholder="Any realm" value={form.realmId} onChange={text('realmId')} />
        </Field>
        <Field label="Minimum status" error={check.errors.minStatus} hint={`${STATUS_MIN}–${STATUS_MAX}`}>
          <input inputMode="numeric" autoComplete="off" placeholder="e.g. 400" value={form.minStatus} onChange={text('minStatus')} />
        </Field>
        <Field label="Maximum status" error={check.errors.maxStatus} hint={`${STATUS_MIN}–${STATUS_MAX}`}>
          <input inputMode="numeric" autoComplete="off" placeholder="e.g. 499" value={form.maxStatus} onChange={text('maxStatus')} />
        </Field>
        <div className="filters-end">
          <label className="checkbox errors-only">
            <input type="checkbox" checked={form.errorsOnly} onChange={(e) => setForm((f) => ({ ...f, errorsOnly: e.target.checked }))} />
            <span>Errors only (status ≥ 400)</span>
          </label>
          <span className="filters-buttons">
            <button type="button" className="button secondary" onClick={reset} disabled={!active && formEmpty}>
              <RotateCcw size={15} aria-hidden="true" /> Reset
            </button>
            <button type="submit" className="button primary" disabled={!changed}>
              Apply filters
            </button>
          </span>
        </div>
      </div>
    </form>
  );
}
