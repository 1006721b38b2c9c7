import { describe, expect, it, vi } from 'vitest';
import { OPERATIONS } from '../../../common/operations.js';
import { createDispatcher, type Handlers } from '../../../main/core/dispatch.js';
import { CoreError, toAppError } from '../../../main/core/index.js';

const never = () => {
  throw new Error('the handler must not run');
};
const handlers = Object.fromEntries(OPERATIONS.map((op) => [op, never])) as unknown as Handlers;

describe('input keys that name the prototype', () => {
  it.each([
    ['__proto__', '{"__proto__": {"polluted": true}, "theme": "dark"}', '__proto__'],
    ['constructor', '{"constructor": {"prototype": {"polluted": true}}}', 'constructor'],
    ['a nested __proto__', '{"realmId": "", "key": "a", "value": "v", "notes": "", "metadata": {}, "__proto__": 1}', '__proto__'],
  ])('are refused with the field named: %s', async (_name, json, field) => {
    const dispatch = createDispatcher(handlers);
    const op = json.includes('theme') || json.includes('constructor') ? 'settings.update' : 'vault.save';
    const result = await dispatch(op, JSON.parse(json));
    expect(result.ok).toBe(false);
    const error = (result as { ok: false; error: { code: string; message: string; fields: Record<string, string> } }).error;
    expect(error.code).toBe('INVALID_INPUT');
    expect(Object.keys(error.fields)).toContain(field);
    expect(Object.hasOwn(error.fields, field)).toBe(true);
    expect(error.message).toContain(field);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('toAppError, the one way from an error to the wire', () => {
  it('keeps a CoreError as it is, without logging it', () => {
    const onUnexpected = vi.fn();
    const error = new CoreError('QUOTA_EXCEEDED', 'Full.', { status: 413, fields: { value: 'is too large' }, retryAfter: 3 });
    expect(toAppError(error, 'upload', onUnexpected)).toEqual({ code: 'QUOTA_EXCEEDED', message: 'Full.', status: 413, fields: { value: 'is too large' }, retryAfter: 3 });
    expect(onUnexpected).not.toHaveBeenCalled();
  });

  it('logs anything else and tells the caller nothing of it', () => {
    const onUnexpected = vi.fn();
    const cause = new TypeError('cannot read x of undefined at /home/me/.config/hoody-vault/secret');
    const answer = toAppError(cause, 'vault.save', onUnexpected);
    expect(answer).toEqual({ code: 'INTERNAL', message: 'Something went wrong inside the app. The details were written to its log.' });
    expect(onUnexpected).toHaveBeenCalledWith('vault.save', cause);
    expect(JSON.stringify(answer)).not.toContain('/home/me');
  });

  it('still answers when the logger itself throws', () => {
    expect(toAppError('boom', 'x', () => { throw new Error('log is gone'); })).toMatchObject({ code: 'INTERNAL' });
  });
});
