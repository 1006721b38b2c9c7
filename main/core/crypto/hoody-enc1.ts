import { createDecipheriv, createCipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { fromBase64 } from './bytes.js';

// Hoody's own client-side format, as its SDK's vault-crypto writes it (docs/hoody-api/hoody-api.md):
// {"_enc":1,"alg":"AES-GCM-256","kdf":"PBKDF2","hash":"SHA-512","iter":600000,"salt","iv","ct",
// "impl"?,"rng"?}. Key = PBKDF2-HMAC-SHA-512(password UTF-8, salt, iter) → 32 bytes; AES-256-GCM,
// no additional data; `ct` is ciphertext || 16-byte tag. Every value has its own salt, so each
// costs a full PBKDF2. Node's pbkdf2 runs in libuv's thread pool, so it never blocks the main thread.
//
// Reading follows the SDK's decrypt(): `_enc` (exactly 1), `salt`, `iv` and `ct` are required; every
// other field is optional and takes the SDK's default when absent (or null, as the SDK's `??` does).
// A field that is present with another value than the SDK writes is refused: it names an algorithm
// we would not be running, so "opening" it could only be a coincidence or a lie.

const pbkdf2Async = promisify(pbkdf2);
export const ENC1_MIN_ITER = 100_000;
export const ENC1_MAX_ITER = 10_000_000;

/** What the SDK assumes for each optional field it does not find (lib/vault-crypto.ts). */
export const ENC1_DEFAULTS = { alg: 'AES-GCM-256', kdf: 'PBKDF2', hash: 'SHA-512', iter: 600_000 } as const;

export type Enc1Result = { ok: true; plaintext: string } | { ok: false; reason: 'malformed' | 'wrong-password' };

/** The field's value, or the SDK's default when it is absent or null. */
const orDefault = <T>(value: unknown, fallback: T): unknown => (value === undefined || value === null ? fallback : value);

export async function openHoodyEnc1(envelope: string, password: string): Promise<Enc1Result> {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(envelope) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof record !== 'object' || record === null) return { ok: false, reason: 'malformed' };
  const iter = orDefault(record.iter, ENC1_DEFAULTS.iter);
  const salt = fromBase64(record.salt);
  const iv = fromBase64(record.iv, 12);
  const ct = fromBase64(record.ct);
  // `impl` (which backend wrote it) and `rng` (which random source) are hints: both backends write
  // the same bytes, so neither changes how a value opens, whatever it says or if it is absent.
  const wellFormed =
    record._enc === 1 &&
    orDefault(record.alg, ENC1_DEFAULTS.alg) === ENC1_DEFAULTS.alg &&
    orDefault(record.kdf, ENC1_DEFAULTS.kdf) === ENC1_DEFAULTS.kdf &&
    orDefault(record.hash, ENC1_DEFAULTS.hash) === ENC1_DEFAULTS.hash &&
    typeof iter === 'number' &&
    Number.isInteger(iter) &&
    iter >= ENC1_MIN_ITER &&
    iter <= ENC1_MAX_ITER &&
    salt !== undefined &&
    salt.length >= 16 &&
    iv !== undefined &&
    ct !== undefined &&
    ct.length >= 16;
  if (!wellFormed) return { ok: false, reason: 'malformed' };
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iter as number, 32, 'sha512');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(ct.subarray(ct.length - 16));
    const plaintext = Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]);
    return { ok: true, plaintext: new TextDecoder('utf-8', { fatal: true }).decode(plaintext) };
  } catch {
    return { ok: false, reason: 'wrong-password' };
  } finally {
    key.fill(0);
  }
}

/** Writes the SDK's format (used by the benchmark's baseline and by tests, never by the app for new values). */
export async function sealHoodyEnc1(plaintext: string, password: string, iter: number = ENC1_DEFAULTS.iter): Promise<string> {
  const salt = randomBytes(32);
  const iv = randomBytes(12);
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iter, 32, 'sha512');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  key.fill(0);
  return JSON.stringify({ _enc: 1, alg: 'AES-GCM-256', kdf: 'PBKDF2', hash: 'SHA-512', iter, salt: salt.toString('base64'), iv: iv.toString('base64'), ct: ct.toString('base64') });
}
