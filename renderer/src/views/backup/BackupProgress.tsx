import { X } from 'lucide-react';
import type { BackupJob } from '../../stores/backup.js';

const PHASES: Record<BackupJob['phase'], string> = { reading: 'read', sealing: 'sealed', writing: 'stored' };

/** A backup job's progress: a bar, the count in words, and Cancel. */
export function BackupProgress({ job, onCancel }: { job: BackupJob; onCancel(): void }) {
  const known = job.total > 0;
  const text = job.cancelling ? 'Cancelling…' : known ? `${job.done.toLocaleString()} of ${job.total.toLocaleString()} ${PHASES[job.phase]}` : 'Starting…';
  return (
    <div className="job-progress card" role="group" aria-label={job.label}>
      <div className="job-progress-head">
        <strong>{job.label}</strong>
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
        aria-label={job.label}
        aria-valuemin={0}
        aria-valuemax={known ? job.total : undefined}
        aria-valuenow={known ? job.done : undefined}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: known ? `${Math.min(100, Math.round((job.done / job.total) * 100))}%` : undefined }} />
      </div>
    </div>
  );
}
