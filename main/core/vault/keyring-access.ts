import { scopeName } from '../../../common/vault.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';
import { rewrapPassphrase, unwrapWithPassphrase, unwrapWithRecoveryKey, type KeyringRecord } from '../crypto/keyring.js';
import type { Argon2Params } from '../crypto/kdf.js';
import { parseRecoveryKey } from '../crypto/recovery-key.js';
import { loadSodium } from '../crypto/sodium.js';
import { rebuildFromEntries, scopesWithSealedEntries, secondVaultRefusal, type Rebuilt } from './keyring-recovery.js';
import type { KeyringStore } from './keyring-store.js';
import type { UnlockGuard } from './unlock-guard.js';

// The keyring steps of unlocking, changing the passphrase and restoring, which need no session
// state: the session decides when, these do the opening and re-wrapping.

export type UnlockInput = { passphrase: string } | { recoveryKey: string };

/**
 * What the server says of a computer with no keyring copy: a vault (locked, with its record), none
 * (not-set-up), or entries sealed by a vault whose keyring is gone (keyring-missing, with why set-up
 * is refused: a second vault there would make them unreadable).
 */
export async function lookUpServerKeyring(
  store: KeyringStore,
  client: HoodyClient,
  scopes: string[],
): Promise<{ state: 'locked' | 'not-set-up' | 'keyring-missing'; record?: KeyringRecord; reason?: string; refusal?: CoreError }> {
  const found = await store.find(client, scopes);
  if (found) return { state: 'locked', record: found.record };
  const sealed = await scopesWithSealedEntries(client, scopes);
  if (!sealed.length) return { state: 'not-set-up' };
  const refusal = secondVaultRefusal(sealed);
  return { state: 'keyring-missing', reason: refusal.message, refusal };
}

const incompleteRecoveryKey = () =>
  new CoreError('INVALID_INPUT', 'That is not a complete recovery key: check it for typos.', { fields: { recoveryKey: 'is not a complete recovery key (check for typos)' } });

/**
 * The vault key from this computer's record, or else, for a passphrase, from the server's newer
 * record of the same vault (the passphrase was changed on another computer): that one is used, and
 * kept here, only because it opens with the passphrase just typed.
 */
export async function openRecord(store: KeyringStore, record: KeyringRecord, input: UnlockInput, newerOnServer: () => Promise<KeyringRecord | undefined>): Promise<{ record: KeyringRecord; vaultKey: Uint8Array | undefined }> {
  if ('passphrase' in input) {
    const vaultKey = await unwrapWithPassphrase(record, input.passphrase);
    if (vaultKey) return { record, vaultKey };
    const newer = await newerOnServer();
    const fromNewer = newer ? await unwrapWithPassphrase(newer, input.passphrase) : undefined;
    if (!newer || !fromNewer) return { record, vaultKey: undefined };
    await store.writeLocal(newer);
    return { record: newer, vaultKey: fromNewer };
  }
  const bytes = await parseRecoveryKey(input.recoveryKey);
  if (!bytes) throw incompleteRecoveryKey();
  const vaultKey = await unwrapWithRecoveryKey(record, bytes);
  (await loadSodium()).memzero(bytes);
  return { record, vaultKey };
}

/** A wrong passphrase or recovery key (already counted by the guard's run): answered at its field with the wait it armed. */
export function unlockRefusal(guard: UnlockGuard, input: UnlockInput): CoreError {
  const state = guard.state;
  const wait = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
  const field = 'passphrase' in input ? 'passphrase' : 'recoveryKey';
  return new CoreError('UNAUTHORIZED', `That ${field === 'passphrase' ? 'passphrase' : 'recovery key'} does not unlock this vault.${wait ? ` Wait ${wait} s before trying again.` : ''}`, {
    fields: { [field]: field === 'passphrase' ? 'is not the vault passphrase' : 'does not unlock this vault' },
    ...(wait ? { retryAfter: wait } : {}),
  });
}

/** Re-wraps the vault key under a new passphrase in every scope that holds this vault's keyring. */
export async function rewrapInScopes(store: KeyringStore, client: HoodyClient, scopes: string[], record: KeyringRecord, vaultKey: Uint8Array, passphrase: string, argon2: Argon2Params): Promise<{ next: KeyringRecord; updated: number; failed: string[] }> {
  const next = await rewrapPassphrase(record, vaultKey, passphrase, argon2);
  const failed: string[] = [];
  let updated = 0;
  for (const realmId of scopes) {
    try {
      const there = await store.fetch(client, realmId);
      if (!there || there.vault_id !== next.vault_id) continue;
      await store.put(client, realmId, next);
      updated += 1;
    } catch {
      failed.push(scopeName(realmId));
    }
  }
  await store.writeLocal(next);
  return { next, updated, failed };
}

/**
 * The keyring was deleted everywhere and this computer has no copy: rebuilt from the recovery key
 * and the entries (each secret carries the recovery wrapping) under the passphrase given, and put
 * back in every scope that holds the vault's entries. Wrong recovery keys count as failed unlocks.
 */
export async function restoreFromEntries(o: { store: KeyringStore; guard: UnlockGuard; client: HoodyClient; scopes: string[]; recoveryKey: string; passphrase: string; argon2: Argon2Params }): Promise<Rebuilt> {
  await o.guard.check();
  if (await o.store.find(o.client, o.scopes)) throw new CoreError('CONFLICT', 'This account has its keyring on the server: unlock with your passphrase or recovery key instead.');
  const bytes = await parseRecoveryKey(o.recoveryKey);
  if (!bytes) throw incompleteRecoveryKey();
  const sealed = await scopesWithSealedEntries(o.client, o.scopes);
  const rebuilt = await rebuildFromEntries(o.client, sealed, bytes, o.passphrase, o.argon2).finally(async () => (await loadSodium()).memzero(bytes));
  if (!rebuilt) {
    await o.guard.failed();
    throw new CoreError('UNAUTHORIZED', 'That recovery key does not open the entries of this account.', { fields: { recoveryKey: 'does not open these entries' } });
  }
  await o.guard.succeeded();
  for (const realmId of rebuilt.scopes) await o.store.put(o.client, realmId, rebuilt.record);
  await o.store.writeLocal(rebuilt.record);
  return rebuilt;
}
