// Writes docs/vault-format-vectors.json: fixed inputs (keys, salts, nonces) run through the steps of
// docs/vault-format.md with raw libsodium calls only, not through the app's code. The app's tests
// then open these with the app's code, and a second decoder written from the spec alone
// (test/interop/decode_vectors.py, PyNaCl) opens them too, so the spec, this reading of it, the app
// and the second program must all agree. Run: npx tsx scripts/make-vault-vectors.ts
// Everything is fixed except the secretstream headers of the files (libsodium picks them at
// random), so a new run changes those two values and nothing else.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { base32crockford } from '@scure/base';
import sodium from 'libsodium-wrappers-sumo';

await sodium.ready;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fill = (length: number, start: number) => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
const seal = (plain: Uint8Array, ad: string, nonce: Uint8Array, key: Uint8Array) => sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, utf8(ad), null, nonce, key);
const kdf = (key: Uint8Array, ctx: string) => sodium.crypto_kdf_derive_from_key(32, 1, ctx, key);

const passphrase = 'correct horse battery staple';
const vaultKey = fill(32, 0x10);
const vaultId = b64(fill(16, 0x40));
const recoveryKey = fill(32, 0x80);
const time = '2026-11-26T00:00:00.000Z';

// The recovery wrapping is the same in both records (same vault, same recovery key).
const recNonce = fill(24, 0xc0);
const recovery = { nonce: b64(recNonce), wrapped_key: b64(seal(vaultKey, `hoody-vault/keyring/v1/recovery/${vaultId}`, recNonce, kdf(recoveryKey, 'hvrecov1'))) };
const check = sodium.crypto_generichash(16, recoveryKey, null).slice(0, 3);
const recoveryText = ['HVRK', ...(base32crockford.encode(concat(recoveryKey, check)).match(/.{1,4}/g) ?? [])].join('-');

/** One keyring record of this vault: the passphrase wrapping at the given Argon2id parameters. */
function keyringRecord(opslimit: number, memlimit: number, salt: Uint8Array, nonce: Uint8Array) {
  const kek = sodium.crypto_pwhash(32, utf8(passphrase.normalize('NFC')), salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  const wrapped = seal(vaultKey, `hoody-vault/keyring/v1/passphrase/${vaultId}`, nonce, kek);
  return JSON.stringify({
    format: 'hoody-vault-keyring',
    v: 1,
    vault_id: vaultId,
    created_at: time,
    updated_at: time,
    passphrase: { kdf: 'argon2id13', opslimit, memlimit, salt: b64(salt), nonce: b64(nonce), wrapped_key: b64(wrapped) },
    recovery,
  });
}
const keyrings = [
  { name: 'default: what the app writes (3 passes over 256 MiB)', record: keyringRecord(3, 256 * 1024 * 1024, fill(16, 0x70), fill(24, 0xb0)) },
  { name: 'floor: the lightest the app accepts (2 passes over 64 MiB)', record: keyringRecord(2, 64 * 1024 * 1024, fill(16, 0x60), fill(24, 0xa0)) },
];

const subkeys = { value: kdf(vaultKey, 'hvvalue1'), meta: kdf(vaultKey, 'hvmeta01'), file: kdf(vaultKey, 'hvfile01'), cache: kdf(vaultKey, 'hvcache1') };
let nonceSeed = 0x20;
const nextNonce = () => fill(24, nonceSeed++);

// Metadata as the app writes it now seals its kind and size too (checked against the clear ones);
// `legacy` is metadata as written before, with the descriptive fields only. Both must open.
function sealedMetadata(kind: 'secret' | 'file', realmId: string, key: string, size: number, meta: Record<string, string>, legacy = false) {
  const nonce = nextNonce();
  const inside = legacy ? meta : { ...meta, kind, size };
  return { hv: 1, kind, size, sealed: b64(concat(nonce, seal(utf8(JSON.stringify(inside)), `hoody-vault/meta/v1\n${realmId}\n${key}`, nonce, subkeys.meta))) };
}

// A secret with a revision (`r`, bound in the additional data), or without one (`revision`
// undefined): a value written before revisions existed, which readers must still open.
function secret(realmId: string, key: string, plaintext: string, notes: string, revision?: number) {
  const nonce = nextNonce();
  const ad = revision === undefined ? `hoody-vault/value/v1\n${realmId}\n${key}` : `hoody-vault/value/v1r\n${realmId}\n${key}\n${revision}`;
  const c = seal(utf8(plaintext), ad, nonce, subkeys.value);
  return {
    realm_id: realmId,
    key,
    kind: 'secret',
    plaintext,
    meta: { notes },
    ...(revision === undefined ? {} : { revision }),
    value: JSON.stringify({ hv: 1, n: b64(nonce), c: b64(c), ...(revision === undefined ? {} : { r: revision }) }),
    metadata: sealedMetadata('secret', realmId, key, utf8(plaintext).length, { notes }, revision === undefined),
  };
}

function file(realmId: string, key: string, content: Uint8Array, chunk: number, meta: { filename: string; content_type: string; notes: string }) {
  const ad = utf8(`hoody-vault/file/v1\n${realmId}\n${key}`);
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(subkeys.file);
  const pieces: Uint8Array[] = [header];
  const count = Math.max(1, Math.ceil(content.length / chunk));
  for (let i = 0; i < count; i += 1) {
    const tag = i === count - 1 ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    pieces.push(sodium.crypto_secretstream_xchacha20poly1305_push(state, content.subarray(i * chunk, (i + 1) * chunk), ad, tag));
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const sealedMeta = { filename: meta.filename, content_type: meta.content_type, sha256, notes: meta.notes };
  return {
    realm_id: realmId,
    key,
    kind: 'file',
    plaintext_b64: b64(content),
    meta: sealedMeta,
    value: `{"hv":1,"f":${chunk},"s":"${b64(concat(...pieces))}"}`,
    metadata: sealedMetadata('file', realmId, key, content.length, sealedMeta),
  };
}

const realm = '507f1f77bcf86cd799439011';
const entries = [
  secret('', 'api-key', 'sk_live_51Hx', 'Stripe, production', 1764115200000),
  // Written before revisions and sealed kind/size existed: still opens.
  secret(realm, 'db.password', 'ünïcödé — 🔐', ''),
  // A file as the app writes it (64 KiB chunks; this one fits in one), and one cut into three
  // 16-byte chunks, so a reader's chunk loop and its FINAL check are exercised.
  file('', 'readme.txt', utf8('Hello from a sealed file.\nSecond line.\n'), 65536, { filename: 'README.txt', content_type: 'text/plain', notes: 'a small text file' }),
  file(realm, 'blob.bin', fill(40, 0x00), 16, { filename: 'blob.bin', content_type: 'application/octet-stream', notes: '' }),
];

// The server's listing of a scope also holds the keyring entry: its metadata is not sealed.
const keyringEntry = { realm_id: '', key: '_hv.keyring', kind: 'keyring', value: keyrings[0]!.record, metadata: { hv: 1, kind: 'keyring' } };
const listed = (e: { realm_id: string; key: string; value: string; metadata: unknown }) => ({
  key: e.key,
  realm_id: e.realm_id,
  metadata: e.metadata,
  size_bytes: utf8(e.value).length + utf8(JSON.stringify(e.metadata)).length,
  created_at: time,
  updated_at: time,
});

// This computer's files for one account, in the account's folder.
const accountId = `${'64b7f0c2a1d3e4f5a6b7c8d9'}@127.0.0.1:8787`;
const accountFolder = `accounts/${createHash('sha256').update(accountId, 'utf8').digest('hex').slice(0, 24)}`;
const hvs = (json: unknown, ad: string) => {
  const nonce = nextNonce();
  return b64(concat(utf8('HVS1'), nonce, seal(utf8(JSON.stringify(json)), ad, nonce, subkeys.cache)));
};
const globalEntries = [keyringEntry, ...entries.filter((e) => e.realm_id === '')];
const copy = {
  realmId: '',
  syncedAt: '2026-11-26T01:00:00.000Z',
  entries: globalEntries.map(listed),
  values: Object.fromEntries(globalEntries.map((e) => [e.key, e.value])),
  revisions: { 'api-key': 1764115200000 },
  generation: 7,
};
// The same copy as written since revision 1.2: files' values out of the index, each in its own
// sealed file (secretstream under KDF(Kc, "hvcfile1"), 64 KiB of the value per chunk), named by a
// keyed BLAKE2b of realm, key and updated_at under KDF(Kc, "hvcname1").
const copyFileKeys = { seal: kdf(subkeys.cache, 'hvcfile1'), name: kdf(subkeys.cache, 'hvcname1') };
const copyFileName = (realmId: string, key: string, updatedAt: string) => `${hex(sodium.crypto_generichash(16, utf8(`${realmId}\n${key}\n${updatedAt}`), copyFileKeys.name))}.hvf`;
function copyFile(realmId: string, key: string, updatedAt: string, value: string) {
  const ad = utf8(`hoody-vault/copy-file/v1\n${accountId}\n${realmId}\n${key}\n${updatedAt}`);
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(copyFileKeys.seal);
  const bytes = utf8(value);
  const pieces: Uint8Array[] = [utf8('HVF1'), header];
  const count = Math.max(1, Math.ceil(bytes.length / 65536));
  for (let i = 0; i < count; i += 1) {
    const tag = i === count - 1 ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    pieces.push(sodium.crypto_secretstream_xchacha20poly1305_push(state, bytes.subarray(i * 65536, (i + 1) * 65536), ad, tag));
  }
  return { path: `${accountFolder}/copies/${realmId || 'global'}.files/${copyFileName(realmId, key, updatedAt)}`, key, file_b64: b64(concat(...pieces)) };
}
const globalFiles = entries.filter((e) => e.realm_id === '' && e.kind === 'file');
const copyNow = {
  realmId: '',
  syncedAt: '2026-11-26T01:30:00.000Z',
  entries: globalEntries.map(listed),
  values: Object.fromEntries(globalEntries.filter((e) => e.kind !== 'file').map((e) => [e.key, e.value])),
  files: Object.fromEntries(globalFiles.map((e) => [e.key, { updated_at: time, length: e.value.length, size: e.metadata.size }])),
  revisions: { 'api-key': 1764115200000 },
  generation: 8,
};

const offlineEdit = secret(realm, 'db.password', 'changed while offline', 'rotated', 1764118800000);
const outbox = [
  { op: 'save', realmId: realm, key: 'db.password', value: offlineEdit.value, metadata: offlineEdit.metadata, baseUpdatedAt: time, id: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b', madeAt: '2026-11-26T02:00:00.000Z' },
  { op: 'delete', realmId: '', key: 'api-key', baseUpdatedAt: time, id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', madeAt: '2026-11-26T02:05:00.000Z' },
];
// The outbox as the app writes it now: with its generation, the first change recorded as in flight.
const outboxNow = { generation: 12, ops: [{ ...outbox[0]!, sentAt: '2026-11-26T03:00:00.000Z', sentAs: 'db.password' }, outbox[1]!] };

const vectors = {
  description:
    'Test vectors for docs/vault-format.md (v1, revision 1.2). Made by scripts/make-vault-vectors.ts from fixed inputs with raw libsodium calls; ' +
    'opened by the app (test/main/core/crypto/vault-format-vectors.test.ts) and by an independent decoder (test/interop/decode_vectors.py).',
  passphrase,
  vault_key_hex: hex(vaultKey),
  subkeys_hex: { value: hex(subkeys.value), meta: hex(subkeys.meta), file: hex(subkeys.file), cache: hex(subkeys.cache) },
  recovery_key: recoveryText,
  recovery_key_hex: hex(recoveryKey),
  keyrings,
  keyring_entry: { realm_id: keyringEntry.realm_id, key: keyringEntry.key, metadata: keyringEntry.metadata },
  entries,
  local_copy: {
    account_id: accountId,
    account_folder: accountFolder,
    path: `${accountFolder}/copies/global.hvs`,
    realm_id: '',
    file_b64: hvs(copy, `hoody-vault/copy/v1\n${accountId}\n`),
    content: copy,
  },
  local_copy_with_files: {
    account_id: accountId,
    path: `${accountFolder}/copies/global.hvs`,
    realm_id: '',
    file_b64: hvs(copyNow, `hoody-vault/copy/v1\n${accountId}\n`),
    content: copyNow,
    files: globalFiles.map((e) => copyFile('', e.key, time, e.value)),
  },
  outbox: {
    account_id: accountId,
    path: `${accountFolder}/outbox.hvs`,
    file_b64: hvs(outbox, `hoody-vault/outbox/v1\n${accountId}`),
    content: outbox,
    opened_values: [{ key: 'db.password', realm_id: realm, plaintext: 'changed while offline', meta: { notes: 'rotated' } }],
  },
  outbox_with_generation: {
    account_id: accountId,
    path: `${accountFolder}/outbox.hvs`,
    file_b64: hvs(outboxNow, `hoody-vault/outbox/v1\n${accountId}`),
    content: outboxNow,
  },
};
writeFileSync(new URL('../docs/vault-format-vectors.json', import.meta.url), `${JSON.stringify(vectors, null, 2)}\n`);
console.log('wrote docs/vault-format-vectors.json');
