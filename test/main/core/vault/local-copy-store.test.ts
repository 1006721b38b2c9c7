import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCopyStore, sameCopy, type ScopeCopy } from '../../../../main/core/vault/local-copy-store.js';
import { useTempDir } from '../../../support/temp-dir.js';

// This computer's copy of a scope on its own: real sealed files in a temporary folder, no server.

const tempDir = useTempDir();
const key = () => new Uint8Array(randomBytes(32));

const copy = (realmId: string, value = 'sealed-envelope-of-db-password'): ScopeCopy => ({
  realmId,
  syncedAt: '2026-04-01T10:00:00.000Z',
  entries: [{ key: 'db-password', realm_id: realmId, metadata: { hv: 1, kind: 'secret', size: 9, sealed: 'AAAA' }, size_bytes: 40, created_at: '2026-03-01T00:00:00.000Z', updated_at: '2026-03-02T00:00:00.000Z' }],
  values: { 'db-password': value },
});

describe('the local copy store', () => {
  it('reads "missing" before the first sync, then exactly what was written', async () => {
    const store = new LocalCopyStore(await tempDir(), 'account-1');
    const cacheKey = key();
    expect(await store.read(cacheKey, '')).toEqual({ state: 'missing' });
    await store.write(cacheKey, copy(''));
    // Each write raises the copy's generation (its rollback counter).
    expect(await store.read(cacheKey, '')).toEqual({ state: 'ok', value: { ...copy(''), generation: 1 } });
    await store.write(cacheKey, copy('', 'newer'));
    expect(await store.read(cacheKey, '')).toMatchObject({ state: 'ok', value: { values: { 'db-password': 'newer' } } });
  });

  it('keeps one sealed file per scope, with no names or notes in clear', async () => {
    const dir = await tempDir();
    const store = new LocalCopyStore(dir, 'account-1');
    const cacheKey = key();
    await store.write(cacheKey, copy(''));
    await store.write(cacheKey, copy('0f0e0d0c-realm'));
    expect(store.pathFor('')).not.toBe(store.pathFor('0f0e0d0c-realm'));
    expect((await readdir(join(dir, 'copies'))).sort()).toEqual([store.pathFor(''), store.pathFor('0f0e0d0c-realm')].map((p) => p.split('/').at(-1)).sort());
    expect(await store.read(cacheKey, '0f0e0d0c-realm')).toEqual({ state: 'ok', value: { ...copy('0f0e0d0c-realm'), generation: 1 } });
    const bytes = (await readFile(store.pathFor(''))).toString('latin1');
    expect(bytes.startsWith('HVS1')).toBe(true);
    expect(bytes).not.toContain('db-password');
  });

  it('reads a copy as damaged when it was altered, sealed with another key, moved to another scope, or belongs to another account', async () => {
    const dir = await tempDir();
    const store = new LocalCopyStore(dir, 'account-1');
    const cacheKey = key();
    await store.write(cacheKey, copy(''));
    await store.write(cacheKey, copy('realm-b'));
    expect(await store.read(key(), '')).toEqual({ state: 'damaged' });
    expect(await new LocalCopyStore(dir, 'account-2').read(cacheKey, '')).toEqual({ state: 'damaged' });
    // The realm's copy put in place of the global one: the scope is bound, so it does not open.
    await writeFile(store.pathFor(''), await readFile(store.pathFor('realm-b')));
    expect(await store.read(cacheKey, '')).toEqual({ state: 'damaged' });
    const flipped = await readFile(store.pathFor('realm-b'));
    flipped[20]! ^= 0x80;
    await writeFile(store.pathFor('realm-b'), flipped);
    expect(await store.read(cacheKey, 'realm-b')).toEqual({ state: 'damaged' });
    await writeFile(store.pathFor('realm-b'), '');
    expect(await store.read(cacheKey, 'realm-b')).toEqual({ state: 'damaged' });
  });

  it('are the same whatever order the server listed the entries in (a sync that changed nothing writes nothing), and differ in any entry or value', () => {
    const entry = (key: string, updated = '2026-03-02T00:00:00.000Z') => ({ key, realm_id: '', metadata: { hv: 1, kind: 'secret', size: 9, sealed: `sealed-${key}` }, size_bytes: 40, created_at: '2026-03-01T00:00:00.000Z', updated_at: updated });
    const one: ScopeCopy = { realmId: '', syncedAt: '2026-04-01T10:00:00.000Z', entries: [entry('a'), entry('b'), entry('c')], values: { a: 'va', b: 'vb', c: 'vc' }, revisions: { a: 1 } };
    const shuffled: ScopeCopy = { ...one, syncedAt: '2026-04-01T11:00:00.000Z', entries: [entry('c'), entry('a'), entry('b')], values: { c: 'vc', b: 'vb', a: 'va' } };
    expect(sameCopy(one, shuffled)).toBe(true);
    expect(sameCopy(one, { ...shuffled, entries: [entry('c'), entry('a', '2026-03-03T00:00:00.000Z'), entry('b')] })).toBe(false);
    expect(sameCopy(one, { ...shuffled, values: { ...shuffled.values, b: 'other' } })).toBe(false);
    expect(sameCopy(one, { ...shuffled, entries: [entry('c'), entry('a')] })).toBe(false);
    expect(sameCopy(one, { ...shuffled, entries: [entry('c'), entry('a'), entry('d')] })).toBe(false);
    expect(sameCopy(one, { ...shuffled, revisions: { a: 2 } })).toBe(false);
    expect(sameCopy(one, { ...shuffled, files: { a: { updated_at: '2026-03-02T00:00:00.000Z', length: 10, size: 1 } } })).toBe(false);
  });
});
