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
  Object.defineProperty(window, 'hoody', { value: createBridge(transport), configurable: true });
  return core;
}
