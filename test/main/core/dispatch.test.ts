import { describe, expect, it, vi } from 'vitest';
import { OPERATIONS } from '../../../common/operations.js';
import { DEFAULT_SETTINGS } from '../../../common/settings.js';
import { CoreError } from '../../../main/core/core-error.js';
import { createDispatcher, type Handlers } from '../../../main/core/dispatch.js';

const unused = () => {
  throw new Error('not used in this test');
};
const handlers = (overrides: Partial<Handlers> = {}): Handlers => ({
  ...(Object.fromEntries(OPERATIONS.map((op) => [op, unused])) as unknown as Handlers),
  'app.info': () => ({ name: 'x', version: '1', mode: 'serve', platform: 'linux', versions: { node: '20' }, dataDir: '/tmp', localSandbox: false }),
  'settings.get': () => DEFAULT_SETTINGS,
  'settings.update': (patch) => ({ ...DEFAULT_SETTINGS, ...patch }) as typeof DEFAULT_SETTINGS,
  ...overrides,
});

describe('dispatch', () => {
  it('answers {ok, data} from the handler', async () => {
    const dispatch = createDispatcher(handlers());
    await expect(dispatch('settings.get', undefined)).resolves.toEqual({ ok: true, data: DEFAULT_SETTINGS });
  });

  it('refuses an unknown operation without calling anything', async () => {
    const dispatch = createDispatcher(handlers());
    await expect(dispatch('vault.steal', {})).resolves.toEqual({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION', message: 'There is no operation named "vault.steal".' },
    });
    const result = await dispatch({ toString: () => 'app.info' }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
  });

  it('validates input before the handler runs, field by field', async () => {
    const update = vi.fn();
    const dispatch = createDispatcher(handlers({ 'settings.update': update }));
    const result = await dispatch('settings.update', { autoLockMinutes: 'soon', theme: 'neon' });
    expect(update).not.toHaveBeenCalled();
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { autoLockMinutes: expect.any(String), theme: expect.any(String) } } });
  });

  it('refuses input to an operation that takes none', async () => {
    const dispatch = createDispatcher(handlers());
    expect(await dispatch('app.info', { sneaky: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch('app.info', 'text')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch('app.info', {})).toMatchObject({ ok: true });
  });

  it('turns a CoreError into its AppError', async () => {
    const dispatch = createDispatcher(
      handlers({
        'settings.get': () => {
          throw new CoreError('STORAGE', 'disk full', { status: 507, fields: { x: 'y' } });
        },
      }),
    );
    await expect(dispatch('settings.get', undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'STORAGE', message: 'disk full', status: 507, fields: { x: 'y' } },
    });
  });

  it('never throws, and never leaks an unexpected error to the caller', async () => {
    const onUnexpected = vi.fn();
    const dispatch = createDispatcher(
      handlers({
        'settings.get': async () => {
          throw new Error('secret token hdy_abc in a stack trace');
        },
      }),
      { onUnexpected },
    );
    const result = await dispatch('settings.get', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('hdy_abc');
    expect(onUnexpected).toHaveBeenCalledWith('settings.get', expect.any(Error));
  });
});
