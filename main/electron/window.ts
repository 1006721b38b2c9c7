import { BrowserWindow, nativeTheme, type WebPreferences } from 'electron';
import { saveWindowState, type WindowState } from './window-state.js';

export const MIN_WINDOW = { width: 720, height: 520 };

export function hardenedWebPreferences(preload: string, isDev: boolean): WebPreferences {
  return {
    preload,
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
    devTools: isDev,
  };
}

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
    webPreferences: hardenedWebPreferences(options.preload, options.isDev),
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
