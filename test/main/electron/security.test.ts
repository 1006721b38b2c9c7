import { describe, expect, it, vi } from 'vitest';
import type { ElectronMock } from '../../support/electron-mock.js';

const holder = vi.hoisted(() => ({ electron: undefined as unknown as ElectronMock }));
vi.mock('electron', async () => {
  const { createElectronMock } = await import('../../support/electron-mock.js');
  holder.electron = createElectronMock();
  return holder.electron;
});

const { denyAllPermissions, isAppUrl, lockDownWebContents, openExternalSafely } = await import('../../../main/electron/security.js');
const { FakeWebContents } = await import('../../support/electron-mock.js');

const preventable = () => ({ preventDefault: vi.fn() });

describe('navigation lock-down', () => {
  it('refuses every navigation, redirect and webview, in any frame', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = preventable();
      contents.emit(event, e, 'https://evil.example/');
      expect(e.preventDefault, event).toHaveBeenCalled();
    }
    // Even a navigation to the app's own origin: the app is a single page and never navigates.
    const own = preventable();
    contents.emit('will-navigate', own, 'app://hoody/other');
    expect(own.preventDefault).toHaveBeenCalled();
  });

  it('denies window.open, opening only parsed https links in the browser', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never);
    const openExternal = holder.electron.shell.openExternal;
    for (const url of ['https://hoody.com/docs', 'http://hoody.com', 'file:///etc/passwd', 'javascript:alert(1)', 'https://u:p@hoody.com', 'not a url']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://hoody.com/docs');
  });

  it('openExternalSafely says whether it opened the link', () => {
    expect(openExternalSafely('https://hoody.com')).toBe(true);
    expect(openExternalSafely('smb://share')).toBe(false);
  });

  it('denies every permission request and check but writing to the clipboard, and that only to the app itself', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() };
    denyAllPermissions(session as never);
    const request = (permission: string, requestingUrl = 'app://hoody/') => {
      const callback = vi.fn();
      session.setPermissionRequestHandler.mock.calls[0]![0](undefined, permission, callback, { requestingUrl, isMainFrame: true });
      return callback.mock.calls[0]![0];
    };
    const check = (permission: string, origin = 'app://hoody') => session.setPermissionCheckHandler.mock.calls[0]![0](undefined, permission, origin, {});
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      expect(request(permission), permission).toBe(false);
      expect(check(permission), permission).toBe(false);
    }
    expect(request('clipboard-sanitized-write')).toBe(true);
    expect(check('clipboard-sanitized-write')).toBe(true);
    for (const foreign of ['https://evil.example/', 'app://other/', 'file:///tmp/x.html', 'null', '']) {
      expect(request('clipboard-sanitized-write', foreign), foreign).toBe(false);
      expect(check('clipboard-sanitized-write', foreign), foreign).toBe(false);
    }
    expect(session.setDevicePermissionHandler.mock.calls[0]![0]({})).toBe(false);
  });

  it('lets the dev server have the clipboard while developing, when told to trust it', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() };
    denyAllPermissions(session as never, (url) => isAppUrl(url, 'http://localhost:5173/'));
    expect(session.setPermissionCheckHandler.mock.calls[0]![0](undefined, 'clipboard-sanitized-write', 'http://localhost:5173', {})).toBe(true);
    expect(session.setPermissionCheckHandler.mock.calls[0]![0](undefined, 'clipboard-sanitized-write', 'http://localhost:5174', {})).toBe(false);
  });
});

describe('isAppUrl', () => {
  it.each([
    ['app://hoody/', true],
    ['app://hoody/assets/x.js', true],
    ['app://other/', false],
    ['https://hoody/', false],
    ['file:///index.html', false],
    ['http://localhost:5173/', false],
    ['garbage', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it('trusts the dev server only when one is given', () => {
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });
});
