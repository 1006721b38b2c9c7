import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSodium } from '../../../../main/core/crypto/sodium.js';
import { sealerBackend, startStreamSeal } from '../../../../main/core/crypto/stream-sealer.js';

// Files are sealed by the native libsodium binding where it loads and by the wasm build otherwise:
// both must write the one format, so a file sealed by either opens with the other (here the wasm
// build, which is what opens files everywhere).

const key = new Uint8Array(randomBytes(32));
const ad = new TextEncoder().encode('hoody-vault/file/v1\n\nfile.bin');

async function openAll(header: Uint8Array, sealed: Uint8Array[], withAd = ad): Promise<{ plain: Buffer; tags: number[] } | undefined> {
  const sodium = await loadSodium();
  const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  const parts: Uint8Array[] = [];
  const tags: number[] = [];
  for (const chunk of sealed) {
    const result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, chunk, withAd);
    if (!result) return undefined;
    parts.push(result.message);
    tags.push(result.tag);
  }
  return { plain: Buffer.concat(parts), tags };
}

describe('stream sealing', () => {
  it('uses the native binding here: its prebuilt loads from the npm package, with no download or build', () => {
    expect(sealerBackend()).toBe('native');
  });

  it.each(['best', 'wasm'] as const)('seals with the %s build into chunks the wasm build opens, the last tagged FINAL', async (build) => {
    const sodium = await loadSodium();
    const chunks = [randomBytes(65_536), randomBytes(65_536), randomBytes(1_000)];
    const sealer = await startStreamSeal(key, ad, build);
    expect(sealer.backend).toBe(build === 'best' ? 'native' : 'wasm');
    expect(sealer.header).toHaveLength(24);
    const sealed = chunks.map((chunk, i) => sealer.push(chunk, i === chunks.length - 1));
    expect(sealed.map((s) => s.length)).toEqual(chunks.map((c) => c.length + 17));
    const opened = await openAll(sealer.header, sealed);
    expect(opened?.plain.equals(Buffer.concat(chunks))).toBe(true);
    expect(opened?.tags).toEqual([sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL]);
  });

  it('binds the chunks to their additional data (the realm and key name)', async () => {
    const sealer = await startStreamSeal(key, ad);
    const sealed = [sealer.push(randomBytes(100), true)];
    expect(await openAll(sealer.header, sealed, new TextEncoder().encode('hoody-vault/file/v1\n\nother.bin'))).toBeUndefined();
  });

  it('starts every stream with a fresh header, so two seals of one file differ', async () => {
    const a = await startStreamSeal(key, ad);
    const b = await startStreamSeal(key, ad);
    expect(Buffer.from(a.header).equals(Buffer.from(b.header))).toBe(false);
  });
});
