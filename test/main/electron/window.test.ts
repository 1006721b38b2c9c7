import { describe, expect, it, vi } from 'vitest';
import type { FakeBrowserWindow } from '../../support/electron-mock.js';

const electron = vi.hoisted(() => ({ current: undefined as unknown }));
vi.mock('electron', async () => {
  const { createElectronMock } = await import('../../support/electron-mock.js');
  electron.current = createElectronMock();
  return electron.current;
});

const { createMainWindow } = await import('../../../main/electron/window.js');

describe('the main window', () => {
  it('is created with every hardening flag', () => {
    const window = createMainWindow({ preload: '/app/preload/index.cjs', url: 'app://hoody/', isDev: false, state: { width: 900, height: 600, maximized: false }, dataDir: '/tmp/x' }) as unknown as FakeBrowserWindow;
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(window.options.show).toBe(false);
    expect(window.loadURL).toHaveBeenCalledWith('app://hoody/');
  });

  it('allows devtools only in development', () => {
    const prefs = (isDev: boolean) =>
      ((createMainWindow({ preload: '/p', url: 'app://hoody/', isDev, state: { width: 900, height: 600, maximized: false }, dataDir: '/tmp/x' }) as unknown as FakeBrowserWindow).options.webPreferences as Record<string, unknown>);
    expect(prefs(true).devTools).toBe(true);
    expect(prefs(false).devTools).toBe(false);
  });

  it('restores the remembered size, position and maximised state', () => {
    const window = createMainWindow({ preload: '/p', url: 'app://hoody/', isDev: false, state: { x: 40, y: 50, width: 1000, height: 700, maximized: true }, dataDir: '/tmp/x' }) as unknown as FakeBrowserWindow;
    expect(window.options).toMatchObject({ x: 40, y: 50, width: 1000, height: 700 });
    expect(window.maximize).toHaveBeenCalled();
  });
});
