import { describe, expect, it, vi } from 'vitest';
import { OPERATIONS, operationChannel } from '../../../common/operations.js';
import { makeSenderCheck, registerIpcHandlers } from '../../../main/electron/ipc.js';
import { isAppUrl } from '../../../main/electron/security.js';

vi.mock('electron', () => ({ shell: { openExternal: vi.fn() } }));

function setup() {
  const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
  const ipcMain = { handle: vi.fn((channel: string, handler: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, handler)) };
  const dispatch = vi.fn(async (op: unknown, input: unknown) => ({ ok: true as const, data: { op, input } }));
  const log = vi.fn();
  const check = makeSenderCheck(() => 42, (url) => isAppUrl(url));
  registerIpcHandlers(ipcMain as never, dispatch, check, log);
  return { handlers, ipcMain, dispatch, log };
}

const mainFrame = { url: 'app://hoody/', parent: null };
const event = (overrides: Record<string, unknown> = {}) => ({ sender: { id: 42 }, senderFrame: mainFrame, ...overrides });

describe('the IPC adapter', () => {
  it('registers one handler for every contract operation, and nothing else', () => {
    const { ipcMain } = setup();
    expect(ipcMain.handle.mock.calls.map(([channel]) => channel).sort()).toEqual(OPERATIONS.map(operationChannel).sort());
  });

  it('dispatches a message from the app window to its operation', async () => {
    const { handlers, dispatch } = setup();
    for (const op of OPERATIONS) {
      await expect(handlers.get(operationChannel(op))!(event(), { x: 1 })).resolves.toEqual({ ok: true, data: { op, input: { x: 1 } } });
    }
    expect(dispatch).toHaveBeenCalledTimes(OPERATIONS.length);
  });

  it.each([
    ['a subframe', { senderFrame: { url: 'app://hoody/', parent: mainFrame } }],
    ['another window', { sender: { id: 7 } }],
    ['a foreign page', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a file page', { senderFrame: { url: 'file:///tmp/x.html', parent: null } }],
    ['a frame that is gone', { senderFrame: null }],
  ])('drops a message from %s without dispatching it', async (_name, overrides) => {
    const { handlers, dispatch, log } = setup();
    const result = await handlers.get(operationChannel('settings.update'))!(event(overrides), { theme: 'dark' });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('dropped settings.update'));
  });
});

describe('the file registration channel', () => {
  it('registers real files for the app window only, checking each path again', async () => {
    const { FileRegistry } = await import('../../../main/core/files/file-registry.js');
    const { registerFileChannel } = await import('../../../main/electron/ipc.js');
    const { REGISTER_FILES_CHANNEL } = await import('../../../common/operations.js');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'hoody-drop-'));
    await writeFile(join(dir, 'a.txt'), 'hello');
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, handler: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, handler) };
    registerFileChannel(ipcMain as never, new FileRegistry(), makeSenderCheck(() => 42, (url) => isAppUrl(url)), vi.fn());
    const handler = handlers.get(REGISTER_FILES_CHANNEL)!;
    expect(await handler(event(), { paths: [join(dir, 'a.txt')] })).toMatchObject({ ok: true, data: [{ name: 'a.txt', size: 5, type: 'text/plain', fileId: expect.any(String) }] });
    expect(await handler(event(), { paths: [dir] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await handler(event(), { paths: 'not a list' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await handler(event({ sender: { id: 7 } }), { paths: [join(dir, 'a.txt')] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});

describe('the file registration channel on an unexpected failure', () => {
  it('answers INTERNAL through toAppError and writes the cause to the log', async () => {
    const { registerFileChannel } = await import('../../../main/electron/ipc.js');
    const { REGISTER_FILES_CHANNEL } = await import('../../../common/operations.js');
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, handler: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, handler) };
    const log = vi.fn();
    const registry = { register: async () => { throw new Error('EMFILE: too many open files'); } };
    registerFileChannel(ipcMain as never, registry as never, makeSenderCheck(() => 42, (url) => isAppUrl(url)), log);
    const result = await handlers.get(REGISTER_FILES_CHANNEL)!(event(), { paths: ['/tmp/a.txt'] });
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the app. The details were written to its log.' } });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('EMFILE'));
  });
});
