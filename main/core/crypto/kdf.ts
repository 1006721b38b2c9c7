import { Worker } from 'node:worker_threads';
import { CoreError } from '../core-error.js';

export interface Argon2Params {
  /** libsodium crypto_pwhash opslimit (Argon2 passes, t). */
  opslimit: number;
  /** libsodium crypto_pwhash memlimit in bytes (Argon2 memory, m). */
  memlimit: number;
}

/**
 * libsodium's "moderate" limits: 3 passes over 256 MiB. About 0.5 s in this app's WebAssembly build
 * on a 2-core machine (see `npm run bench`), close to the native argon2 tool with the same
 * parameters. They are written into each keyring record, so later versions can raise them.
 */
export const DEFAULT_ARGON2: Argon2Params = { opslimit: 3, memlimit: 256 * 1024 * 1024 };
/** Floors below which a record is refused: a tampered record must not make unlocking cheap. */
export const MIN_ARGON2: Argon2Params = { opslimit: 2, memlimit: 64 * 1024 * 1024 };
const MAX_MEMLIMIT = 4 * 1024 * 1024 * 1024;

let workerUrl = new URL('./kdf-worker.mjs', import.meta.url);

/** Bundled builds keep the worker next to their entry file; they say where at start-up. */
export function setKdfWorkerUrl(url: URL): void {
  workerUrl = url;
}

export function checkArgon2Params(params: Argon2Params): void {
  const ok =
    Number.isInteger(params.opslimit) &&
    Number.isInteger(params.memlimit) &&
    params.opslimit >= MIN_ARGON2.opslimit &&
    params.opslimit <= 20 &&
    params.memlimit >= MIN_ARGON2.memlimit &&
    params.memlimit <= MAX_MEMLIMIT;
  if (!ok) throw new CoreError('INVALID_INPUT', 'The vault keyring asks for Argon2id parameters outside the accepted range; it may have been tampered with.');
}

const WARM_IDLE_MS = 60_000;

interface Warm {
  worker: Worker;
  memlimit: number;
  ready: Promise<void>;
  timer: NodeJS.Timeout;
}

let warm: Warm | undefined;

function startWorker(): { worker: Worker; ready: Promise<void> } {
  const worker = new Worker(workerUrl);
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  });
  return { worker, ready };
}

/**
 * Starts a worker and grows its memory for the given parameters ahead of an unlock (the user is
 * typing). It is used by the next derivation with the same memory size, or ends after a minute.
 */
export function prewarmArgon2(params: Argon2Params): Promise<void> {
  checkArgon2Params(params);
  if (warm?.memlimit === params.memlimit) return warm.ready.catch(() => {});
  void warm?.worker.terminate();
  const { worker, ready } = startWorker();
  const warmed = ready.then(
    () =>
      new Promise<void>((resolve, reject) => {
        worker.once('message', (m: { type: string; error?: string }) => (m.type === 'warm' ? resolve() : reject(new Error(m.error))));
        worker.postMessage({ type: 'warm', memlimit: params.memlimit });
      }),
  );
  warmed.catch(() => {});
  const timer = setTimeout(() => {
    if (warm?.worker === worker) warm = undefined;
    void worker.terminate();
  }, WARM_IDLE_MS);
  timer.unref();
  warm = { worker, memlimit: params.memlimit, ready: warmed, timer };
  return warmed.catch(() => {});
}

/** Argon2id in a worker thread: 32 bytes from a passphrase (UTF-8 bytes) and a 16-byte salt. */
export async function argon2id(password: Uint8Array, salt: Uint8Array, params: Argon2Params, length = 32): Promise<Uint8Array> {
  checkArgon2Params(params);
  let worker: Worker;
  let ready: Promise<void>;
  if (warm?.memlimit === params.memlimit) {
    ({ worker, ready } = warm);
    clearTimeout(warm.timer);
    warm = undefined;
  } else {
    ({ worker, ready } = startWorker());
  }
  try {
    await ready.catch(async () => {
      // A warm-up that failed is no reason to fail the unlock: start afresh.
      void worker.terminate();
      ({ worker, ready } = startWorker());
      await ready;
    });
    return await new Promise<Uint8Array>((resolve, reject) => {
      worker.once('message', (message: { type: string; key?: Uint8Array; error?: string }) => {
        if (message.type === 'key' && message.key) resolve(new Uint8Array(message.key));
        else reject(new CoreError('INTERNAL', `Key derivation failed: ${message.error ?? 'unknown error'}`));
      });
      worker.once('error', (error) => reject(new CoreError('INTERNAL', `Key derivation failed: ${error.message}`)));
      worker.postMessage({ password, salt, length, ...params });
    });
  } finally {
    void worker.terminate();
  }
}
