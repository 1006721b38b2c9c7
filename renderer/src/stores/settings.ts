import { create } from 'zustand';
import type { AppInfo } from '../../../common/contract.js';
import type { AppError, Result } from '../../../common/errors.js';
import type { Settings, SettingsPatch } from '../../../common/settings.js';
import { hoody } from '../lib/hoody.js';

interface SettingsState {
  settings: Settings | undefined;
  info: AppInfo | undefined;
  loadError: AppError | undefined;
  load(): Promise<void>;
  save(patch: SettingsPatch): Promise<Result<Settings>>;
}

export const useSettings = create<SettingsState>()((set) => ({
  settings: undefined,
  info: undefined,
  loadError: undefined,
  async load() {
    const [settings, info] = await Promise.all([hoody().settings.get(), hoody().app.info()]);
    set({
      settings: settings.ok ? settings.data : undefined,
      info: info.ok ? info.data : undefined,
      loadError: !settings.ok ? settings.error : !info.ok ? info.error : undefined,
    });
  },
  async save(patch) {
    const result = await hoody().settings.update(patch);
    if (result.ok) set({ settings: result.data });
    return result;
  },
}));

/** Keeps the store in step with changes made elsewhere (another window, the CLI later). */
export function followSettingsChanges(): () => void {
  return hoody().on('settings.changed', (settings) => useSettings.setState({ settings }));
}
