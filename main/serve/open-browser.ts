import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const CANDIDATES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: ['chrome.exe', 'msedge.exe'],
};

/** The first Chromium-family browser found, by absolute path or on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const explicit = env.HOODY_CHROMIUM;
  const names = explicit ? [explicit] : (CANDIDATES[platform] ?? []);
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    const paths = name.includes('/') || name.includes('\\') ? [name] : dirs.map((dir) => join(dir, name));
    for (const path of paths) {
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

/**
 * Opens the URL as an app window (no tabs, no address bar) with its own browser profile inside the
 * user-data folder, so the user's everyday browser profile and its extensions never see the page.
 */
export function openAppWindow(browser: string, url: string, profileDir: string): void {
  const child = spawn(
    browser,
    [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-sync', '--disable-background-networking'],
    { detached: true, stdio: 'ignore' },
  );
  child.on('error', () => {});
  child.unref();
}
