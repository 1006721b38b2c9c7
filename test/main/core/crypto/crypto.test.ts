import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isEntryMetadata, openMetadata, openValue, sealMetadata, sealValue, valueFormat } from '../../../../main/core/crypto/envelope.js';
import { openHoodyEnc1, sealHoodyEnc1 } from '../../../../main/core/crypto/hoody-enc1.js';
import { MIN_ARGON2, prewarmArgon2 } from '../../../../main/core/crypto/kdf.js';
import {
  createKeyring,
  needsUpgrade,
  parseKeyringRecord,
  rewrapPassphrase,
  unwrapWithPassphrase,
  unwrapWithRecoveryKey,
} from '../../../../main/core/crypto/keyring.js';
import { formatRecoveryKey, parseRecoveryKey } from '../../../../main/core/crypto/recovery-key.js';
import { deriveVaultKeys, wipeVaultKeys } from '../../../../main/core/crypto/vault-keys.js';

// The lightest Argon2id the app accepts keeps these tests fast; the production default is tested once.
const FAST = MIN_ARGON2;

async function keys() {
  const keyring = await createKeyring('correct horse battery staple', FAST);
  return { keyring, keys: await deriveVaultKeys(keyring.vaultKey, keyring.record.vault_id) };
}

const tamper = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[bytes.length - 1]! ^= 0x01;
  return bytes.toString('base64');
};

describe('values', () => {
  it('round-trips text, including empty and non-ASCII, with a fresh nonce every time', async () => {
    const { keys: k } = await keys();
    for (const text of ['s3cret', '', 'ünïcödé — 🔐', 'x'.repeat(100_000)]) {
      const sealed = await sealValue(k, '', 'api-key', text);
      expect(valueFormat(sealed)).toBe('hv1');
      expect(await openValue(k, '', 'api-key', sealed)).toBe(text);
    }
    const a = JSON.parse(await sealValue(k, '', 'k', 'same'));
    const b = JSON.parse(await sealValue(k, '', 'k', 'same'));
    expect(a.n).not.toBe(b.n);
    expect(a.c).not.toBe(b.c);
  });

  it('refuses a tampered ciphertext or nonce', async () => {
    const { keys: k } = await keys();
    const sealed = JSON.parse(await sealValue(k, '', 'api-key', 'secret'));
    expect(await openValue(k, '', 'api-key', JSON.stringify({ ...sealed, c: tamper(sealed.c) }))).toBeUndefined();
    expect(await openValue(k, '', 'api-key', JSON.stringify({ ...sealed, n: tamper(sealed.n) }))).toBeUndefined();
    expect(await openValue(k, '', 'api-key', '{"hv":1,"n":"!!","c":"x"}')).toBeUndefined();
  });

  it('refuses a value moved under another key name or into another realm', async () => {
    const { keys: k } = await keys();
    const sealed = await sealValue(k, '507f1f77bcf86cd799439011', 'db-password', 'secret');
    expect(await openValue(k, '507f1f77bcf86cd799439011', 'db-password', sealed)).toBe('secret');
    expect(await openValue(k, '507f1f77bcf86cd799439011', 'db-password2', sealed)).toBeUndefined();
    expect(await openValue(k, '', 'db-password', sealed)).toBeUndefined();
    expect(await openValue(k, '507f1f77bcf86cd799439012', 'db-password', sealed)).toBeUndefined();
  });

  it('refuses a value sealed under another vault key', async () => {
    const one = await keys();
    const two = await keys();
    expect(await openValue(two.keys, '', 'k', await sealValue(one.keys, '', 'k', 'v'))).toBeUndefined();
  });

  it('tells its own envelopes, Hoody _enc envelopes and plain text apart', async () => {
    expect(valueFormat('hello')).toBe('plain');
    expect(valueFormat('{"api_key": "sk_test_123456", "encrypted": true}')).toBe('plain');
    expect(valueFormat('{"_enc":1,"ct":"x"}')).toBe('hoody-enc1');
    expect(valueFormat('{"_enc":"1"}')).toBe('plain');
    expect(valueFormat('{"hv":1,"n":"a","c":"b"}')).toBe('hv1');
    expect(valueFormat('[1,2]')).toBe('plain');
    // Our envelope has no `_enc`, so the SDK's test ("_enc is a number") never matches it.
    const { keys: k } = await keys();
    expect(typeof JSON.parse(await sealValue(k, '', 'k', 'v'))._enc).not.toBe('number');
  });
});

describe('metadata', () => {
  it('seals notes, name and type, leaving only kind and size in the clear, bound to realm and key', async () => {
    const { keys: k } = await keys();
    const meta = await sealMetadata(k, '', 'report.pdf', 'file', 1234, { notes: 'Q3 numbers', filename: 'report.pdf', content_type: 'application/pdf' });
    expect(isEntryMetadata(meta)).toBe(true);
    expect(Object.keys(meta).sort()).toEqual(['hv', 'kind', 'sealed', 'size']);
    // Whole words, not 'Q3': two characters turn up in random base64 about one run in thirty.
    expect(JSON.stringify(meta)).not.toContain('Q3 numbers');
    expect(JSON.stringify(meta)).not.toContain('application/pdf');
    expect(await openMetadata(k, '', 'report.pdf', meta)).toEqual({ notes: 'Q3 numbers', filename: 'report.pdf', content_type: 'application/pdf' });
    expect(await openMetadata(k, '', 'other', meta)).toBeUndefined();
    expect(await openMetadata(k, '', 'report.pdf', { ...meta, sealed: tamper(meta.sealed) })).toBeUndefined();
  });
});

describe('the keyring', () => {
  it('unwraps the vault key with the passphrase, and refuses a wrong one', async () => {
    const { record, vaultKey } = await createKeyring('correct horse battery staple', FAST);
    expect(await unwrapWithPassphrase(record, 'correct horse battery staple')).toEqual(vaultKey);
    expect(await unwrapWithPassphrase(record, 'Correct horse battery staple')).toBeUndefined();
    expect(await unwrapWithPassphrase(record, '')).toBeUndefined();
  });

  it('treats the same words typed in another Unicode form as the same passphrase', async () => {
    const composed = 'caf\u00e9 crème';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const { record, vaultKey } = await createKeyring(composed, FAST);
    expect(await unwrapWithPassphrase(record, decomposed)).toEqual(vaultKey);
  });

  it('unwraps the vault key with the recovery key, written as the user saw it, and catches a typo', async () => {
    const { record, vaultKey, recoveryKey } = await createKeyring('pw', FAST);
    expect(recoveryKey.text).toMatch(/^HVRK(-[0-9A-HJKMNP-TV-Z]{4}){14}$/);
    const typed = recoveryKey.text.toLowerCase().replaceAll('-', ' ');
    const bytes = await parseRecoveryKey(typed);
    expect(bytes).toEqual(recoveryKey.bytes);
    expect(await unwrapWithRecoveryKey(record, bytes!)).toEqual(vaultKey);
    const last = recoveryKey.text.at(-1) === '0' ? '1' : '0';
    expect(await parseRecoveryKey(recoveryKey.text.slice(0, -1) + last)).toBeUndefined();
    expect(await parseRecoveryKey('HVRK-1234')).toBeUndefined();
    const other = await createKeyring('pw', FAST);
    expect(await unwrapWithRecoveryKey(record, other.recoveryKey.bytes)).toBeUndefined();
    expect(await formatRecoveryKey(recoveryKey.bytes)).toBe(recoveryKey.text);
  });

  it('re-wraps under a new passphrase without changing the vault key, so old values still open', async () => {
    const { record, vaultKey, recoveryKey } = await createKeyring('old passphrase', FAST);
    const k = await deriveVaultKeys(vaultKey, record.vault_id);
    const sealed = await sealValue(k, '', 'k', 'kept');
    const next = await rewrapPassphrase(record, vaultKey, 'new passphrase', FAST);
    expect(await unwrapWithPassphrase(next, 'old passphrase')).toBeUndefined();
    const again = await unwrapWithPassphrase(next, 'new passphrase');
    expect(await openValue(await deriveVaultKeys(again!, next.vault_id), '', 'k', sealed)).toBe('kept');
    expect(await unwrapWithRecoveryKey(next, recoveryKey.bytes)).toEqual(vaultKey);
  });

  it('records its Argon2id parameters, and can be upgraded to stronger ones', async () => {
    const { record, vaultKey } = await createKeyring('pw', FAST);
    expect(record.passphrase).toMatchObject({ kdf: 'argon2id13', opslimit: FAST.opslimit, memlimit: FAST.memlimit });
    expect(needsUpgrade(record)).toBe(true);
    const stronger = { opslimit: 3, memlimit: 128 * 1024 * 1024 };
    const upgraded = await rewrapPassphrase(record, vaultKey, 'pw', stronger);
    expect(upgraded.passphrase).toMatchObject(stronger);
    expect(needsUpgrade(upgraded, stronger)).toBe(false);
    expect(await unwrapWithPassphrase(upgraded, 'pw')).toEqual(vaultKey);
  });

  it('refuses a record whose parameters were lowered to make guessing cheap', async () => {
    const { record } = await createKeyring('pw', FAST);
    await expect(unwrapWithPassphrase({ ...record, passphrase: { ...record.passphrase, opslimit: 1, memlimit: 8192 } }, 'pw')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses a record whose wrapped key was altered', async () => {
    const { record } = await createKeyring('pw', FAST);
    expect(await unwrapWithPassphrase({ ...record, passphrase: { ...record.passphrase, wrapped_key: tamper(record.passphrase.wrapped_key) } }, 'pw')).toBeUndefined();
    expect(await unwrapWithPassphrase({ ...record, vault_id: 'AAAAAAAAAAAAAAAAAAAAAA==' }, 'pw')).toBeUndefined();
  });

  it('parses only well-formed records', async () => {
    const { record } = await createKeyring('pw', FAST);
    expect(parseKeyringRecord(JSON.stringify(record))).toEqual(record);
    expect(parseKeyringRecord('{"format":"other"}')).toBeUndefined();
    expect(parseKeyringRecord('not json')).toBeUndefined();
  });

  it('derives the same key in a worker warmed ahead of time, and in a cold one for other parameters', async () => {
    const { record, vaultKey } = await createKeyring('warm me up', FAST);
    await prewarmArgon2(FAST);
    expect(await unwrapWithPassphrase(record, 'warm me up')).toEqual(vaultKey);
    await prewarmArgon2({ opslimit: 2, memlimit: 96 * 1024 * 1024 });
    expect(await unwrapWithPassphrase(record, 'warm me up')).toEqual(vaultKey);
    expect(await unwrapWithPassphrase(record, 'not warm')).toBeUndefined();
  });

  it('wipes keys with zeros on lock', async () => {
    const { keys: k } = await keys();
    await wipeVaultKeys(k);
    expect([...k.value, ...k.meta, ...k.cache].every((b) => b === 0)).toBe(true);
  });

  it('derives with the production parameters (3 passes over 256 MiB) in a worker thread', async () => {
    const { record, vaultKey } = await createKeyring('production strength');
    expect(record.passphrase).toMatchObject({ opslimit: 3, memlimit: 256 * 1024 * 1024 });
    expect(await unwrapWithPassphrase(record, 'production strength')).toEqual(vaultKey);
  }, 20_000);
});

describe("Hoody's own _enc: 1 envelopes", async () => {
  const { vectors } = JSON.parse(await readFile(new URL('../../../fixtures/hoody-enc1-vectors.json', import.meta.url), 'utf8')) as {
    vectors: Array<{ password: string; plaintext: string; envelope: string }>;
  };

  it.each(vectors.map((v) => [v.plaintext, v]))('opens the SDK vector %j with its password', async (_name, vector) => {
    expect(valueFormat(vector.envelope)).toBe('hoody-enc1');
    expect(await openHoodyEnc1(vector.envelope, vector.password)).toEqual({ ok: true, plaintext: vector.plaintext });
  });

  it('says wrong-password for a wrong password, and refuses tampered or malformed envelopes', async () => {
    const vector = vectors[0]!;
    expect(await openHoodyEnc1(vector.envelope, 'not it')).toEqual({ ok: false, reason: 'wrong-password' });
    const record = JSON.parse(vector.envelope);
    expect(await openHoodyEnc1(JSON.stringify({ ...record, ct: tamper(record.ct) }), vector.password)).toEqual({ ok: false, reason: 'wrong-password' });
    expect(await openHoodyEnc1(JSON.stringify({ ...record, iv: Buffer.alloc(16).toString('base64') }), vector.password)).toEqual({ ok: false, reason: 'malformed' });
    expect(await openHoodyEnc1(JSON.stringify({ ...record, iter: 1000 }), vector.password)).toEqual({ ok: false, reason: 'malformed' });
    expect(await openHoodyEnc1(JSON.stringify({ ...record, salt: Buffer.alloc(8).toString('base64') }), vector.password)).toEqual({ ok: false, reason: 'malformed' });
    expect(await openHoodyEnc1('{"_enc":1}', vector.password)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('round-trips through the same format as written by the app for its baseline', async () => {
    const sealed = await sealHoodyEnc1('baseline', 'pw', 100_000);
    expect(await openHoodyEnc1(sealed, 'pw')).toEqual({ ok: true, plaintext: 'baseline' });
  });
});
