import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from '../../../main/electron/menu.js';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from '../../../main/electron/window-state.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir();
const roles = (template: unknown): string[] => JSON.stringify(template).match(/"role":"(\w+)"/g)?.map((r) => r.slice(8, -1)) ?? [];

describe('application menu', () => {
  it('has the usual roles, and the app menu on macOS', () => {
    const mac = roles(buildMenuTemplate({ isMac: true, isDev: false, openHelp: vi.fn(), lockVault: vi.fn() }));
    expect(mac).toEqual(expect.arrayContaining(['appMenu', 'editMenu', 'windowMenu', 'close', 'togglefullscreen', 'help']));
    const linux = roles(buildMenuTemplate({ isMac: false, isDev: false, openHelp: vi.fn(), lockVault: vi.fn() }));
    expect(linux).toContain('quit');
    expect(linux).not.toContain('appMenu');
  });

  it('locks the vault from the File menu with Ctrl/Cmd+L', () => {
    const lockVault = vi.fn();
    const file = buildMenuTemplate({ isMac: false, isDev: false, openHelp: vi.fn(), lockVault }).find((m) => m.label === '&File')!;
    const item = (file.submenu as Array<{ label?: string; accelerator?: string; click?: () => void }>).find((i) => i.label === 'Lock Vault')!;
    expect(item.accelerator).toBe('CmdOrCtrl+L');
    item.click!();
    expect(lockVault).toHaveBeenCalledTimes(1);
  });

  it('offers reload and devtools only in development', () => {
    expect(roles(buildMenuTemplate({ isMac: false, isDev: false, openHelp: vi.fn(), lockVault: vi.fn() }))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate({ isMac: false, isDev: true, openHelp: vi.fn(), lockVault: vi.fn() }))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});

describe('window state', () => {
  const display = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('remembers size, position and maximised state across restarts', async () => {
    const dir = await tempDir();
    await saveWindowState(dir, { x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(await loadWindowState(dir, display)).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(JSON.parse(await readFile(join(dir, 'window-state.json'), 'utf8'))).toMatchObject({ width: 1200 });
  });

  it('drops a position that is no longer on any display, and keeps sizes sane', async () => {
    const dir = await tempDir();
    await saveWindowState(dir, { x: 5000, y: 3000, width: 100, height: 50, maximized: false });
    const state = await loadWindowState(dir, display);
    expect(state.x).toBeUndefined();
    expect(state.width).toBeGreaterThanOrEqual(720);
    expect(state.height).toBeGreaterThanOrEqual(520);
  });

  it('falls back to defaults for a missing or broken file', async () => {
    expect(await loadWindowState(await tempDir(), display)).toEqual(DEFAULT_WINDOW_STATE);
  });
});
