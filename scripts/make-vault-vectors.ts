// Writes docs/vault-format-vectors.json: fixed inputs (keys, salts, nonces) run through the steps of
// docs/vault-format.md with raw libsodium calls only, not through the app's code. The app's tests
// then open these with the app's code, so the spec, this independent reading of it, and the app
// must all agree. Run: npx tsx scripts/make-vault-vectors.ts
import { writeFileSync } from 'node:fs';
import { base32crockford } from '@scure/base';
import sodium from 'libsodium-wrappers-sumo';

await sodium.ready;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fill = (length: number, start: number) => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const utf8 = (text: string) => new TextEncoder().encode(text);
const seal = (plain: Uint8Array, ad: string, nonce: Uint8Array, key: Uint8Array) => sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, utf8(ad), null, nonce, key);

const passphrase = 'correct horse battery staple';
const params = { opslimit: 2, memlimit: 64 * 1024 * 1024 };
const vaultKey = fill(32, 0x10);
const vaultId = b64(fill(16, 0x40));
const salt = fill(16, 0x60);
const recoveryKey = fill(32, 0x80);

const kek = sodium.crypto_pwhash(32, utf8(passphrase.normalize('NFC')), salt, params.opslimit, params.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
const passNonce = fill(24, 0xa0);
const wrappedByPass = seal(vaultKey, `hoody-vault/keyring/v1/passphrase/${vaultId}`, passNonce, kek);
const rkek = sodium.crypto_kdf_derive_from_key(32, 1, 'hvrecov1', recoveryKey);
const recNonce = fill(24, 0xc0);
const wrappedByRecovery = seal(vaultKey, `hoody-vault/keyring/v1/recovery/${vaultId}`, recNonce, rkek);
const check = sodium.crypto_generichash(16, recoveryKey, null).slice(0, 3);
const recoveryText = ['HVRK', ...(base32crockford.encode(new Uint8Array([...recoveryKey, ...check])).match(/.{1,4}/g) ?? [])].join('-');

const keyring = {
  format: 'hoody-vault-keyring',
  v: 1,
  vault_id: vaultId,
  created_at: '2026-11-26T00:00:00.000Z',
  updated_at: '2026-11-26T00:00:00.000Z',
  passphrase: { kdf: 'argon2id13', ...params, salt: b64(salt), nonce: b64(passNonce), wrapped_key: b64(wrappedByPass) },
  recovery: { nonce: b64(recNonce), wrapped_key: b64(wrappedByRecovery) },
};

const valueKey = sodium.crypto_kdf_derive_from_key(32, 1, 'hvvalue1', vaultKey);
const metaKey = sodium.crypto_kdf_derive_from_key(32, 1, 'hvmeta01', vaultKey);
const entries = [
  { realm_id: '', key: 'api-key', plaintext: 'sk_live_51Hx', notes: 'Stripe, production' },
  { realm_id: '507f1f77bcf86cd799439011', key: 'db.password', plaintext: 'ünïcödé — 🔐', notes: '' },
].map((entry, index) => {
  const nonce = fill(24, 0x20 + index);
  const c = seal(utf8(entry.plaintext), `hoody-vault/value/v1\n${entry.realm_id}\n${entry.key}`, nonce, valueKey);
  const metaNonce = fill(24, 0x30 + index);
  const sealedMeta = seal(utf8(JSON.stringify({ notes: entry.notes })), `hoody-vault/meta/v1\n${entry.realm_id}\n${entry.key}`, metaNonce, metaKey);
  return {
    ...entry,
    value: JSON.stringify({ hv: 1, n: b64(nonce), c: b64(c) }),
    metadata: { hv: 1, kind: 'secret', size: utf8(entry.plaintext).length, sealed: b64(new Uint8Array([...metaNonce, ...sealedMeta])) },
  };
});

const vectors = {
  description: 'Test vectors for docs/vault-format.md (v1). Made by scripts/make-vault-vectors.ts from fixed inputs with raw libsodium calls.',
  passphrase,
  vault_key_hex: hex(vaultKey),
  recovery_key: recoveryText,
  keyring_record: JSON.stringify(keyring),
  entries,
};
writeFileSync(new URL('../docs/vault-format-vectors.json', import.meta.url), `${JSON.stringify(vectors, null, 2)}\n`);
console.log('wrote docs/vault-format-vectors.json');
