import type { AppInfo } from '../../../common/contract.js';
import { CoreError } from '../core-error.js';
import { LOCAL_SANDBOX_MISSING, type LocalSandbox } from '../dev/local-sandbox.js';
import type { AreaHandlers } from '../dispatch.js';

// What the app says of itself, and the development sandbox it can start from a source checkout.

export function appHandlers(info: AppInfo, sandbox: LocalSandbox | undefined): AreaHandlers<'app'> {
  return {
    'app.info': () => info,
    'sandbox.start': () => {
      if (!sandbox?.available()) throw new CoreError('NOT_AVAILABLE', LOCAL_SANDBOX_MISSING);
      return sandbox.start();
    },
  };
}
