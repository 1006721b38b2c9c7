import { z } from 'zod';

// Settings rules live here once: main refuses bad values with them and the renderer checks as you type.

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const AUTO_LOCK_MIN = 1;
export const AUTO_LOCK_MAX = 1440;
export const DEFAULT_SERVER_URL = 'https://api.hoody.com';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https anywhere; plain http only to this machine (a local sandbox), so tokens never cross a network unencrypted. */
export function isServerUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export const SERVER_URL_RULE = 'must start with https:// (http:// only for localhost) and carry no user name, query or fragment';
export const AUTO_LOCK_RULE = `must be a whole number of minutes from ${AUTO_LOCK_MIN} to ${AUTO_LOCK_MAX}`;
export const THEME_RULE = `must be one of ${THEMES.join(', ')}`;

export const serverUrlSchema = z
  .string({ error: SERVER_URL_RULE })
  .trim()
  .refine(isServerUrl, { error: SERVER_URL_RULE })
  // The base URL and its `/api/v1` name the same API (see main/core/api/http.ts): keep the base, so one server is one account.
  .transform((value) => value.replace(/\/+$/, '').replace(/\/api\/v1$/i, ''));

export const autoLockMinutesSchema = z
  .number({ error: AUTO_LOCK_RULE })
  .int({ error: AUTO_LOCK_RULE })
  .min(AUTO_LOCK_MIN, { error: AUTO_LOCK_RULE })
  .max(AUTO_LOCK_MAX, { error: AUTO_LOCK_RULE });

export const themeSchema = z.enum(THEMES, { error: THEME_RULE });

export const settingsSchema = z.strictObject({
  serverUrl: serverUrlSchema,
  autoLockMinutes: autoLockMinutesSchema,
  theme: themeSchema,
});
export type Settings = z.output<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: DEFAULT_SERVER_URL,
  autoLockMinutes: 15,
  theme: 'system',
};
