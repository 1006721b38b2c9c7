import { describe, expect, it, vi } from 'vitest';
import { OPERATIONS, REGISTER_FILES_CHANNEL, operationChannel } from '../../../common/operations.js';
import type { ElectronMock } from '../../support/electron-mock.js';
import { useTempDir } from '../../support/temp-dir.js';

const holder = vi.hoisted(() => ({ electron: undefined as unknown as ElectronMock }));
vi.mock('electron', async () => {
  const { createElectronMock } = await import('../../support/electron-mock.js');
  holder.electron = createElectronMock();
  return holder.electron;
});

const tempDir = useTempDir();

describe('the Electron entry point', () => {
  it('sandboxes everything, takes the single-instance lock, registers every operation and opens one hardened window', async () => {
    const dataDir = await tempDir();
    await import('../../../main/electron/index.js');
    const { app, protocol, ipcMain, session, BrowserWindow, Menu } = holder.electron;
    app.getPath.mockReturnValue(dataDir);
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(app.listenerCount('web-contents-created')).toBe(1);

    holder.electron.resolveReady();
    await vi.waitFor(() => expect(BrowserWindow.instances).toHaveLength(1));
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    // One channel per operation, plus the preload's file registration channel.
    expect(ipcMain.handle.mock.calls.map(([channel]) => channel).sort()).toEqual([...OPERATIONS.map(operationChannel), REGISTER_FILES_CHANNEL].sort());
    expect(Menu.setApplicationMenu).toHaveBeenCalled();
    // Lock, don't log out: sleep and screen lock lock the vault.
    expect(holder.electron.powerMonitor.listenerCount('suspend')).toBe(1);
    expect(holder.electron.powerMonitor.listenerCount('lock-screen')).toBe(1);

    const window = BrowserWindow.instances[0]!;
    expect(window.loadURL).toHaveBeenCalledWith('app://hoody/');
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });

    // A call from the window's main frame reaches the core; events flow back to the window.
    const handler = holder.electron.handlers.get(operationChannel('settings.update'))!;
    const trusted = { sender: { id: window.webContents.id }, senderFrame: { url: 'app://hoody/', parent: null } };
    await expect(handler(trusted, { theme: 'dark' })).resolves.toMatchObject({ ok: true, data: { theme: 'dark' } });
    expect(window.webContents.send).toHaveBeenCalledWith('hoody:event', 'settings.changed', expect.objectContaining({ theme: 'dark' }));
    const untrusted = { sender: { id: window.webContents.id + 100 }, senderFrame: { url: 'app://hoody/', parent: null } };
    await expect(handler(untrusted, { theme: 'light' })).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
