import type { AreaHandlers } from '../dispatch.js';
import type { BackupService } from './backup-service.js';

// Backup and move's handlers, spread into the core's dispatcher.
export function backupHandlers(service: BackupService): AreaHandlers<'backup'> {
  return {
    'backup.export': (input) => service.export(input),
    'backup.preview': (input) => service.preview(input),
    'backup.import': (input) => service.import(input),
    'backup.cancel': ({ jobId }) => service.cancel(jobId),
  };
}
