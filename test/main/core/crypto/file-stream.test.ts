import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FILE_CHUNK, fileValueLength, openFileValue, sealFileValue } from '../../../../main/core/crypto/file-stream.js';
import { deriveVaultKeys } from '../../../../main/core/crypto/vault-keys.js';

const keys = await deriveVaultKeys(new Uint8Array(randomBytes(32)), 'v');

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function seal(bytes: Uint8Array, pieceSize = 10_000, realm = '', key = 'file.bin') {
  const digest: { sha256?: string } = {};
  let text = '';
  const progress: number[] = [];
  for await (const piece of sealFileValue(keys, realm, key, pieces(bytes, pieceSize), bytes.length, (n) => progress.push(n), digest)) text += piece;
  return { text, digest, progress };
}

async function open(value: string, realm = '', key = 'file.bin'): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of openFileValue(keys, realm, key, value)) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

describe('sealed files', () => {
  it.each([0, 1, 2, 3, FILE_CHUNK - 1, FILE_CHUNK, FILE_CHUNK + 1, 3 * FILE_CHUNK + 17, 1_000_003])('round-trips %i random bytes byte for byte, at the exact predicted length', async (size) => {
    const bytes = new Uint8Array(randomBytes(size));
    const { text, digest, progress } = await seal(bytes, 7_777);
    expect(text.length).toBe(fileValueLength(size));
    expect(Buffer.from(await open(text)).equals(Buffer.from(bytes))).toBe(true);
    expect(digest.sha256).toBe((await import('node:crypto')).createHash('sha256').update(bytes).digest('hex'));
    if (size) expect(progress.at(-1)).toBe(size);
  });

  it('refuses a truncated stream (the FINAL chunk missing)', async () => {
    const { text } = await seal(new Uint8Array(randomBytes(3 * FILE_CHUNK)));
    const sealed = Buffer.from(JSON.parse(text).s, 'base64');
    const cut = sealed.subarray(0, 24 + 2 * (FILE_CHUNK + 17));
    await expect(open(`{"hv":1,"f":${FILE_CHUNK},"s":"${cut.toString('base64')}"}`)).rejects.toMatchObject({ code: 'UNREADABLE' });
  });

  it('refuses a flipped bit, another key name or realm, and reordered chunks', async () => {
    const { text } = await seal(new Uint8Array(randomBytes(2 * FILE_CHUNK + 5)));
    const sealed = Buffer.from(JSON.parse(text).s, 'base64');
    const flipped = Buffer.from(sealed);
    flipped[100]! ^= 1;
    await expect(open(`{"hv":1,"f":${FILE_CHUNK},"s":"${flipped.toString('base64')}"}`)).rejects.toMatchObject({ code: 'UNREADABLE' });
    await expect(open(text, '', 'other.bin')).rejects.toMatchObject({ code: 'UNREADABLE' });
    await expect(open(text, '507f1f77bcf86cd799439011')).rejects.toMatchObject({ code: 'UNREADABLE' });
    const c = FILE_CHUNK + 17;
    const swapped = Buffer.concat([sealed.subarray(0, 24), sealed.subarray(24 + c, 24 + 2 * c), sealed.subarray(24, 24 + c), sealed.subarray(24 + 2 * c)]);
    await expect(open(`{"hv":1,"f":${FILE_CHUNK},"s":"${swapped.toString('base64')}"}`)).rejects.toMatchObject({ code: 'UNREADABLE' });
  });

  it('refuses a file whose size changed while it was read', async () => {
    const bytes = new Uint8Array(randomBytes(1000));
    const drain = async (size: number) => {
      for await (const _ of sealFileValue(keys, '', 'f', pieces(bytes, 100), size)) void _;
    };
    await expect(drain(999)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(drain(1001)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('a sealed file value opened from its text in pieces (as the local copy reads it from disk)', () => {
  async function* textPieces(text: string, sizes: number[]): AsyncGenerator<string> {
    let at = 0;
    for (let i = 0; at < text.length; i += 1) {
      const size = sizes[i % sizes.length]!;
      yield text.slice(at, at + size);
      at += size;
    }
  }
  const openPieces = async (text: string, sizes: number[]) => {
    const parts: Uint8Array[] = [];
    for await (const part of openFileValue(keys, '', 'file.bin', textPieces(text, sizes))) parts.push(part);
    return Buffer.concat(parts);
  };

  it.each([[[1]], [[3, 7, 5000]], [[65_536]], [[1_000_000]]])('opens the same bytes whatever the pieces (%j characters)', async (sizes) => {
    for (const size of [0, 1, FILE_CHUNK + 2, 2 * FILE_CHUNK + 5]) {
      const bytes = new Uint8Array(randomBytes(size));
      const { text } = await seal(bytes);
      if (sizes[0] === 1 && size > FILE_CHUNK) continue; // one character at a time: the small ones suffice
      expect((await openPieces(text, sizes)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('refuses what the whole-value pattern refuses: a bad head, a stray character, padding mid-way, a missing end', async () => {
    const { text } = await seal(new Uint8Array(randomBytes(FILE_CHUNK + 10)));
    const body = text.slice(text.indexOf('"s":"') + 5, -2);
    const bad = [
      text.replace('"hv":1', '"hv":2'),
      `${text.slice(0, 5000)}!${text.slice(5001)}`,
      `{"hv":1,"f":${FILE_CHUNK},"s":"${body.slice(0, 8)}==${body.slice(10)}"}`,
      text.slice(0, -1),
      `${text}x`,
    ];
    for (const value of bad) {
      await expect(openPieces(value, [4099, 13])).rejects.toMatchObject({ code: 'UNREADABLE' });
      await expect(open(value)).rejects.toMatchObject({ code: 'UNREADABLE' });
    }
  });
});
