// Writes docs/vault-format-realm-names-vector.json: the sealed realm names (docs/vault-format.md,
// "Realm names") made from fixed inputs with raw libsodium calls only, not the app's code, under the
// same vault key as docs/vault-format-vectors.json. The app's tests open it with the app's code
// (test/main/core/vault/realm-names-vector.test.ts) and the Python decoder from the spec alone
// (test/interop/decode_vectors.py). Kept in a file of its own so that this vector is made without
// making the others again. Run: npx tsx scripts/make-realm-names-vector.ts
import { writeFileSync } from 'node:fs';
import sodium from 'libsodium-wrappers-sumo';

await sodium.ready;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fill = (length: number, start: number) => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const utf8 = (text: string) => new TextEncoder().encode(text);

// The vault key of docs/vault-format-vectors.json.
const vaultKey = fill(32, 0x10);
const valueKey = sodium.crypto_kdf_derive_from_key(32, 1, 'hvvalue1', vaultKey);
const realmId = '';
const key = '_hv.realm-names';
const revision = 1764201600000;
const nonce = fill(24, 0xe0);

const document = {
  format: 'hoody-vault-realm-names',
  v: 1,
  names: {
    '507f1f77bcf86cd799439011': { name: 'Production 🚀', at: '2026-11-26T10:00:00.000Z' },
    '507f1f77bcf86cd799439012': { name: 'Staging', at: '2026-11-26T11:00:00.000Z' },
    // A removed name: kept as null with its time, so an older write merged later does not bring it back.
    '507f1f77bcf86cd799439013': { name: null, at: '2026-11-26T12:00:00.000Z' },
  },
};
const plaintext = JSON.stringify(document);
const ad = `hoody-vault/value/v1r\n${realmId}\n${key}\n${revision}`;
const c = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(plaintext), utf8(ad), null, nonce, valueKey);

const vector = {
  realm_id: realmId,
  key,
  metadata: { hv: 1, kind: 'realm-names' },
  revision,
  value: JSON.stringify({ hv: 1, n: b64(nonce), c: b64(c), r: revision }),
  plaintext,
  names: { '507f1f77bcf86cd799439011': 'Production 🚀', '507f1f77bcf86cd799439012': 'Staging' },
};
writeFileSync(new URL('../docs/vault-format-realm-names-vector.json', import.meta.url), `${JSON.stringify(vector, null, 1)}\n`);
console.log('wrote docs/vault-format-realm-names-vector.json');
