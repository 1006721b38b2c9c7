import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ENC1_DEFAULTS, openHoodyEnc1, sealHoodyEnc1 } from '../../../../main/core/crypto/hoody-enc1.js';

// Hoody's `_enc: 1` envelopes read as the SDK's decrypt() reads them (lib/vault-crypto.ts): each
// optional field, when absent or null, takes the SDK's default. The envelopes start from vectors the
// SDK itself wrote (test/fixtures/hoody-enc1-vectors.json), with one field taken out or changed.

const { vectors } = JSON.parse(await readFile(new URL('../../../fixtures/hoody-enc1-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ password: string; plaintext: string; envelope: string }>;
};
const vector = vectors[0]!;
const sdkRecord = JSON.parse(vector.envelope) as Record<string, unknown>;

const without = (field: string, record = sdkRecord) => JSON.stringify(Object.fromEntries(Object.entries(record).filter(([name]) => name !== field)));
const withField = (field: string, value: unknown, record = sdkRecord) => JSON.stringify({ ...record, [field]: value });
const opened = { ok: true, plaintext: vector.plaintext };
const malformed = { ok: false, reason: 'malformed' };

describe("Hoody _enc: 1, each optional field as the SDK reads it", () => {
  it('the SDK vector carries every optional field at its default (the baseline for the tests below)', async () => {
    expect(sdkRecord).toMatchObject({ ...ENC1_DEFAULTS, impl: 'webcrypto', rng: 'webcrypto' });
    expect(await openHoodyEnc1(vector.envelope, vector.password)).toEqual(opened);
  });

  it('iter: absent or null means 600000', async () => {
    expect(await openHoodyEnc1(without('iter'), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('iter', null), vector.password)).toEqual(opened);
    // The default really is 600000: an envelope made with 100000 passes no longer opens without it.
    const other = JSON.parse(await sealHoodyEnc1('made at 100000', 'pw', 100_000)) as Record<string, unknown>;
    expect(await openHoodyEnc1(JSON.stringify(other), 'pw')).toEqual({ ok: true, plaintext: 'made at 100000' });
    expect(await openHoodyEnc1(without('iter', other), 'pw')).toEqual({ ok: false, reason: 'wrong-password' });
    // Present, it must be an integer in the SDK's bounds.
    for (const bad of [99_999, 10_000_001, 600_000.5, '600000']) expect(await openHoodyEnc1(withField('iter', bad), vector.password)).toEqual(malformed);
  }, 30_000);

  it('alg: absent or null means AES-GCM-256; another algorithm is refused', async () => {
    expect(await openHoodyEnc1(without('alg'), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('alg', null), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('alg', 'AES-CBC-256'), vector.password)).toEqual(malformed);
  }, 30_000);

  it('kdf: absent or null means PBKDF2; another KDF is refused', async () => {
    expect(await openHoodyEnc1(without('kdf'), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('kdf', null), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('kdf', 'scrypt'), vector.password)).toEqual(malformed);
  }, 30_000);

  it('hash: absent or null means SHA-512; another hash is refused', async () => {
    expect(await openHoodyEnc1(without('hash'), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('hash', null), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('hash', 'SHA-256'), vector.password)).toEqual(malformed);
  }, 30_000);

  it('impl: a hint only (both SDK backends write the same bytes): absent or any value opens', async () => {
    expect(await openHoodyEnc1(without('impl'), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('impl', 'noble-js'), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('impl', 'some-future-backend'), vector.password)).toEqual(opened);
  }, 30_000);

  it('rng: audit information only: absent or any value opens', async () => {
    expect(await openHoodyEnc1(without('rng'), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('rng', 'pseudo-random'), vector.password)).toEqual(opened);
    expect(await openHoodyEnc1(withField('rng', 'node-crypto'), vector.password)).toEqual(opened);
  }, 30_000);

  it('only the required fields: _enc, salt, iv and ct are enough', async () => {
    const minimal = { _enc: 1, salt: sdkRecord.salt, iv: sdkRecord.iv, ct: sdkRecord.ct };
    expect(await openHoodyEnc1(JSON.stringify(minimal), vector.password)).toEqual(opened);
  }, 30_000);

  it('the required fields have no default: without any of them, or with _enc other than 1, it is malformed', async () => {
    for (const field of ['_enc', 'salt', 'iv', 'ct']) expect(await openHoodyEnc1(without(field), vector.password)).toEqual(malformed);
    for (const version of [0, 2, '1']) expect(await openHoodyEnc1(withField('_enc', version), vector.password)).toEqual(malformed);
  });
});
