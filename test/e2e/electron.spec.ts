import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { repoRoot } from '../support/serve-process.js';

// Drives the real Electron app where its binary exists. On these machines it cannot be downloaded,
// so this smoke test skips (and says why) instead of passing vacuously.
const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
const binary = existsSync(pathFile) ? join(repoRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

test('the Electron window opens the app with the bridge', async () => {
  test.skip(!binary || !existsSync(binary), 'the Electron binary is not installed (node_modules/electron/dist is absent: its download host is unreachable here)');
  test.skip(!hasDisplay, 'no display to open an Electron window on');
  const app = await electron.launch({ executablePath: binary, args: [repoRoot] });
  const window = await app.firstWindow();
  await expect(window.getByRole('navigation', { name: 'Main' })).toBeVisible();
  expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  expect(await window.evaluate(() => (globalThis as unknown as { location: { href: string } }).location.href)).toBe('app://hoody/');
  await app.close();
});
