import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';
import { fromUtf8, utf8 } from '../crypto/bytes.js';
import { asBuffer, loadNativeSodium } from '../crypto/native-sodium.js';
import { loadSodium } from '../crypto/sodium.js';

// A JSON document kept on this computer, sealed with the vault's cache subkey (XChaCha20-Poly1305,
// the document's purpose and owner as additional data) and written atomically. Reading tells apart
// "there is none" from "there is one but it does not open" (tampered, truncated, another key): a
// damaged file is reported, never taken as valid.

const MAGIC = utf8('HVS1');

export type SealedRead<T> = { state: 'missing' } | { state: 'ok'; value: T } | { state: 'damaged' };

const NONCE_BYTES = 24;
const TAG_BYTES = 16;
/**
 * From this size the native binding is used (and loaded, the first time): below it the wasm build,
 * loaded anyway for everything else, is as quick, and a command line that reads only small
 * documents starts without loading a native module.
 */
const NATIVE_FROM_BYTES = 64 * 1024;

const nativeFor = (bytes: number, build: SodiumBuild) => (build === 'best' && bytes >= NATIVE_FROM_BYTES ? loadNativeSodium() : null);

/** Seals `plain` into a file's bytes: magic, nonce, ciphertext with its tag. */
async function seal(plain: Uint8Array, key: Uint8Array, ad: string, build: SodiumBuild): Promise<Uint8Array> {
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  const out = new Uint8Array(MAGIC.length + NONCE_BYTES + plain.length + TAG_BYTES);
  out.set(MAGIC);
  out.set(nonce, MAGIC.length);
  const native = nativeFor(plain.length, build);
  if (native) {
    native.crypto_aead_xchacha20poly1305_ietf_encrypt(asBuffer(out.subarray(MAGIC.length + NONCE_BYTES)), asBuffer(plain), Buffer.from(ad, 'utf8'), null, asBuffer(nonce), asBuffer(key));
  } else {
    const sodium = await loadSodium();
    out.set(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, utf8(ad), null, nonce, key), MAGIC.length + NONCE_BYTES);
  }
  return out;
}

/** Opens a file's bytes; undefined when they do not open (tampered, truncated, another key). */
async function open(bytes: Uint8Array, key: Uint8Array, ad: string, build: SodiumBuild): Promise<Uint8Array | undefined> {
  if (bytes.length < MAGIC.length + NONCE_BYTES + TAG_BYTES || !MAGIC.every((b, i) => bytes[i] === b)) return undefined;
  const nonce = bytes.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
  const sealed = bytes.subarray(MAGIC.length + NONCE_BYTES);
  const native = nativeFor(sealed.length, build);
  try {
    if (native) {
      const plain = Buffer.allocUnsafe(sealed.length - TAG_BYTES);
      native.crypto_aead_xchacha20poly1305_ietf_decrypt(plain, null, asBuffer(sealed), Buffer.from(ad, 'utf8'), asBuffer(nonce), asBuffer(key));
      return plain;
    }
    const sodium = await loadSodium();
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, utf8(ad), nonce, key);
  } catch {
    return undefined;
  }
}

/**
 * `build`: the native binding where it loads for documents of 64 KiB or more ('best', about five
 * times faster: at 10,000 entries the record read right after an unlock is megabytes), or always the
 * wasm build (tests check they agree).
 */
export type SodiumBuild = 'best' | 'wasm';

export async function writeSealedJson(path: string, key: Uint8Array, ad: string, value: unknown, build: SodiumBuild = 'best'): Promise<void> {
  await writeFileAtomic(path, await seal(utf8(JSON.stringify(value)), key, ad, build));
}

export async function readSealedJson<T>(path: string, key: Uint8Array, ad: string, build: SodiumBuild = 'best'): Promise<SealedRead<T>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'damaged' };
  }
  const plain = await open(bytes, key, ad, build);
  if (!plain) return { state: 'damaged' };
  try {
    return { state: 'ok', value: JSON.parse(fromUtf8(plain)) as T };
  } catch {
    return { state: 'damaged' };
  }
}
