import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

// A stand-in for the `electron` module (its binary cannot run here). It records what the edge asks
// of Electron, so tests can assert the security-relevant calls and drive the registered handlers.

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  send = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  static getAllWindows = () => FakeBrowserWindow.instances;
  webContents = new FakeWebContents();
  loadURL = vi.fn(async () => {});
  maximize = vi.fn();
  show = vi.fn();
  isDestroyed = () => false;
  isMaximized = () => false;
  isMinimized = () => false;
  getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 });
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
}

export function createElectronMock() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
    setPath: vi.fn(),
    getPath: vi.fn(() => ''),
    getAppPath: () => process.cwd(),
    getVersion: () => '0.1.0',
    whenReady: () => ready,
  });
  const mock = {
    app,
    resolveReady,
    handlers,
    session: { defaultSession: session },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, handler)),
    },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    shell: { openExternal: vi.fn(async () => {}) },
    dialog: { showSaveDialog: vi.fn(async () => ({ canceled: true })) },
    powerMonitor: new EventEmitter(),
    clipboard: (() => {
      let text = '';
      return { writeText: vi.fn((t: string) => (text = t)), readText: vi.fn(() => text), clear: vi.fn(() => (text = '')) };
    })(),
    nativeTheme: { shouldUseDarkColors: false },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
  return mock;
}

export type ElectronMock = ReturnType<typeof createElectronMock>;
