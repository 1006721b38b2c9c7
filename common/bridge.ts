import type { Result } from './errors.js';
import type { VaultItem } from './vault.js';
import type { DroppedFile } from './vault-files.js';
import { OPERATIONS, isEventName, type EventName, type OperationName } from './operations.js';
import type { EventPayload, OperationInput, OperationResult } from './contract.js';

// Builds `window.hoody` (one function per operation, grouped by the part before the dot) over any
// transport: Electron IPC in the preload, a WebSocket in serve mode. Imports no zod, so it stays small.

export interface Transport {
  invoke(op: OperationName, input: unknown): Promise<Result<unknown>>;
  /** Delivers every event; returns the function that stops delivery. */
  listen(listener: (event: EventName, payload: unknown) => void): () => void;
}

/**
 * The operations that carry `hoody.files` over a transport (Electron: a registered path is read and
 * sealed in main, a save dialog writes it out; serve mode: a download token). They are not methods
 * of `window.hoody.vault`: the page has one way to upload and save a file, `hoody.files`.
 */
export const FILE_TRANSPORT_OPERATIONS = ['vault.uploadFile', 'vault.saveFile', 'vault.prepareDownload'] as const;
type FileTransportOperation = (typeof FILE_TRANSPORT_OPERATIONS)[number];
type PageOperation = Exclude<OperationName, FileTransportOperation>;
const fileTransportOperations: ReadonlySet<string> = new Set(FILE_TRANSPORT_OPERATIONS);

type Namespace<S> = S extends `${infer N}.${string}` ? N : never;
type Method<S, N extends string> = S extends `${N}.${infer M}` ? M : never;

type OperationFn<K extends OperationName> =
  undefined extends OperationInput<K>
    ? (input?: OperationInput<K>) => Promise<Result<OperationResult<K>>>
    : (input: OperationInput<K>) => Promise<Result<OperationResult<K>>>;

/**
 * Files travel differently by transport (Electron: main reads the dropped file's path itself;
 * serve mode: the browser uploads the bytes), so each transport supplies these three.
 */
export interface FilesApi {
  /** Makes dropped or picked files known, without reading them. */
  add(files: File[]): Promise<Result<DroppedFile[]>>;
  upload(input: { fileId: string; realmId: string; key: string; notes?: string; uploadId: string }): Promise<Result<VaultItem>>;
  /** A save dialog in the desktop app, a download in serve mode. */
  download(input: { realmId: string; key: string }): Promise<Result<{ saved: string | null }>>;
}

export type HoodyApi = {
  [N in Namespace<PageOperation>]: {
    [M in Method<PageOperation, N>]: OperationFn<Extract<`${N}.${M}`, PageOperation>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  files: FilesApi;
};

export function createBridge(transport: Transport, files: (invoke: Transport['invoke']) => FilesApi): HoodyApi {
  const api: Record<string, unknown> = {};
  for (const op of OPERATIONS) {
    if (fileTransportOperations.has(op)) continue;
    const [ns, method] = op.split('.') as [string, string];
    const group = (api[ns] ??= {}) as Record<string, unknown>;
    group[method] = (input?: unknown) => transport.invoke(op, input);
  }
  api.on = (event: unknown, listener: unknown) => {
    if (!isEventName(event) || typeof listener !== 'function') throw new TypeError('on(event, listener): unknown event');
    return transport.listen((name, payload) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    });
  };
  api.files = files((op, input) => transport.invoke(op, input));
  return api as HoodyApi;
}
