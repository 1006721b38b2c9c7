import type { AreaHandlers } from '../dispatch.js';
import type { SettingsStore } from './settings-store.js';

export function settingsHandlers(settings: SettingsStore): AreaHandlers<'settings'> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
  };
}
