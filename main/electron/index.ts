import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, powerMonitor, screen, session } from 'electron';
import { fileURLToPath } from 'node:url';
import { EVENT_CHANNEL } from '../../common/operations.js';
import { createCore, type Core, defaultDataDir, setKdfWorkerUrl } from '../core/index.js';
import { makeSenderCheck, registerFileChannel, registerIpcHandlers } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { APP_URL, denyAllPermissions, isAppUrl, lockDownWebContents, openExternalSafely } from './security.js';
import { createMainWindow } from './window.js';
import { loadWindowState } from './window-state.js';

// The thin Electron edge: lifecycle, the window and the IPC adapter around the Electron-free core.

const isDev = !app.isPackaged && process.env.NODE_ENV !== 'production';
const devServerUrl = isDev ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const trustedUrl = (url: string) => isAppUrl(url, devServerUrl);
const log = (message: string) => process.stderr.write(`[main] ${message}\n`);

// Same folder as serve mode, whatever the product name, so both share settings and accounts.
app.setPath('userData', defaultDataDir());
setKdfWorkerUrl(new URL('./kdf-worker.js', import.meta.url));
app.enableSandbox();
registerAppScheme();

let mainWindow: BrowserWindow | undefined;
let core: Core | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openMainWindow();
  });
  app.whenReady().then(start, (error: unknown) => {
    log(`failed to start: ${String(error)}`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  denyAllPermissions(session.defaultSession, trustedUrl);
  handleAppProtocol(rendererDir);
  core = await createCore({
    dataDir: app.getPath('userData'),
    mode: 'electron',
    version: app.getVersion(),
    versions: { node: process.versions.node, electron: process.versions.electron, chrome: process.versions.chrome },
    ...(app.isPackaged ? {} : { appRoot: app.getAppPath() }),
    // Main copies secrets itself and clears the clipboard after 30 s if it still holds them.
    clipboard: { writeText: (text) => clipboard.writeText(text), readText: () => clipboard.readText(), clear: () => clipboard.clear() },
    saveDialog: async (name) => {
      const options = { defaultPath: name };
      const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return result.canceled ? undefined : result.filePath;
    },
    log: (level, message) => log(`${level}: ${message}`),
  });
  const vault = core.vault;
  // Lock, don't log out: the keys go, the account stays signed in.
  powerMonitor.on('suspend', () => void vault.lock('suspend'));
  powerMonitor.on('lock-screen', () => void vault.lock('screen-lock'));
  const senderCheck = makeSenderCheck(() => mainWindow?.webContents.id, trustedUrl);
  registerIpcHandlers(ipcMain, core.dispatch, senderCheck, log);
  registerFileChannel(ipcMain, core.fileRegistry, senderCheck, log);
  core.events.subscribe((event, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, event, payload);
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        isMac: process.platform === 'darwin',
        isDev,
        openHelp: () => openExternalSafely('https://hoody.com/docs'),
        lockVault: () => void vault.lock('manual'),
      }),
    ),
  );
  await openMainWindow();
}

async function openMainWindow(): Promise<void> {
  const dataDir = app.getPath('userData');
  const state = await loadWindowState(dataDir, screen.getAllDisplays().map((display) => display.workArea));
  mainWindow = createMainWindow({ preload: preloadPath, url: devServerUrl ?? APP_URL, isDev, state, dataDir });
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
}

app.on('will-quit', () => {
  void core?.close();
});
