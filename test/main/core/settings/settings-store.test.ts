import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../common/settings.js';
import { createCore } from '../../../../main/core/core.js';
import { SETTINGS_FILE, SettingsStore } from '../../../../main/core/settings/settings-store.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir();

describe('SettingsStore', () => {
  it('starts from the defaults when there is no file', async () => {
    const store = new SettingsStore({ dataDir: await tempDir() });
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
  });

  it('persists an update, which a new store (a restart) reads back', async () => {
    const dataDir = await tempDir();
    const store = new SettingsStore({ dataDir });
    await store.load();
    await store.update({ theme: 'dark', autoLockMinutes: 5 });
    const restarted = new SettingsStore({ dataDir });
    expect(await restarted.load()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', autoLockMinutes: 5 });
    const onDisk = JSON.parse(await readFile(join(dataDir, SETTINGS_FILE), 'utf8'));
    expect(onDisk).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', autoLockMinutes: 5 });
  });

  it('refuses bad values field by field and keeps the file unchanged', async () => {
    const dataDir = await tempDir();
    const store = new SettingsStore({ dataDir });
    await store.load();
    await store.update({ theme: 'light' });
    const before = await readFile(join(dataDir, SETTINGS_FILE), 'utf8');
    await expect(store.update({ serverUrl: 'http://evil.example', autoLockMinutes: 99999 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fields: { serverUrl: expect.stringContaining('https://'), autoLockMinutes: expect.stringContaining('1 to 1440') },
    });
    expect(await readFile(join(dataDir, SETTINGS_FILE), 'utf8')).toBe(before);
    expect(store.get().theme).toBe('light');
  });

  it('keeps valid stored values and replaces only the invalid ones', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, SETTINGS_FILE), JSON.stringify({ theme: 'dark', autoLockMinutes: -3, serverUrl: 'https://h.example' }));
    const store = new SettingsStore({ dataDir });
    expect(await store.load()).toEqual({ theme: 'dark', autoLockMinutes: DEFAULT_SETTINGS.autoLockMinutes, serverUrl: 'https://h.example' });
  });

  it('moves a corrupt file aside instead of overwriting it, and says so', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, SETTINGS_FILE), '{"theme": "dark", trunc');
    const onWarning = vi.fn();
    const store = new SettingsStore({ dataDir, onWarning });
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
    expect(onWarning).toHaveBeenCalledWith(expect.stringContaining('could not be read'));
    const files = await readdir(dataDir);
    const kept = files.find((f) => f.startsWith(`${SETTINGS_FILE}.corrupt-`));
    expect(kept).toBeDefined();
    expect(await readFile(join(dataDir, kept!), 'utf8')).toBe('{"theme": "dark", trunc');
  });

  it('serialises concurrent updates so none is lost', async () => {
    const dataDir = await tempDir();
    const store = new SettingsStore({ dataDir });
    await store.load();
    await Promise.all([store.update({ theme: 'dark' }), store.update({ autoLockMinutes: 42 }), store.update({ serverUrl: 'https://x.example' })]);
    const reread = await new SettingsStore({ dataDir }).load();
    expect(reread).toEqual({ theme: 'dark', autoLockMinutes: 42, serverUrl: 'https://x.example' });
    expect((await readdir(dataDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a failed write as STORAGE and keeps the previous settings', async () => {
    const dataDir = await tempDir();
    const store = new SettingsStore({ dataDir });
    await store.load();
    await store.update({ theme: 'dark' });
    // A folder where the file should be: the final rename cannot succeed.
    const blocked = new SettingsStore({ dataDir: join(dataDir, 'blocked') });
    await blocked.load();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dataDir, 'blocked', SETTINGS_FILE), { recursive: true });
    await expect(blocked.update({ theme: 'light' })).rejects.toMatchObject({ code: 'STORAGE' });
    expect(blocked.get().theme).toBe(DEFAULT_SETTINGS.theme);
    expect((await readdir(join(dataDir, 'blocked'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('core settings operations', () => {
  it('round-trips through dispatch and emits settings.changed', async () => {
    const dataDir = await tempDir();
    const core = await createCore({ dataDir, mode: 'serve', version: '9.9.9' });
    const events: unknown[] = [];
    core.events.subscribe((event, payload) => events.push([event, payload]));
    const updated = await core.dispatch('settings.update', { theme: 'dark' });
    expect(updated).toEqual({ ok: true, data: { ...DEFAULT_SETTINGS, theme: 'dark' } });
    expect(events).toEqual([['settings.changed', { ...DEFAULT_SETTINGS, theme: 'dark' }]]);
    expect(await core.dispatch('app.info', undefined)).toMatchObject({ ok: true, data: { version: '9.9.9', mode: 'serve', platform: process.platform, dataDir } });
    const refused = await core.dispatch('settings.update', { autoLockMinutes: 0 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { autoLockMinutes: expect.any(String) } } });
  });
});
