import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'hoody-vault';

/**
 * The per-user data folder, the same one Electron's `userData` resolves to for this app, so that
 * serve mode and the desktop app share settings, accounts and caches.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR_NAME);
}
