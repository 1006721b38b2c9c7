import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNativeSodium } from '../../../../main/core/crypto/native-sodium.js';
import { readSealedJson, writeSealedJson, type SodiumBuild } from '../../../../main/core/storage/sealed-file.js';
import { useTempDir } from '../../../support/temp-dir.js';

// This computer's sealed documents are read and written by the native libsodium binding where it
// loads and by the wasm build elsewhere: the two must make and accept the very same files, and
// refuse the same damage.

const tempDir = useTempDir();
const builds: SodiumBuild[] = ['best', 'wasm'];

describe('sealed documents', () => {
  it('are read by either build whichever build wrote them (here the native one loads)', async () => {
    expect(loadNativeSodium()).not.toBeNull();
    const dir = await tempDir();
    const key = new Uint8Array(randomBytes(32));
    // Large enough for the native binding (64 KiB and more), as a listing's record at scale is.
    const doc = { v: 1, items: Array.from({ length: 2000 }, (_, i) => ({ key: `entry-${i}`, notes: `notes ${i} – ünïcode` })) };
    expect(JSON.stringify(doc).length).toBeGreaterThan(64 * 1024);
    for (const writer of builds) {
      const path = join(dir, `${writer}.hvs`);
      await writeSealedJson(path, key, 'purpose\nowner', doc, writer);
      for (const reader of builds) expect(await readSealedJson(path, key, 'purpose\nowner', reader)).toEqual({ state: 'ok', value: doc });
    }
  });

  it('are refused as damaged by either build when a byte changed, they were cut short, or the key or purpose differs', async () => {
    const dir = await tempDir();
    const key = new Uint8Array(randomBytes(32));
    const path = join(dir, 'doc.hvs');
    await writeSealedJson(path, key, 'purpose', { secret: 'value', padding: 'x'.repeat(70_000) });
    const bytes = await readFile(path);
    for (const reader of builds) {
      expect(await readSealedJson(path, new Uint8Array(randomBytes(32)), 'purpose', reader)).toEqual({ state: 'damaged' });
      expect(await readSealedJson(path, key, 'another purpose', reader)).toEqual({ state: 'damaged' });
      for (const at of [5, 30, bytes.length - 1]) {
        const changed = Buffer.from(bytes);
        changed[at]! ^= 1;
        await writeFile(path, changed);
        expect(await readSealedJson(path, key, 'purpose', reader)).toEqual({ state: 'damaged' });
      }
      await writeFile(path, bytes.subarray(0, bytes.length - 5));
      expect(await readSealedJson(path, key, 'purpose', reader)).toEqual({ state: 'damaged' });
      await writeFile(path, bytes);
      expect(await readSealedJson(path, key, 'purpose', reader)).toEqual({ state: 'ok', value: { secret: 'value', padding: 'x'.repeat(70_000) } });
      expect(await readSealedJson(join(dir, 'missing.hvs'), key, 'purpose', reader)).toEqual({ state: 'missing' });
    }
  });
});
