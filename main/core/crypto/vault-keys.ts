import { loadSodium, scrubStack } from './sodium.js';

// The vault key (VK) never encrypts anything itself: each use gets its own subkey, derived with
// libsodium's crypto_kdf (BLAKE2b) under an 8-byte context, so a flaw in one use cannot spill into
// another.

export const SUBKEY_CONTEXTS = { value: 'hvvalue1', meta: 'hvmeta01', file: 'hvfile01', cache: 'hvcache1' } as const;
export type SubkeyName = keyof typeof SUBKEY_CONTEXTS;

export interface VaultKeys {
  vaultId: string;
  /**
   * The keyring's recovery wrapping of VK (public: it is in the keyring record on the server). Each
   * entry's clear metadata carries a copy, so the recovery key can rebuild a keyring another tool
   * deleted, given the entries (docs/vault-format.md, "A lost keyring").
   */
  recoveryWrap?: { nonce: string; wrapped_key: string };
  value: Uint8Array;
  meta: Uint8Array;
  file: Uint8Array;
  cache: Uint8Array;
}

export async function deriveVaultKeys(vaultKey: Uint8Array, vaultId: string): Promise<VaultKeys> {
  const sodium = await loadSodium();
  const derive = (name: SubkeyName) => sodium.crypto_kdf_derive_from_key(32, 1, SUBKEY_CONTEXTS[name], vaultKey);
  const keys = { vaultId, value: derive('value'), meta: derive('meta'), file: derive('file'), cache: derive('cache') };
  scrubStack(sodium);
  return keys;
}

/**
 * Overwrites every key with zeros (sodium.memzero): what locking does. libsodium's own copies go
 * too: its heap blocks are wiped as they are freed, and its stack here (see sodium.ts).
 */
export async function wipeVaultKeys(keys: VaultKeys | undefined, ...more: Array<Uint8Array | undefined>): Promise<void> {
  const sodium = await loadSodium();
  for (const key of [keys?.value, keys?.meta, keys?.file, keys?.cache, ...more]) if (key) sodium.memzero(key);
  scrubStack(sodium);
}
