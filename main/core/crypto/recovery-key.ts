import { base32crockford } from '@scure/base';
import { loadSodium } from './sodium.js';

// The recovery key: 32 random bytes the user keeps on paper or in a password manager. Written in
// Crockford base32 (no I, L, O, U; case-insensitive), with a 3-byte checksum so a typo is caught
// before any unlock attempt, in 14 groups of 4 after an HVRK prefix.

const PREFIX = 'HVRK';
const KEY_BYTES = 32;
const CHECK_BYTES = 3;

export async function newRecoveryKey(): Promise<{ bytes: Uint8Array; text: string }> {
  const sodium = await loadSodium();
  const bytes = sodium.randombytes_buf(KEY_BYTES);
  return { bytes, text: await formatRecoveryKey(bytes) };
}

export async function formatRecoveryKey(bytes: Uint8Array): Promise<string> {
  const sodium = await loadSodium();
  const check = sodium.crypto_generichash(16, bytes, null).slice(0, CHECK_BYTES);
  const body = base32crockford.encode(new Uint8Array([...bytes, ...check]));
  return [PREFIX, ...(body.match(/.{1,4}/g) ?? [])].join('-');
}

/** The key's bytes, or undefined when the text is not a well-formed recovery key (wrong length or checksum). */
export async function parseRecoveryKey(text: string): Promise<Uint8Array | undefined> {
  const sodium = await loadSodium();
  const compact = text.toUpperCase().replace(/[\s-]/g, '').replace(/^HVRK/, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  let decoded: Uint8Array;
  try {
    decoded = base32crockford.decode(compact);
  } catch {
    return undefined;
  }
  if (decoded.length !== KEY_BYTES + CHECK_BYTES) return undefined;
  const bytes = decoded.slice(0, KEY_BYTES);
  const check = sodium.crypto_generichash(16, bytes, null).slice(0, CHECK_BYTES);
  return sodium.memcmp(check, decoded.slice(KEY_BYTES)) ? bytes : undefined;
}
