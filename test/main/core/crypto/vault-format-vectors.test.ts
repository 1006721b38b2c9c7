import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isEntryMetadata, openMetadata, openValue } from '../../../../main/core/crypto/envelope.js';
import { parseKeyringRecord, unwrapWithPassphrase, unwrapWithRecoveryKey } from '../../../../main/core/crypto/keyring.js';
import { parseRecoveryKey } from '../../../../main/core/crypto/recovery-key.js';
import { loadSodium } from '../../../../main/core/crypto/sodium.js';
import { deriveVaultKeys } from '../../../../main/core/crypto/vault-keys.js';

// docs/vault-format.md's vectors, made by an independent reading of the spec with raw libsodium
// calls (scripts/make-vault-vectors.ts), opened here with the app's own code.

interface Vectors {
  passphrase: string;
  vault_key_hex: string;
  recovery_key: string;
  keyring_record: string;
  entries: Array<{ realm_id: string; key: string; plaintext: string; notes: string; value: string; metadata: unknown }>;
}

const vectors = JSON.parse(await readFile(new URL('../../../../docs/vault-format-vectors.json', import.meta.url), 'utf8')) as Vectors;

describe('the vault format vectors', () => {
  it('unwrap the vault key with the passphrase and with the recovery key', async () => {
    const record = parseKeyringRecord(vectors.keyring_record)!;
    expect(record).toBeDefined();
    expect(Buffer.from((await unwrapWithPassphrase(record, vectors.passphrase))!).toString('hex')).toBe(vectors.vault_key_hex);
    const recovery = await parseRecoveryKey(vectors.recovery_key);
    expect(Buffer.from((await unwrapWithRecoveryKey(record, recovery!))!).toString('hex')).toBe(vectors.vault_key_hex);
  });

  it('open every value and its metadata, bound to realm and key', async () => {
    const keys = await deriveVaultKeys(Buffer.from(vectors.vault_key_hex, 'hex'), '');
    for (const entry of vectors.entries) {
      expect(await openValue(keys, entry.realm_id, entry.key, entry.value)).toBe(entry.plaintext);
      expect(isEntryMetadata(entry.metadata)).toBe(true);
      expect(await openMetadata(keys, entry.realm_id, entry.key, entry.metadata as never)).toEqual({ notes: entry.notes });
      expect(await openValue(keys, entry.realm_id, `${entry.key}x`, entry.value)).toBeUndefined();
    }
  });

  it('follow the spec step by step with libsodium alone (no app code)', async () => {
    const sodium = await loadSodium();
    const record = JSON.parse(vectors.keyring_record);
    const b = (s: string) => Buffer.from(s, 'base64');
    const kek = sodium.crypto_pwhash(32, new TextEncoder().encode(vectors.passphrase.normalize('NFC')), b(record.passphrase.salt), record.passphrase.opslimit, record.passphrase.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    const vk = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, b(record.passphrase.wrapped_key), `hoody-vault/keyring/v1/passphrase/${record.vault_id}`, b(record.passphrase.nonce), kek);
    const kv = sodium.crypto_kdf_derive_from_key(32, 1, 'hvvalue1', vk);
    const entry = vectors.entries[1]!;
    const { n, c } = JSON.parse(entry.value);
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, b(c), `hoody-vault/value/v1\n${entry.realm_id}\n${entry.key}`, b(n), kv);
    expect(new TextDecoder().decode(plain)).toBe(entry.plaintext);
  });
});
