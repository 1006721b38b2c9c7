import sodium from 'libsodium-wrappers-sumo';
import { describe, expect, it } from 'vitest';
import { openBackup, payloadText, sealBackup } from '../../../../main/core/backup/container.js';
import { envQuote, parseCsv, parseEnv } from '../../../../main/core/backup/formats.js';
import { assignKeys, slug } from '../../../../main/core/backup/naming.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';

// The pieces of backup and move that need no server: the encrypted backup opened from the format's
// text alone (raw libsodium calls, as docs/vault-format.md states them), .env quoting read back,
// CSV with quotes and line breaks, and key names.

describe('the encrypted backup', () => {
  it('opens with raw libsodium following docs/vault-format.md, and with the app', async () => {
    const payload = payloadText([{ kind: 'secret', realm_id: '', key: 'K', value: 'välue', notes: 'n' }], new Date('2026-11-28T00:00:00Z'));
    const file = await sealBackup(payload, 'Pässword one', MIN_ARGON2);
    await sodium.ready;
    const c = JSON.parse(file) as { kdf: { opslimit: number; memlimit: number; salt: string }; nonce: string; ciphertext: string };
    const key = sodium.crypto_pwhash(32, new TextEncoder().encode('Pässword one'.normalize('NFC')), Buffer.from(c.kdf.salt, 'base64'), c.kdf.opslimit, c.kdf.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, Buffer.from(c.ciphertext, 'base64'), new TextEncoder().encode('hoody-vault-backup/v1'), Buffer.from(c.nonce, 'base64'), key);
    expect(JSON.parse(new TextDecoder().decode(plain))).toEqual(JSON.parse(payload));
    expect((await openBackup(JSON.parse(file), 'Pässword one')).entries[0]).toMatchObject({ key: 'K', value: 'välue' });
    // One changed byte of the ciphertext, and it does not open.
    const bytes = Buffer.from(c.ciphertext, 'base64');
    bytes[0]! ^= 1;
    await expect(openBackup({ ...JSON.parse(file), ciphertext: bytes.toString('base64') }, 'Pässword one')).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
  }, 60_000);
});

describe('.env', () => {
  it('reads back every value it writes', () => {
    const values = ['plain', 'with "quotes" and \\ and $HOME', 'line1\nline2\r\n', ' spaces ', '# not a comment', ''];
    const text = values.map((v, i) => `K${i}=${envQuote(v)}`).join('\n');
    expect(parseEnv(text).records.map((r) => r.value)).toEqual(values);
  });
});

describe('CSV', () => {
  it('keeps quoted commas, doubled quotes and line breaks in a cell', () => {
    expect(parseCsv('"a","b,c"\r\n"d ""e""","f\r\ng"\r\n')).toEqual([
      ['a', 'b,c'],
      ['d "e"', 'f\r\ng'],
    ]);
  });
});

describe('key names', () => {
  it('are made of the characters the API accepts, the same every time, unique per scope', () => {
    expect(slug('  Ünïcödé / ☕ tea  ')).toBe('Unicode-tea');
    const records = [
      { source: 'A b', path: [], realmId: '' },
      { source: 'A b', path: [], realmId: '' },
      { source: 'A b', path: [], realmId: 'r' },
      { source: '☕', path: [], realmId: '' },
      { source: 'x'.repeat(400), path: ['g'], realmId: '' },
    ];
    const keys = assignKeys(records);
    expect(keys.slice(0, 4)).toEqual(['A-b', 'A-b-2', 'A-b', 'item']);
    expect(keys[4]!.length).toBeLessThanOrEqual(255);
    for (const key of keys) expect(key).toMatch(/^[a-zA-Z0-9._-]{1,255}$/);
    expect(assignKeys(records)).toEqual(keys);
  });
});
