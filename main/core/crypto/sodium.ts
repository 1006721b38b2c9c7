import type Sodium from 'libsodium-wrappers-sumo';

// libsodium's sumo build (the standard one lacks Argon2id), loaded and initialised once, on first
// use: its WebAssembly takes tens of milliseconds to start, which a command-line run that opens
// nothing (a locked listing, say) should not pay.
//
// It runs in WebAssembly. Every call copies its arguments (keys included) into the module's linear
// memory, and its results out of it, then frees those copies without wiping them: zeroing our own
// Uint8Array on lock would leave the keys readable in the wasm heap until something happens to
// overwrite them. So every block the wrappers allocate is remembered with its size and overwritten
// with zeros as it is freed.
//
// Two copies live on libsodium's own stack (in the same linear memory), which JavaScript cannot
// reach by address: BLAKE2b leaves its last output (every crypto_kdf subkey) in a 64-byte buffer it
// does not wipe, and ChaCha20 leaves the last partial block it decrypted (up to 63 bytes: a whole
// unwrapped vault key) in a scratch block. `scrubStack` runs those same calls on zeros, so the same
// stack slots are overwritten with nothing secret. It runs after every subkey derivation and
// unwrapping, and on lock.

interface WasmModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(address: number): void;
}

let ready: Promise<typeof Sodium> | undefined;
let loaded: typeof Sodium | undefined;

const wasm = (): WasmModule => (loaded as unknown as { libsodium: WasmModule }).libsodium;

function wipeOnFree(module: WasmModule | undefined): void {
  // A libsodium.js whose module is laid out otherwise must fail the tests (wasm-heap.test.ts), not
  // silently keep keys in memory.
  if (!module || typeof module._malloc !== 'function' || typeof module._free !== 'function' || !(module.HEAPU8 instanceof Uint8Array)) {
    throw new Error('libsodium’s WebAssembly module is not where this build expects it: keys could not be wiped from its memory.');
  }
  const sizes = new Map<number, number>();
  const malloc = module._malloc.bind(module);
  const free = module._free.bind(module);
  module._malloc = (size: number) => {
    const address = malloc(size);
    if (address) sizes.set(address, size);
    return address;
  };
  module._free = (address: number) => {
    const size = sizes.get(address);
    // HEAPU8 is read at each call: the view is replaced whenever the memory grows.
    if (size) module.HEAPU8.fill(0, address, address + size);
    sizes.delete(address);
    free(address);
  };
}

export function loadSodium(): Promise<typeof Sodium> {
  ready ??= import('libsodium-wrappers-sumo').then(async (module) => {
    const sodium = (module as { default?: typeof Sodium }).default ?? (module as unknown as typeof Sodium);
    await sodium.ready;
    loaded = sodium;
    wipeOnFree(wasm());
    return sodium;
  });
  return ready;
}

const ZERO_KEY = new Uint8Array(32);
const ZERO_NONCE = new Uint8Array(24);
let zeroSealed: Uint8Array | undefined;

/** Overwrites the stack slots where libsodium leaves derived keys and decrypted bytes (see above). */
export function scrubStack(lib: typeof Sodium): void {
  lib.crypto_kdf_derive_from_key(32, 1, 'hvscrub0', ZERO_KEY);
  zeroSealed ??= lib.crypto_aead_xchacha20poly1305_ietf_encrypt(new Uint8Array(63), null, null, ZERO_NONCE, ZERO_KEY);
  lib.crypto_aead_xchacha20poly1305_ietf_decrypt(null, zeroSealed, null, ZERO_NONCE, ZERO_KEY);
}

/**
 * Wipes and frees a secretstream state. The wrappers allocate one per stream (it holds that
 * stream's key) and never free it; every stream the app opens ends here.
 */
export async function releaseStreamState(state: unknown): Promise<void> {
  // The typings call the state an object; at run time it is the block's address.
  if (typeof state !== 'number' || !state) return;
  await loadSodium();
  wasm()._free(state);
}
