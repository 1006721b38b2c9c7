// Worker thread: runs Argon2id (libsodium crypto_pwhash), which takes hundreds of milliseconds of
// WebAssembly, away from the thread that answers the window. It can be warmed first (libsodium
// loaded and its memory grown to the size Argon2id needs, the slow part of a first run) while the
// user types; it does one derivation and then exits, so the memory goes back to the system.
import { parentPort } from 'node:worker_threads';
import sodium from 'libsodium-wrappers-sumo';

await sodium.ready;
parentPort.on('message', (message) => {
  try {
    if (message.type === 'warm') {
      // One pass over the same memory: grows the wasm heap now rather than during the unlock.
      sodium.crypto_pwhash(16, 'warm-up', new Uint8Array(16), 1, message.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
      parentPort.postMessage({ type: 'warm' });
      return;
    }
    const { password, salt, opslimit, memlimit, length } = message;
    const key = sodium.crypto_pwhash(length, password, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    sodium.memzero(password);
    parentPort.postMessage({ type: 'key', key }, [key.buffer]);
  } catch (error) {
    parentPort.postMessage({ type: 'error', error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ type: 'ready' });
