import { z } from 'zod';
import { CoreError } from '../core-error.js';
import { fromBase64, fromUtf8, passphraseBytes, toBase64, utf8 } from '../crypto/bytes.js';
import { argon2id, checkArgon2Params, type Argon2Params } from '../crypto/kdf.js';
import { loadSodium } from '../crypto/sodium.js';
import { HISTORY_MAX } from '../../../common/value-history.js';

// The files an export writes (docs/vault-format.md, "Backups and exports"):
// - the payload: `{"format":"hoody-vault-export","version":1,"exported_at","entries":[…]}`, each
//   entry in clear (a secret's value as text, a file's bytes in base64). Written as is, it is the
//   plain JSON export.
// - the encrypted backup: that payload's UTF-8 bytes sealed in one XChaCha20-Poly1305 message under a
//   key Argon2id derives from the export password, in a small JSON container that says how.
// One message rather than a stream: a backup is read whole to be previewed anyway, and one AEAD
// call is the easiest thing for another program to reproduce from the text alone.

export const PAYLOAD_FORMAT = 'hoody-vault-export';
export const CONTAINER_FORMAT = 'hoody-vault-backup';
const CONTAINER_AD = 'hoody-vault-backup/v1';

const entrySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('secret'),
    realm_id: z.string(),
    key: z.string(),
    value: z.string(),
    notes: z.string(),
    // Earlier values, newest first (docs/vault-format.md, "Value history"); absent when there are none
    // and in exports written before histories existed.
    history: z.array(z.strictObject({ value: z.string(), at: z.string() })).max(HISTORY_MAX).optional(),
  }),
  z.strictObject({
    kind: z.literal('file'),
    realm_id: z.string(),
    key: z.string(),
    value_b64: z.string(),
    notes: z.string(),
    filename: z.string(),
    content_type: z.string(),
  }),
]);
export type PayloadEntry = z.infer<typeof entrySchema>;

export const payloadSchema = z.strictObject({
  format: z.literal(PAYLOAD_FORMAT),
  version: z.literal(1),
  exported_at: z.string(),
  entries: z.array(entrySchema),
});
export type Payload = z.infer<typeof payloadSchema>;

const containerSchema = z.strictObject({
  format: z.literal(CONTAINER_FORMAT),
  version: z.literal(1),
  kdf: z.strictObject({ alg: z.literal('argon2id13'), opslimit: z.number().int(), memlimit: z.number().int(), salt: z.string() }),
  nonce: z.string(),
  ciphertext: z.string(),
});

export function payloadText(entries: PayloadEntry[], exportedAt: Date): string {
  const payload: Payload = { format: PAYLOAD_FORMAT, version: 1, exported_at: exportedAt.toISOString(), entries };
  return `${JSON.stringify(payload, null, 1)}\n`;
}

export function parsePayload(value: unknown): Payload {
  const parsed = payloadSchema.safeParse(value);
  if (!parsed.success) throw new CoreError('INVALID_INPUT', 'This is not a Hoody Vault export (or a damaged one).', { fields: { text: 'is not a hoody-vault-export file' } });
  return parsed.data;
}

/** Seals the payload under the export password. */
export async function sealBackup(payload: string, password: string, params: Argon2Params): Promise<string> {
  const sodium = await loadSodium();
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const key = await argon2id(passphraseBytes(password), salt, params);
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(payload), utf8(CONTAINER_AD), null, nonce, key);
  sodium.memzero(key);
  const container = {
    format: CONTAINER_FORMAT,
    version: 1,
    kdf: { alg: 'argon2id13', opslimit: params.opslimit, memlimit: params.memlimit, salt: toBase64(salt) },
    nonce: toBase64(nonce),
    ciphertext: toBase64(ciphertext),
  };
  return `${JSON.stringify(container)}\n`;
}

export function isBackupContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === CONTAINER_FORMAT;
}

/** Opens a backup with its password; a wrong password and a damaged file look the same to AEAD, and are said so. */
export async function openBackup(value: unknown, password: string | undefined): Promise<Payload> {
  const parsed = containerSchema.safeParse(value);
  if (!parsed.success) throw new CoreError('INVALID_INPUT', 'This is not a Hoody Vault backup (or a damaged one).', { fields: { text: 'is not a hoody-vault-backup file' } });
  if (password === undefined) throw new CoreError('PASSWORD_REQUIRED', 'Enter the password this backup was exported with.', { fields: { password: 'is needed to open this backup' } });
  const { kdf, nonce, ciphertext } = parsed.data;
  checkArgon2Params(kdf);
  const sodium = await loadSodium();
  const salt = fromBase64(kdf.salt, sodium.crypto_pwhash_SALTBYTES);
  const n = fromBase64(nonce, sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const c = fromBase64(ciphertext);
  if (!salt || !n || !c) throw new CoreError('INVALID_INPUT', 'This backup is damaged (its salt, nonce or ciphertext is not base64 of the right length).', { fields: { text: 'is damaged' } });
  const key = await argon2id(passphraseBytes(password), salt, { opslimit: kdf.opslimit, memlimit: kdf.memlimit });
  let plain: Uint8Array;
  try {
    plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, utf8(CONTAINER_AD), n, key);
  } catch {
    throw new CoreError('PASSWORD_REQUIRED', 'That password does not open this backup (or the file was changed).', { fields: { password: 'does not open this backup' } });
  } finally {
    sodium.memzero(key);
  }
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(plain));
  } catch {
    throw new CoreError('INVALID_INPUT', 'This backup opened but holds no readable export.', { fields: { text: 'is damaged' } });
  }
  return parsePayload(json);
}
