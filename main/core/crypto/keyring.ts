import { z } from 'zod';
import { CoreError } from '../core-error.js';
import { fromBase64, passphraseBytes, toBase64, utf8 } from './bytes.js';
import { argon2id, checkArgon2Params, DEFAULT_ARGON2, type Argon2Params } from './kdf.js';
import { newRecoveryKey } from './recovery-key.js';
import { loadSodium, scrubStack } from './sodium.js';

// The keyring record: the vault key (VK), wrapped twice (by a key from the passphrase, by a key
// from the recovery key), stored as the value of a reserved vault entry in every scope the app
// writes to. Format: docs/vault-format.md.

export const KEYRING_KEY = '_hv.keyring';
export const KEYRING_FORMAT = 'hoody-vault-keyring';
const RECOVERY_CONTEXT = 'hvrecov1';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
export const keyringRecordSchema = z.object({
  format: z.literal(KEYRING_FORMAT),
  v: z.literal(1),
  vault_id: b64,
  created_at: z.string(),
  updated_at: z.string(),
  passphrase: z.object({
    kdf: z.literal('argon2id13'),
    opslimit: z.number().int(),
    memlimit: z.number().int(),
    salt: b64,
    nonce: b64,
    wrapped_key: b64,
  }),
  recovery: z.object({ nonce: b64, wrapped_key: b64 }),
});
export type KeyringRecord = z.infer<typeof keyringRecordSchema>;

const wrapAd = (method: 'passphrase' | 'recovery', vaultId: string) => utf8(`hoody-vault/keyring/v1/${method}/${vaultId}`);

async function wrap(kek: Uint8Array, vaultKey: Uint8Array, method: 'passphrase' | 'recovery', vaultId: string) {
  const sodium = await loadSodium();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const wrapped = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(vaultKey, wrapAd(method, vaultId), null, nonce, kek);
  return { nonce: toBase64(nonce), wrapped_key: toBase64(wrapped) };
}

async function unwrap(kek: Uint8Array, sealed: { nonce: string; wrapped_key: string }, method: 'passphrase' | 'recovery', vaultId: string): Promise<Uint8Array | undefined> {
  const sodium = await loadSodium();
  const nonce = fromBase64(sealed.nonce, sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const wrapped = fromBase64(sealed.wrapped_key, 32 + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES);
  if (!nonce || !wrapped) return undefined;
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrapped, wrapAd(method, vaultId), nonce, kek);
  } catch {
    return undefined;
  } finally {
    scrubStack(sodium);
  }
}

async function recoveryKek(recoveryKey: Uint8Array): Promise<Uint8Array> {
  const sodium = await loadSodium();
  const kek = sodium.crypto_kdf_derive_from_key(32, 1, RECOVERY_CONTEXT, recoveryKey);
  scrubStack(sodium);
  return kek;
}

async function passphraseKek(passphrase: string, salt: Uint8Array, params: Argon2Params): Promise<Uint8Array> {
  return argon2id(passphraseBytes(passphrase), salt, params);
}

export interface NewKeyring {
  record: KeyringRecord;
  vaultKey: Uint8Array;
  recoveryKey: { bytes: Uint8Array; text: string };
}

/** A fresh vault key, wrapped by the passphrase and by a fresh recovery key. */
export async function createKeyring(passphrase: string, params: Argon2Params = DEFAULT_ARGON2, now = new Date()): Promise<NewKeyring> {
  const sodium = await loadSodium();
  const vaultKey = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const vaultId = toBase64(sodium.randombytes_buf(16));
  const recoveryKey = await newRecoveryKey();
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const kek = await passphraseKek(passphrase, salt, params);
  const rkek = await recoveryKek(recoveryKey.bytes);
  const record: KeyringRecord = {
    format: KEYRING_FORMAT,
    v: 1,
    vault_id: vaultId,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    passphrase: { kdf: 'argon2id13', ...params, salt: toBase64(salt), ...(await wrap(kek, vaultKey, 'passphrase', vaultId)) },
    recovery: await wrap(rkek, vaultKey, 'recovery', vaultId),
  };
  sodium.memzero(kek);
  sodium.memzero(rkek);
  return { record, vaultKey, recoveryKey };
}

export function parseKeyringRecord(text: unknown): KeyringRecord | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const parsed = keyringRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The vault key, or undefined when the passphrase is wrong (or the record was altered). */
export async function unwrapWithPassphrase(record: KeyringRecord, passphrase: string): Promise<Uint8Array | undefined> {
  const sodium = await loadSodium();
  const params = { opslimit: record.passphrase.opslimit, memlimit: record.passphrase.memlimit };
  checkArgon2Params(params);
  const salt = fromBase64(record.passphrase.salt, sodium.crypto_pwhash_SALTBYTES);
  if (!salt) throw new CoreError('INVALID_INPUT', 'The vault keyring is damaged (its salt is unreadable).');
  const kek = await passphraseKek(passphrase, salt, params);
  try {
    return await unwrap(kek, record.passphrase, 'passphrase', record.vault_id);
  } finally {
    sodium.memzero(kek);
  }
}

export async function unwrapWithRecoveryKey(record: KeyringRecord, recoveryKey: Uint8Array): Promise<Uint8Array | undefined> {
  const sodium = await loadSodium();
  const kek = await recoveryKek(recoveryKey);
  try {
    return await unwrap(kek, record.recovery, 'recovery', record.vault_id);
  } finally {
    sodium.memzero(kek);
  }
}

/** The vault key from a recovery wrapping alone (a keyring being rebuilt from an entry's copy of it). */
export async function unwrapRecoveryWrap(vaultId: string, sealed: { nonce: string; wrapped_key: string }, recoveryKey: Uint8Array): Promise<Uint8Array | undefined> {
  const sodium = await loadSodium();
  const kek = await recoveryKek(recoveryKey);
  try {
    return await unwrap(kek, sealed, 'recovery', vaultId);
  } finally {
    sodium.memzero(kek);
  }
}

/**
 * A keyring rebuilt around an existing vault key (the record was deleted from the server): the
 * same vault_id and recovery wrapping, a fresh passphrase wrapping. Nothing sealed changes.
 */
export async function rebuildKeyring(
  vaultKey: Uint8Array,
  vaultId: string,
  recovery: { nonce: string; wrapped_key: string },
  passphrase: string,
  createdAt: string,
  params: Argon2Params = DEFAULT_ARGON2,
  now = new Date(),
): Promise<KeyringRecord> {
  const base: KeyringRecord = { format: KEYRING_FORMAT, v: 1, vault_id: vaultId, created_at: createdAt, updated_at: now.toISOString(), passphrase: { kdf: 'argon2id13', ...params, salt: '', nonce: '', wrapped_key: '' }, recovery };
  return rewrapPassphrase(base, vaultKey, passphrase, params, now);
}

/**
 * The same vault key under a new passphrase (and, when asked, new Argon2id parameters): nothing
 * sealed under the vault key changes. The recovery wrapping is kept as it is.
 */
export async function rewrapPassphrase(record: KeyringRecord, vaultKey: Uint8Array, passphrase: string, params: Argon2Params = DEFAULT_ARGON2, now = new Date()): Promise<KeyringRecord> {
  const sodium = await loadSodium();
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const kek = await passphraseKek(passphrase, salt, params);
  try {
    return {
      ...record,
      updated_at: now.toISOString(),
      passphrase: { kdf: 'argon2id13', ...params, salt: toBase64(salt), ...(await wrap(kek, vaultKey, 'passphrase', record.vault_id)) },
    };
  } finally {
    sodium.memzero(kek);
  }
}

/** Whether the record asks for less Argon2id work than today's default (then unlocking upgrades it). */
export const needsUpgrade = (record: KeyringRecord, target: Argon2Params = DEFAULT_ARGON2): boolean =>
  record.passphrase.opslimit * record.passphrase.memlimit < target.opslimit * target.memlimit;
