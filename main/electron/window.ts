import { BrowserWindow, nativeTheme } from 'electron';
import { saveWindowState, type WindowState } from './window-state.js';

export const MIN_WINDOW = { width: 720, height: 520 };

export interface MainWindowOptions {
  preload: string;
  url: string;
  isDev: boolean;
  state: WindowState;
  dataDir: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { state } = options;
  const window = new BrowserWindow({
    title: 'Hoody Vault',
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171c' : '#f7f7f9',
    // Written out here, in the literal that creates the window, so that a reader and the
    // Electronegativity scan in CI both see every flag where it takes effect (a helper hid them).
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // A middle click would otherwise ask for a new window (refused anyway by the window-open handler).
      disableBlinkFeatures: 'Auxclick',
      devTools: options.isDev,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  rememberBounds(window, options.dataDir);
  void window.loadURL(options.url);
  return window;
}

function rememberBounds(window: BrowserWindow, dataDir: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    void saveWindowState(dataDir, { ...bounds, maximized: window.isMaximized() }).catch(() => {});
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', () => {
    clearTimeout(timer);
    save();
  });
}
