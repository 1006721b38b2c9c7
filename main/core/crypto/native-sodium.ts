import { createRequire } from 'node:module';

// The native libsodium binding (`sodium-native`, prebuilt in its npm package for every desktop
// platform), for bulk work where the wasm build is the cost: sealing files (stream-sealer.ts) and
// this computer's larger sealed documents (../storage/sealed-file.ts), about five times faster here. Where it
// cannot load, the wasm build does the same work in the same format. HOODY_SODIUM=wasm forces the
// wasm build (benchmarks compare the two that way, tests check both agree).

export interface NativeSodium {
  crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
  crypto_secretstream_xchacha20poly1305_init_push(state: Buffer, header: Buffer, key: Buffer): void;
  crypto_secretstream_xchacha20poly1305_push(state: Buffer, out: Buffer, message: Buffer, ad: Buffer | null, tag: number): number;
  crypto_aead_xchacha20poly1305_ietf_encrypt(ciphertext: Buffer, message: Buffer, ad: Buffer | null, nsec: null, npub: Buffer, key: Buffer): number;
  /** Throws when the ciphertext does not open. */
  crypto_aead_xchacha20poly1305_ietf_decrypt(message: Buffer, nsec: null, ciphertext: Buffer, ad: Buffer | null, npub: Buffer, key: Buffer): number;
}

let native: NativeSodium | null | undefined;

/** The native binding, or null where it does not load (no prebuilt for this platform, a packaging slip). */
export function loadNativeSodium(): NativeSodium | null {
  if (native !== undefined) return native;
  if (process.env.HOODY_SODIUM === 'wasm') return (native = null);
  try {
    native = createRequire(import.meta.url)('sodium-native') as NativeSodium;
  } catch {
    native = null;
  }
  return native;
}

export const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
