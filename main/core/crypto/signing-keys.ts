import { loadSodium } from './sodium.js';

/** A fresh ED25519 key pair (libsodium crypto_sign): 32-byte public key, 64-byte secret key. */
export async function generateSigningKeyPair(): Promise<{ publicKey: Uint8Array; privateKey: Uint8Array }> {
  const sodium = await loadSodium();
  const pair = sodium.crypto_sign_keypair();
  return { publicKey: pair.publicKey, privateKey: pair.privateKey };
}
