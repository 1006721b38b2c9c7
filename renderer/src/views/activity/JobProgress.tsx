import { X } from 'lucide-react';
import type { Job } from '../../stores/activity.js';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** A long job's progress: a bar (pages read of pages to read), the count in words, and Cancel. */
export function JobProgress({ label, job, onCancel }: { label: string; job: Job; onCancel(): void }) {
  const known = job.total > 0;
  const text = job.cancelling
    ? 'Cancelling…'
    : known
      ? `${job.done.toLocaleString()} of ${plural(job.total, 'page')} read, ${plural(job.records, 'record')}`
      : 'Starting…';
  const percent = known ? Math.min(100, Math.round((job.done / job.total) * 100)) : 0;
  return (
    <div className="job-progress card" role="group" aria-label={label}>
      <div className="job-progress-head">
        <strong>{label}</strong>
        <span className="muted small" aria-live="polite">
          {text}
        </span>
        <button type="button" className="button secondary small" onClick={onCancel} disabled={job.cancelling}>
          <X size={14} aria-hidden="true" /> Cancel
        </button>
      </div>
      <div
        className={`progress-track${known ? '' : ' indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? job.total : undefined}
        aria-valuenow={known ? job.done : undefined}
        aria-valuetext={known ? text : 'Starting'}
      >
        <div className="progress-fill" style={{ width: known ? `${percent}%` : undefined }} />
      </div>
    </div>
  );
}
