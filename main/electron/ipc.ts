import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { OPERATIONS, REGISTER_FILES_CHANNEL, operationChannel } from '../../common/operations.js';
import { fileInputs } from '../../common/vault-files.js';
import { invalidInput } from '../../common/validation.js';
import { toAppError, type FileRegistry, type Dispatch } from '../core/index.js';
import type { Result } from '../../common/errors.js';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

const refused: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: 'This request did not come from the app window and was dropped.' },
};

/**
 * One handler per contract operation. Each checks the sending frame before anything else; a
 * message from any other frame or window is dropped (answered with an error, never dispatched).
 * Input validation happens in `dispatch`, against the contract's schema.
 */
export function registerIpcHandlers(ipcMain: IpcMain, dispatch: Dispatch, isTrustedSender: SenderCheck, log: (message: string) => void): void {
  for (const op of OPERATIONS) {
    ipcMain.handle(operationChannel(op), async (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        log(`dropped ${op} from an unknown frame (${event.senderFrame?.url ?? 'gone'})`);
        return refused;
      }
      return dispatch(op, input);
    });
  }
}

/** Trusted: the top frame of our main window, showing a page of the app itself. */
export function makeSenderCheck(getWindowContentsId: () => number | undefined, isAppUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    if (event.sender.id !== getWindowContentsId()) return false;
    return isAppUrl(frame.url);
  };
}

/**
 * The preload's own channel (not an operation the page can call): it registers the paths of files
 * the user dropped or picked. Same sender check as every operation; main re-checks each path.
 */
export function registerFileChannel(ipcMain: IpcMain, registry: FileRegistry, isTrustedSender: SenderCheck, log: (message: string) => void): void {
  ipcMain.handle(REGISTER_FILES_CHANNEL, async (event, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event)) {
      log(`dropped a file registration from an unknown frame (${event.senderFrame?.url ?? 'gone'})`);
      return refused;
    }
    const parsed = fileInputs.registerFiles.safeParse(input);
    if (!parsed.success) return { ok: false, error: invalidInput(parsed.error.issues) };
    try {
      return { ok: true, data: await registry.register(parsed.data.paths) };
    } catch (error) {
      return { ok: false, error: toAppError(error, 'file registration', (where, cause) => log(`${where} failed: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`)) };
    }
  });
}
