import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64, utf8 } from '../../../../main/core/crypto/bytes.js';
import { sealMetadata } from '../../../../main/core/crypto/envelope.js';
import { sealFileValue } from '../../../../main/core/crypto/file-stream.js';
import { loadSodium } from '../../../../main/core/crypto/sodium.js';
import { deriveVaultKeys, type VaultKeys } from '../../../../main/core/crypto/vault-keys.js';
import { openVerifiedFile, plainSizeOf } from '../../../../main/core/files/verified-download.js';

// What a download delivers, byte for byte, when the server tampers with a file: every byte counted
// and checked before the last one leaves. Metadata written before format 1.1 (no sealed size) is
// the hard case: nothing but the value itself says how long the file is.

async function sealed(keys: VaultKeys, content: Uint8Array): Promise<string> {
  let value = '';
  for await (const piece of sealFileValue(keys, '', 'f', (async function* () { yield content; })(), content.length)) value += piece;
  return value;
}

/** Metadata as written before 1.1: only the descriptive fields are sealed; `size` is a clear hint. */
async function legacyMetadata(keys: VaultKeys, size: number, sha256: string) {
  const sodium = await loadSodium();
  const nonce = sodium.randombytes_buf(24);
  const c = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(utf8(JSON.stringify({ filename: 'f.bin', content_type: 'application/octet-stream', sha256, notes: '' })), utf8('hoody-vault/meta/v1\n\nf'), null, nonce, keys.meta);
  return { hv: 1, kind: 'file', size, sealed: toBase64(new Uint8Array([...nonce, ...c])) };
}

/** What a consumer (the serve download) receives before the stream ends or fails. */
async function consume(chunks: AsyncIterable<Uint8Array>): Promise<{ delivered: number; error?: string }> {
  let delivered = 0;
  try {
    for await (const chunk of chunks) delivered += chunk.length;
    return { delivered };
  } catch (error) {
    return { delivered, error: (error as Error).message };
  }
}

describe('a verified file download', () => {
  const content = new Uint8Array(randomBytes(3 * 65_536 + 1000));
  const sha = createHash('sha256').update(content).digest('hex');

  it('delivers every byte with the size computed from the value, whatever the clear size says', async () => {
    const keys = await deriveVaultKeys(new Uint8Array(randomBytes(32)), 'id');
    const value = await sealed(keys, content);
    expect(plainSizeOf(value)).toBe(content.length);
    const opened = await openVerifiedFile(keys, '', 'f', { value, metadata: await sealMetadata(keys, '', 'f', 'file', content.length, { sha256: sha }) });
    expect(opened.size).toBe(content.length);
    expect(await consume(opened.chunks)).toEqual({ delivered: content.length });
    const hinted = await openVerifiedFile(keys, '', 'f', { value, metadata: await legacyMetadata(keys, 10, sha) });
    expect(hinted.size).toBe(content.length);
  });

  it('cut after a chunk (no FINAL tag), ends with an error before the last chunk it has leaves', async () => {
    const keys = await deriveVaultKeys(new Uint8Array(randomBytes(32)), 'id');
    const value = await sealed(keys, content);
    const match = /^(\{"hv":1,"f":65536,"s":")([^"]*)("\})$/.exec(value)!;
    const cut = `${match[1]}${Buffer.from(match[2]!, 'base64').subarray(0, 24 + 2 * (65_536 + 17)).toString('base64')}${match[3]}`;
    const opened = await openVerifiedFile(keys, '', 'f', { value: cut, metadata: await legacyMetadata(keys, 2 * 65_536, sha) });
    expect(opened.size).toBe(2 * 65_536);
    const got = await consume(opened.chunks);
    console.log(`truncated download: ${got.delivered} of ${opened.size} bytes delivered, then: ${got.error}`);
    expect(got).toEqual({ delivered: 65_536, error: expect.stringContaining('does not open') });
  });

  it('whose bytes do not match the sealed SHA-256, ends with an error before its last chunk', async () => {
    const keys = await deriveVaultKeys(new Uint8Array(randomBytes(32)), 'id');
    const value = await sealed(keys, content);
    const opened = await openVerifiedFile(keys, '', 'f', { value, metadata: await legacyMetadata(keys, content.length, '0'.repeat(64)) });
    const got = await consume(opened.chunks);
    expect(got.error).toContain('SHA-256');
    expect(got.delivered).toBeLessThan(content.length);
  });
});
