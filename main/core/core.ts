import type { AppInfo, AppMode } from '../../common/contract.js';
import { createDispatcher, type Dispatch } from './dispatch.js';
import { EventBus } from './event-bus.js';
import { SettingsStore } from './settings-store.js';

export interface CoreOptions {
  dataDir: string;
  mode: AppMode;
  version: string;
  versions?: AppInfo['versions'];
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  settings: SettingsStore;
  close(): Promise<void>;
}

/** Assembles the Electron-free core: the same object behind the Electron window and serve mode. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? (() => {});
  const events = new EventBus();
  const settings = new SettingsStore({
    dataDir: options.dataDir,
    onChange: (value) => events.emit('settings.changed', value),
    onWarning: (message) => log('warn', message),
  });
  await settings.load();

  const info: AppInfo = {
    name: 'Hoody Vault',
    version: options.version,
    mode: options.mode,
    platform: process.platform,
    versions: options.versions ?? { node: process.versions.node },
    dataDir: options.dataDir,
  };

  const dispatch = createDispatcher(
    {
      'app.info': () => info,
      'settings.get': () => settings.get(),
      'settings.update': (patch) => settings.update(patch),
    },
    { onUnexpected: (op, error) => log('error', `${op} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) },
  );

  return { dispatch, events, settings, close: async () => {} };
}
