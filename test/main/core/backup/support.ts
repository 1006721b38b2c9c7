import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { BackupProgress } from '../../../../common/backup.js';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import type { Sandbox } from '../../../../sandbox/server.js';

// A signed-in core with an open vault, for the backup tests: its own data folder, a save dialog that
// answers a path in that folder (as the desktop app's native dialog would), and the progress events.

export function backupCores(sandbox: () => Sandbox, tempDir: () => Promise<string>) {
  const cores: Core[] = [];
  afterEach(async () => {
    sandbox().faults.clear();
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });
  return async function unlockedCore(options: { dialog?: boolean } = {}) {
    const user = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const dir = await tempDir();
    const saved: string[] = [];
    const core = await createCore({
      dataDir: dir,
      mode: options.dialog === false ? 'serve' : 'electron',
      version: 't',
      keychain: { unavailable: 'x' },
      argon2: MIN_ARGON2,
      engine: { sleep: async () => {} },
      ...(options.dialog === false
        ? {}
        : {
            saveDialog: async (name: string) => {
              const path = join(dir, `saved-${name}`);
              saved.push(path);
              return path;
            },
          }),
    });
    cores.push(core);
    const progress: BackupProgress[] = [];
    core.events.subscribe((event, payload) => event === 'backup.progress' && progress.push(payload as BackupProgress));
    const signIn = await core.call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true });
    if (!signIn.ok) throw new Error(signIn.error.message);
    const setup = await core.call('vault.setup', { passphrase: 'backup test passphrase' });
    if (!setup.ok) throw new Error(setup.error.message);
    return { core, call: core.call, saved, progress, dir, token };
  };
}
