import { useEffect } from 'react';
import '../../styles/backup.css';
import { followBackupProgress, useBackup } from '../../stores/backup.js';
import { useSettings } from '../../stores/settings.js';
import { useVault } from '../../stores/vault.js';
import { BackupProgress } from './BackupProgress.js';
import { ExportPanel } from './ExportPanel.js';
import { ImportPanel } from './ImportPanel.js';

/** Backup and move, in Settings: export the whole vault, import into it. Needs the vault open. */
export function BackupSection() {
  const job = useBackup((s) => s.job);
  const cancel = useBackup((s) => s.cancel);
  const state = useVault((s) => s.status?.state);
  const loadRealms = useVault((s) => s.loadRealms);
  const desktop = useSettings((s) => s.info?.mode === 'electron');
  const unlocked = state === 'unlocked';

  useEffect(() => followBackupProgress(), []);
  useEffect(() => {
    if (unlocked) void loadRealms();
  }, [unlocked, loadRealms]);

  return (
    <section className="backup-section" aria-labelledby="backup-title">
      <h2 id="backup-title">Backup and import</h2>
      {!unlocked ? (
        <p className="card muted">Unlock the vault to export it or to import into it.</p>
      ) : (
        <>
          {job && <BackupProgress job={job} onCancel={() => void cancel()} />}
          <ExportPanel busy={job !== undefined} />
          <ImportPanel busy={job !== undefined} desktop={desktop} />
        </>
      )}
    </section>
  );
}
