import type { HoodyApi } from '../../../common/bridge.js';

declare global {
  interface Window {
    /** Built by the preload (Electron) or the serve bridge (serve mode); the renderer's only way out. */
    readonly hoody?: HoodyApi;
  }
}

export function hoody(): HoodyApi {
  const api = window.hoody;
  if (!api) throw new Error('window.hoody is missing: the app was opened without its bridge.');
  return api;
}

export const hasBridge = (): boolean => window.hoody !== undefined;
