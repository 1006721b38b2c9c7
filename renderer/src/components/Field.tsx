import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** The control itself (it receives the id and the ARIA wiring). */
  children: ReactElement<Record<string, unknown>>;
  /** Something beside the control, e.g. a Show button. */
  trailing?: ReactNode;
}

/** A labelled control with its hint and its error, wired for assistive technology. */
export function Field({ label, hint, error, children, trailing }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const control = cloneElement(children, {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
  });
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {trailing ? (
        <span className="input-with-button">
          {control}
          {trailing}
        </span>
      ) : (
        control
      )}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
