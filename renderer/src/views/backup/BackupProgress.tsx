import { JobProgressCard } from '../../components/JobProgressCard.js';
import type { BackupJob } from '../../stores/backup.js';

const PHASES: Record<BackupJob['phase'], string> = { reading: 'read', sealing: 'sealed', writing: 'stored' };

/** A backup job's progress: entries read, sealed or stored of all, and Cancel. */
export function BackupProgress({ job, onCancel }: { job: BackupJob; onCancel(): void }) {
  return (
    <JobProgressCard
      label={job.label}
      done={job.done}
      total={job.total}
      cancelling={job.cancelling}
      describe={() => `${job.done.toLocaleString()} of ${job.total.toLocaleString()} ${PHASES[job.phase]}`}
      onCancel={onCancel}
    />
  );
}
