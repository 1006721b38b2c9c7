import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  autoLockMinutesSchema,
  serverUrlSchema,
  settingsPatchSchema,
  themeSchema,
  type Settings,
  type SettingsPatch,
} from '../../../common/settings.js';
import { CoreError } from '../core-error.js';
import { readJsonFile, writeJsonFile } from '../storage/json-file.js';
import { validateInput } from '../validate.js';

export const SETTINGS_FILE = 'settings.json';

export interface SettingsStoreOptions {
  dataDir: string;
  onChange?: (settings: Settings) => void;
  onWarning?: (message: string) => void;
}

/** The user's settings, persisted as JSON in the user-data folder. */
export class SettingsStore {
  readonly path: string;
  #current: Settings = { ...DEFAULT_SETTINGS };
  #writes: Promise<void> = Promise.resolve();
  readonly #options: SettingsStoreOptions;

  constructor(options: SettingsStoreOptions) {
    this.#options = options;
    this.path = join(options.dataDir, SETTINGS_FILE);
  }

  /** Loads the file, keeping each valid value and falling back to the default for each bad one. */
  async load(): Promise<Settings> {
    const read = await readJsonFile(this.path);
    if (read.state === 'corrupt') {
      this.#options.onWarning?.(`The settings file could not be read and was kept as ${read.movedTo}; defaults are in use.`);
    }
    const stored = read.state === 'ok' && isRecord(read.value) ? read.value : {};
    this.#current = {
      serverUrl: valueOr(serverUrlSchema, stored.serverUrl, DEFAULT_SETTINGS.serverUrl),
      autoLockMinutes: valueOr(autoLockMinutesSchema, stored.autoLockMinutes, DEFAULT_SETTINGS.autoLockMinutes),
      theme: valueOr(themeSchema, stored.theme, DEFAULT_SETTINGS.theme),
    };
    return this.get();
  }

  get(): Settings {
    return { ...this.#current };
  }

  /** Validates, writes atomically, and only then makes the change visible. Writes are serialised. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const valid = validateInput(settingsPatchSchema, patch);
    const run = this.#writes.then(async () => {
      const next: Settings = { ...this.#current, ...stripUndefined(valid) };
      try {
        await writeJsonFile(this.path, next);
      } catch (cause) {
        throw new CoreError('STORAGE', `Settings could not be saved to ${this.path}: ${(cause as Error).message}`, { cause });
      }
      this.#current = next;
      this.#options.onChange?.(this.get());
    });
    this.#writes = run.catch(() => {});
    await run;
    return this.get();
  }
}

function valueOr<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, fallback: T): T {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
