import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';
import { fromUtf8, utf8 } from '../crypto/bytes.js';
import { loadSodium } from '../crypto/sodium.js';

// A JSON document kept on this computer, sealed with the vault's cache subkey (XChaCha20-Poly1305,
// the document's purpose and owner as additional data) and written atomically. Reading tells apart
// "there is none" from "there is one but it does not open" (tampered, truncated, another key): a
// damaged file is reported, never taken as valid.

const MAGIC = utf8('HVS1');

export type SealedRead<T> = { state: 'missing' } | { state: 'ok'; value: T } | { state: 'damaged' };

export async function writeSealedJson(path: string, key: Uint8Array, ad: string, value: unknown): Promise<void> {
  const sodium = await loadSodium();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(JSON.stringify(value)), utf8(ad), null, nonce, key);
  const out = new Uint8Array(MAGIC.length + nonce.length + sealed.length);
  out.set(MAGIC);
  out.set(nonce, MAGIC.length);
  out.set(sealed, MAGIC.length + nonce.length);
  await writeFileAtomic(path, out);
}

export async function readSealedJson<T>(path: string, key: Uint8Array, ad: string): Promise<SealedRead<T>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'damaged' };
  }
  const sodium = await loadSodium();
  const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (bytes.length < MAGIC.length + nonceBytes + 16 || !MAGIC.every((b, i) => bytes[i] === b)) return { state: 'damaged' };
  try {
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(MAGIC.length + nonceBytes), utf8(ad), bytes.subarray(MAGIC.length, MAGIC.length + nonceBytes), key);
    return { state: 'ok', value: JSON.parse(fromUtf8(plain)) as T };
  } catch {
    return { state: 'damaged' };
  }
}
