import { describe, expect, it } from 'vitest';
import { AUTO_LOCK_RULE, SERVER_URL_RULE, THEME_RULE, isServerUrl, settingsPatchSchema } from '../../common/settings.js';
import { invalidInput } from '../../common/validation.js';

describe('isServerUrl', () => {
  it.each([
    ['https://api.hoody.com', true],
    ['https://api.hoody.com/', true],
    ['https://10.0.0.5:8443', true],
    ['http://localhost:4010', true],
    ['http://127.0.0.1:4010', true],
    ['http://[::1]:4010', true],
    ['http://api.hoody.com', false],
    ['http://192.168.1.10', false],
    ['ftp://api.hoody.com', false],
    ['https://user:pw@api.hoody.com', false],
    ['https://api.hoody.com/?token=x', false],
    ['https://api.hoody.com/#x', false],
    ['api.hoody.com', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isServerUrl(url)).toBe(expected);
  });
});

describe('settingsPatchSchema', () => {
  it('accepts a partial patch and normalises the URL', () => {
    expect(settingsPatchSchema.parse({ serverUrl: ' https://api.hoody.com/ ' })).toEqual({ serverUrl: 'https://api.hoody.com' });
  });

  it('refuses each bad field with its own rule', () => {
    const result = settingsPatchSchema.safeParse({ serverUrl: 'http://example.com', autoLockMinutes: 0, theme: 'neon', extra: 1 });
    expect(result.success).toBe(false);
    const error = invalidInput(result.error!.issues);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields).toEqual({
      serverUrl: SERVER_URL_RULE,
      autoLockMinutes: AUTO_LOCK_RULE,
      theme: THEME_RULE,
      extra: 'is not a known field',
    });
    expect(error.message).toBe('4 fields are not valid: serverUrl, autoLockMinutes, theme, extra.');
  });

  it.each([1.5, -1, 1441, Number.NaN, '15'])('refuses auto-lock minutes %s', (value) => {
    const result = settingsPatchSchema.safeParse({ autoLockMinutes: value });
    expect(result.success).toBe(false);
    expect(invalidInput(result.error!.issues).fields).toEqual({ autoLockMinutes: AUTO_LOCK_RULE });
  });

  it('names the single bad field in the message', () => {
    const result = settingsPatchSchema.safeParse({ autoLockMinutes: 0 });
    expect(invalidInput(result.error!.issues).message).toBe(`autoLockMinutes ${AUTO_LOCK_RULE}.`);
  });
});
