import { JobProgressCard } from '../../components/JobProgressCard.js';
import type { Job } from '../../stores/activity.js';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** An activity job's progress: pages read of pages to read, records so far, and Cancel. */
export function JobProgress({ label, job, onCancel }: { label: string; job: Job; onCancel(): void }) {
  return (
    <JobProgressCard
      label={label}
      done={job.done}
      total={job.total}
      cancelling={job.cancelling}
      describe={() => `${job.done.toLocaleString()} of ${plural(job.total, 'page')} read, ${plural(job.records, 'record')}`}
      onCancel={onCancel}
    />
  );
}
