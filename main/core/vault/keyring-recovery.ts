import type { VaultEntry } from '../../../common/hoody-types.js';
import { scopeName } from '../../../common/vault.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';
import { isEntryMetadata, keyringHint, openMetadata } from '../crypto/envelope.js';
import { rebuildKeyring, unwrapRecoveryWrap, type KeyringRecord } from '../crypto/keyring.js';
import type { Argon2Params } from '../crypto/kdf.js';
import { loadSodium } from '../crypto/sodium.js';
import { deriveVaultKeys, wipeVaultKeys } from '../crypto/vault-keys.js';
import { fetchStoredValues } from './bulk-fetch.js';

// When no scope holds a keyring but the entries are still there (another tool deleted
// `_hv.keyring`): setting up would make a second vault over the first one's values, so the app
// refuses and rebuilds the keyring instead, from the recovery key and the copy of the recovery
// wrapping each sealed secret carries in its value (`kr`).

/** How many secrets per scope are fetched to find the keyring hints they carry. */
const HINT_SAMPLE = 20;

export interface SealedScope {
  realmId: string;
  entries: VaultEntry[];
}

/** The scopes holding entries sealed by this app (whatever vault sealed them). */
export async function scopesWithSealedEntries(client: HoodyClient, scopes: string[]): Promise<SealedScope[]> {
  const found: SealedScope[] = [];
  for (const realmId of scopes) {
    const entries = (await client.listKeys(realmId || undefined)).filter((e) => isEntryMetadata(e.metadata));
    if (entries.length) found.push({ realmId, entries });
  }
  return found;
}

/** Why set-up is refused: the sealed entries already there, and what to do instead. */
export function secondVaultRefusal(sealed: SealedScope[]): CoreError {
  const count = sealed.reduce((sum, s) => sum + s.entries.length, 0);
  const where = sealed.map((s) => `“${scopeName(s.realmId)}”`).join(', ');
  return new CoreError(
    'CONFLICT',
    `This account already holds ${count} entr${count === 1 ? 'y' : 'ies'} sealed by Hoody Vault (in ${where}), but its keyring is gone: another tool deleted it. A new vault here would make those unreadable. Restore the keyring instead: with your recovery key here, or by unlocking on a computer that still opens this vault (it puts the keyring back by itself).`,
  );
}

export interface Rebuilt {
  record: KeyringRecord;
  vaultKey: Uint8Array;
  /** The scopes holding this vault's entries: where the rebuilt keyring goes. */
  scopes: string[];
}

/**
 * Rebuilds the keyring from the entries: each candidate recovery wrapping (by vault_id) is opened
 * with the recovery key, and the vault key it yields must open an entry's sealed metadata, so a
 * planted hint cannot pass for this vault. Undefined when the recovery key opens none.
 */
export async function rebuildFromEntries(client: HoodyClient, sealed: SealedScope[], recoveryKey: Uint8Array, passphrase: string, argon2: Argon2Params): Promise<Rebuilt | undefined> {
  const sodium = await loadSodium();
  const candidates = new Map<string, { nonce: string; wrapped_key: string }>();
  for (const { realmId, entries } of sealed) {
    // Every secret of a vault carries the same hint: a few values per scope find each vault there.
    const secrets = entries.filter((e) => isEntryMetadata(e.metadata) && e.metadata.kind === 'secret').slice(0, HINT_SAMPLE);
    for (const value of (await fetchStoredValues(client, realmId, secrets.map((e) => e.key))).values()) {
      const hint = value === undefined ? undefined : keyringHint(value);
      if (hint && !candidates.has(hint.id)) candidates.set(hint.id, { nonce: hint.n, wrapped_key: hint.w });
    }
  }
  if (!candidates.size) {
    throw new CoreError('NOT_FOUND', 'None of the entries here carries a copy of the keyring (they were written by an older version of this app), so it cannot be rebuilt from them. Unlock on a computer that still opens this vault: it puts the keyring back.');
  }
  for (const [vaultId, recovery] of candidates) {
    const vaultKey = await unwrapRecoveryWrap(vaultId, recovery, recoveryKey);
    if (!vaultKey) continue;
    const keys = await deriveVaultKeys(vaultKey, vaultId);
    const scopes: string[] = [];
    let createdAt = new Date().toISOString();
    for (const { realmId, entries } of sealed) {
      let holds = false;
      for (const entry of entries) {
        if (!isEntryMetadata(entry.metadata) || !(await openMetadata(keys, realmId, entry.key, entry.metadata))) continue;
        holds = true;
        if (entry.created_at < createdAt) createdAt = entry.created_at;
      }
      if (holds) scopes.push(realmId);
    }
    await wipeVaultKeys(keys);
    if (!scopes.length) {
      sodium.memzero(vaultKey);
      continue;
    }
    // The vault's true creation time went with the keyring; its oldest entry's is the closest truth.
    const record = await rebuildKeyring(vaultKey, vaultId, recovery, passphrase, createdAt, argon2);
    return { record, vaultKey, scopes };
  }
  return undefined;
}
