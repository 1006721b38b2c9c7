import { shell, type Session, type WebContents } from 'electron';

// Navigation, new windows, webviews and permissions are locked down here, in one place, for every
// web contents the app ever creates.

export const APP_SCHEME = 'app';
export const APP_HOST = 'hoody';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/`;

/** True only for pages of the app itself (`app://hoody/...`), or the dev server while developing. */
export function isAppUrl(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    return parsed.protocol === dev.protocol && parsed.host === dev.host;
  }
  return false;
}

/** External links open in the user's browser, and only when they parse as https. */
export function openExternalSafely(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  void shell.openExternal(parsed.href);
  return true;
}

export function lockDownWebContents(contents: WebContents): void {
  // The app is a single page: it never navigates, so every navigation is refused.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
}

/** Writing to the clipboard (the copy buttons) is the only permission the app's page ever gets. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/**
 * Every permission is refused, except the clipboard write above, and that only for a page of the
 * app itself: the permission alone is not enough, the requesting origin must be `app://hoody`
 * (or the dev server while developing). Any other page that ever ended up in a web contents
 * (it cannot navigate there, but defence in depth) gets nothing.
 */
export function denyAllPermissions(session: Session, isTrustedUrl: (url: string) => boolean = (url) => isAppUrl(url)): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}
