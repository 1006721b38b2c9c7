import { asBuffer, loadNativeSodium as loadNative } from './native-sodium.js';
import { loadSodium, releaseStreamState } from './sodium.js';

// Bulk sealing of files with libsodium's secretstream (XChaCha20-Poly1305). The native binding
// (`sodium-native`, prebuilt in its npm package for every desktop platform) seals about five times
// faster than the wasm build here (see `npm run bench -- files`); where it cannot load, the wasm
// build does the same work and writes the same format. HOODY_SODIUM=wasm forces the wasm build (the
// benchmark compares the two that way).

export interface StreamSealer {
  readonly backend: 'native' | 'wasm';
  /** The 24-byte stream header, sent first. */
  readonly header: Uint8Array;
  /**
   * Seals one chunk; the last one is `final` (libsodium's TAG_FINAL), so truncation is detected.
   * `into` (chunk length + 17 bytes), where given, receives the sealed chunk instead of a new buffer
   * (the native build; the wasm build returns its own).
   */
  push(chunk: Uint8Array, final: boolean, into?: Uint8Array): Uint8Array;
  /** Wipes the stream's state (it holds the stream's key) however the stream ended. */
  release(): Promise<void>;
}

const HEADER_BYTES = 24;
const ABYTES = 17;
const TAG_MESSAGE = 0;
const TAG_FINAL = 3;

/** Which build seals files in this process. */
export function sealerBackend(): 'native' | 'wasm' {
  return loadNative() ? 'native' : 'wasm';
}

/** Starts a sealed stream; `build` picks the wasm build even where the native one loads (tests, benchmarks). */
export async function startStreamSeal(key: Uint8Array, ad: Uint8Array, build: 'best' | 'wasm' = 'best'): Promise<StreamSealer> {
  const sodium = build === 'best' ? loadNative() : null;
  if (sodium) {
    // The binding takes Buffers: the state lives in one, zeroed once the stream ends.
    const state = Buffer.alloc(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES);
    const header = Buffer.alloc(HEADER_BYTES);
    sodium.crypto_secretstream_xchacha20poly1305_init_push(state, header, asBuffer(key));
    const adBuffer = Buffer.from(ad);
    return {
      backend: 'native',
      header,
      push(chunk, final, into) {
        const out = into && into.length === chunk.length + ABYTES ? asBuffer(into) : Buffer.allocUnsafe(chunk.length + ABYTES);
        sodium.crypto_secretstream_xchacha20poly1305_push(state, out, asBuffer(chunk), adBuffer, final ? TAG_FINAL : TAG_MESSAGE);
        if (final) state.fill(0);
        return out;
      },
      release: async () => void state.fill(0),
    };
  }
  const wasm = await loadSodium();
  const { state, header } = wasm.crypto_secretstream_xchacha20poly1305_init_push(key);
  return {
    backend: 'wasm',
    header,
    push: (chunk, final) =>
      wasm.crypto_secretstream_xchacha20poly1305_push(state, chunk, ad, final ? wasm.crypto_secretstream_xchacha20poly1305_TAG_FINAL : wasm.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE),
    // The wrappers never free a stream's state: it is wiped and freed here (see sodium.ts).
    release: () => releaseStreamState(state),
  };
}
