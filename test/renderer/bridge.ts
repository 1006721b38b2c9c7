import { createBridge, type Transport } from '../../common/bridge.js';
import type { Result } from '../../common/errors.js';
import type { EventName } from '../../common/operations.js';
import { createCore, type Core, type CoreOptions } from '../../main/core/core.js';

/**
 * Installs `window.hoody` backed by the real core (real validation, real settings file in a temp
 * folder), the same object the preload and the serve bridge expose; only the transport is direct.
 */
export type Intercept = (op: string, input: unknown) => Promise<Result<unknown> | undefined>;

export async function installBridge(dataDir: string, intercept?: Intercept, options: Partial<CoreOptions> = {}): Promise<Core> {
  const core = await createCore({ dataDir, mode: 'serve', version: '1.2.3', keychain: { unavailable: 'no Secret Service in this test' }, ...options });
  const transport: Transport = {
    invoke: async (op, input) => (await intercept?.(op, input)) ?? core.dispatch(op, input),
    listen: (listener: (event: EventName, payload: unknown) => void) => core.events.subscribe(listener),
  };
  // Files as the Electron preload hands them over: main registers a path and reads it itself.
  const files: Parameters<typeof createBridge>[1] = (invoke) => ({
    add: async (list) => {
      const { mkdtemp, writeFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const dir = await mkdtemp(join(dataDir, 'dropped-'));
      const paths = await Promise.all(list.map(async (file) => {
        const path = join(dir, file.name);
        await writeFile(path, new Uint8Array(await file.arrayBuffer()));
        return path;
      }));
      return { ok: true, data: await core.fileRegistry.register(paths) };
    },
    upload: (input) => invoke('vault.uploadFile', input) as never,
    download: (input) => invoke('vault.saveFile', input) as never,
  });
  Object.defineProperty(window, 'hoody', { value: createBridge(transport, files), configurable: true });
  return core;
}
