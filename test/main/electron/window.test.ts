import { describe, expect, it, vi } from 'vitest';
import type { FakeBrowserWindow } from '../../support/electron-mock.js';

const electron = vi.hoisted(() => ({ current: undefined as unknown }));
vi.mock('electron', async () => {
  const { createElectronMock } = await import('../../support/electron-mock.js');
  electron.current = createElectronMock();
  return electron.current;
});

const { createMainWindow, hardenedWebPreferences } = await import('../../../main/electron/window.js');

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
      devTools: false,
    });
    expect(window.options.show).toBe(false);
    expect(window.loadURL).toHaveBeenCalledWith('app://hoody/');
  });

  it('allows devtools only in development', () => {
    expect(hardenedWebPreferences('/p', true).devTools).toBe(true);
    expect(hardenedWebPreferences('/p', false).devTools).toBe(false);
  });

  it('restores the remembered size, position and maximised state', () => {
    const window = createMainWindow({ preload: '/p', url: 'app://hoody/', isDev: false, state: { x: 40, y: 50, width: 1000, height: 700, maximized: true }, dataDir: '/tmp/x' }) as unknown as FakeBrowserWindow;
    expect(window.options).toMatchObject({ x: 40, y: 50, width: 1000, height: 700 });
    expect(window.maximize).toHaveBeenCalled();
  });
});
