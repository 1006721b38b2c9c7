import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EntryMetadata } from '../../../../main/core/crypto/envelope.js';
import { OutboxStore, type NewOutboxOp } from '../../../../main/core/vault/outbox-store.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The outbox on its own: a real sealed file in a temporary folder, a random cache key, no server.

const tempDir = useTempDir();
const metadata: EntryMetadata = { hv: 1, kind: 'secret', size: 5, sealed: 'AAAA' };
const save = (key: string, baseUpdatedAt: string | null = null, realmId = ''): NewOutboxOp => ({ op: 'save', realmId, key, value: `sealed value of ${key}`, metadata, baseUpdatedAt });
const del = (key: string, baseUpdatedAt: string | null, realmId = ''): NewOutboxOp => ({ op: 'delete', realmId, key, baseUpdatedAt });

async function outbox(dir?: string, key = new Uint8Array(randomBytes(32)), accountId = 'account-1') {
  const folder = dir ?? (await tempDir());
  return { store: new OutboxStore(folder, accountId, () => key), dir: folder, key };
}

describe('the outbox store', () => {
  it('starts empty when there is no file, and writes none until something is added', async () => {
    const { store, dir } = await outbox();
    expect(await store.load()).toEqual({});
    expect(store.ops).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('appends changes in order, each with its own id and time, and a restart reads them back', async () => {
    const { store, dir, key } = await outbox();
    const before = Date.now();
    const a = await store.append(save('first'));
    const b = await store.append(del('second', '2026-01-01T00:00:00.000Z'));
    const c = await store.append(save('third', null, 'realm-1'));
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(Date.parse(a.madeAt)).toBeGreaterThanOrEqual(before);
    expect(store.ops.map((op) => [op.op, op.realmId, op.key])).toEqual([
      ['save', '', 'first'],
      ['delete', '', 'second'],
      ['save', 'realm-1', 'third'],
    ]);
    const reopened = (await outbox(dir, key)).store;
    await reopened.load();
    expect(reopened.ops).toEqual(store.ops);
  });

  it('keeps names and values sealed on disk', async () => {
    const { store, dir } = await outbox();
    await store.append(save('production-database-password'));
    const bytes = await readFile(join(dir, 'outbox.hvs'));
    expect(bytes.subarray(0, 4).toString()).toBe('HVS1');
    expect(bytes.toString('latin1')).not.toContain('production-database-password');
    expect(bytes.toString('latin1')).not.toContain('sealed value of');
  });

  it('removes a change by id and keeps the rest in order', async () => {
    const { store, dir, key } = await outbox();
    const a = await store.append(save('a'));
    const b = await store.append(save('b'));
    const c = await store.append(save('c'));
    await store.remove(b.id);
    expect(store.ops.map((op) => op.id)).toEqual([a.id, c.id]);
    const reopened = (await outbox(dir, key)).store;
    await reopened.load();
    expect(reopened.ops.map((op) => op.id)).toEqual([a.id, c.id]);
  });

  it('rebases only the later changes to the same entry in the same scope, and persists it', async () => {
    const { store, dir, key } = await outbox();
    await store.append(save('shared', '2026-01-01T00:00:00.000Z'));
    await store.append(save('shared', '2026-01-01T00:00:00.000Z', 'realm-1'));
    await store.append(save('other', '2026-01-01T00:00:00.000Z'));
    await store.append(del('shared', '2026-01-01T00:00:00.000Z'));
    await store.rebase('', 'shared', '2026-02-02T00:00:00.000Z');
    expect(store.ops.map((op) => [op.realmId, op.key, op.baseUpdatedAt])).toEqual([
      ['', 'shared', '2026-02-02T00:00:00.000Z'],
      ['realm-1', 'shared', '2026-01-01T00:00:00.000Z'],
      ['', 'other', '2026-01-01T00:00:00.000Z'],
      ['', 'shared', '2026-02-02T00:00:00.000Z'],
    ]);
    // After a delete went through, what follows is based on "no entry" (null).
    await store.rebase('realm-1', 'shared', null);
    expect(store.ops[1]!.baseUpdatedAt).toBeNull();
    const reopened = (await outbox(dir, key)).store;
    await reopened.load();
    expect(reopened.ops).toEqual(store.ops);
  });

  it('does not rewrite the file when a rebase touches nothing', async () => {
    const { store, dir } = await outbox();
    await store.append(save('a', '2026-01-01T00:00:00.000Z'));
    const before = await readFile(join(dir, 'outbox.hvs'));
    await store.rebase('', 'not-waiting', '2026-03-03T00:00:00.000Z');
    // A new write would carry a fresh random nonce, so equal bytes mean no write.
    expect((await readFile(join(dir, 'outbox.hvs'))).equals(before)).toBe(true);
  });

  it('moves a damaged file aside (kept byte for byte), reports it, and starts afresh', async () => {
    const { store, dir, key } = await outbox();
    await store.append(save('waiting'));
    const path = join(dir, 'outbox.hvs');
    const damaged = await readFile(path);
    damaged[damaged.length - 3]! ^= 0x01;
    await writeFile(path, damaged);

    const reopened = (await outbox(dir, key)).store;
    const { movedAside } = await reopened.load();
    expect(movedAside).toMatch(/outbox\.hvs\.damaged-\d+$/);
    expect((await readFile(movedAside!)).equals(damaged)).toBe(true);
    expect(reopened.ops).toEqual([]);
    expect(await readdir(dir)).not.toContain('outbox.hvs');
    // New changes go to a fresh outbox; the kept one is never overwritten.
    await reopened.append(save('after'));
    expect((await readFile(movedAside!)).equals(damaged)).toBe(true);
    expect(reopened.ops.map((op) => op.key)).toEqual(['after']);
  });

  it('treats an outbox sealed with another key, or for another account, as damaged', async () => {
    const { store, dir } = await outbox(undefined, new Uint8Array(32).fill(1), 'account-1');
    await store.append(save('a'));
    const otherKey = await outbox(dir, new Uint8Array(32).fill(2), 'account-1');
    expect((await otherKey.store.load()).movedAside).toBeDefined();

    const { store: second, dir: dir2 } = await outbox(undefined, new Uint8Array(32).fill(1), 'account-1');
    await second.append(save('a'));
    const otherAccount = await outbox(dir2, new Uint8Array(32).fill(1), 'account-2');
    expect((await otherAccount.store.load()).movedAside).toBeDefined();
  });

  it('treats a truncated or foreign file as damaged', async () => {
    for (const content of [Buffer.alloc(0), Buffer.from('HVS1'), Buffer.from('[{"op":"save"}]')]) {
      const dir = await tempDir();
      await writeFile(join(dir, 'outbox.hvs'), content);
      const { store } = await outbox(dir);
      expect((await store.load()).movedAside).toBeDefined();
      expect(store.ops).toEqual([]);
    }
  });

  it('loads once: a second load neither rereads nor reports again', async () => {
    const { store, dir, key } = await outbox();
    await store.append(save('a'));
    const path = join(dir, 'outbox.hvs');
    await writeFile(path, 'garbage');
    const same = (await outbox(dir, key)).store;
    expect((await same.load()).movedAside).toBeDefined();
    expect(await same.load()).toEqual({});
  });
});
