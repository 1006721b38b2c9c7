import { X } from 'lucide-react';

export interface JobProgressCardProps {
  label: string;
  /** Units done and to do; a total of 0 means "not known yet" (the bar is indeterminate). */
  done: number;
  total: number;
  cancelling: boolean;
  /** The count in words, e.g. "3 of 10 pages read"; shown only once the total is known. */
  describe(): string;
  onCancel(): void;
}

/**
 * One look for every long job (activity exports, backups, imports): a bar, the count in words, and
 * Cancel. Each area only says how to put its count into words.
 */
export function JobProgressCard({ label, done, total, cancelling, describe, onCancel }: JobProgressCardProps) {
  const known = total > 0;
  const text = cancelling ? 'Cancelling…' : known ? describe() : 'Starting…';
  return (
    <div className="job-progress card" role="group" aria-label={label}>
      <div className="job-progress-head">
        <strong>{label}</strong>
        <span className="muted small" aria-live="polite">
          {text}
        </span>
        <button type="button" className="button secondary small" onClick={onCancel} disabled={cancelling}>
          <X size={14} aria-hidden="true" /> Cancel
        </button>
      </div>
      <div
        className={`progress-track${known ? '' : ' indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: known ? `${Math.min(100, Math.round((done / total) * 100))}%` : undefined }} />
      </div>
    </div>
  );
}
