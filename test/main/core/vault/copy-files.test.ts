import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../main/core/core.js';
import type { ScopeCopy } from '../../../../main/core/vault/local-copy-store.js';
import { readSealedJson, writeSealedJson } from '../../../../main/core/storage/sealed-file.js';
import { okData } from '../../../support/core.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld, type VaultWorld } from '../../../support/vault-world.js';
import { nextSync } from '../../../support/vault-sync.js';

// Files in this computer's copy of a scope, each in its own sealed file beside the scope's index
// (docs/vault-format.md, "Files of a copy"): the real sandbox over HTTP, the real keychain, cores
// restarted on the same data folder, the server stopped to read offline.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

const PASSPHRASE = 'copy files passphrase';
/** Above the size from which a value is streamed from the API to disk (256 KiB), and one below. */
const BIG = 300_001;
const SMALL = 1_500;

const unlocked = () => unlockedVaultWorld(tempDir, cleanups, PASSPHRASE);

async function storeFile(core: Core, key: string, bytes: Uint8Array) {
  return core.files.store({ realmId: '', key, uploadId: crypto.randomUUID() }, { name: `${key}.txt`, type: 'text/plain', size: bytes.length, replayable: true, open: async function* () { yield bytes; } });
}

async function sync(core: Core) {
  const synced = nextSync(core, '');
  okData(await core.call('vault.list', { realmId: '' }));
  await synced;
}

/** The decrypted bytes of a file as a download gets them (offline: from this computer's copy), or the error. */
async function download(core: Core, key: string): Promise<{ sha256: string } | { error: string }> {
  const { token } = core.files.prepareDownload('', key);
  try {
    const taken = await core.files.takeDownload(token);
    if (!taken) return { error: 'expired' };
    const hash = createHash('sha256');
    for await (const chunk of taken.chunks) hash.update(chunk);
    return { sha256: hash.digest('hex') };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function copiesDir(appDir: string): Promise<string> {
  const found = await readdir(join(appDir, 'accounts'), { recursive: true });
  return join(appDir, 'accounts', found.find((f) => f.endsWith('global.hvs'))!, '..');
}

const hvfFiles = async (appDir: string) => (await readdir(join(await copiesDir(appDir), 'global.files')).catch(() => [] as string[])).filter((n) => n.endsWith('.hvf')).sort();

/** The scope's index, opened with the vault's cache key as the app would. */
async function readIndex(core: Core, appDir: string): Promise<ScopeCopy> {
  const open = core.vault.session.openVault();
  const read = await readSealedJson<ScopeCopy>(join(await copiesDir(appDir), 'global.hvs'), open.keys.cache, `hoody-vault/copy/v1\n${open.accountId}\n`);
  if (read.state !== 'ok') throw new Error(`index ${read.state}`);
  return read.value;
}

async function offlineCore(w: VaultWorld) {
  await w.stopServer();
  const core = await w.openCore();
  okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
  return core;
}

describe("files in this computer's copy", () => {
  it('keeps each file in its own sealed file, out of the index, and opens it offline byte for byte', async () => {
    const { w, core } = await unlocked();
    const big = new Uint8Array(randomBytes(BIG));
    const small = new Uint8Array(randomBytes(SMALL));
    await storeFile(core, 'big-file', big);
    await storeFile(core, 'small-file', small);
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'hunter2', notes: '', mode: 'create' }));
    await sync(core);

    const index = await readIndex(core, w.appDir);
    // The index holds the secret's value, and of each file only its version and length.
    expect(Object.keys(index.values).sort()).toEqual(['_hv.keyring', 'db-password']);
    expect(Object.keys(index.files ?? {}).sort()).toEqual(['big-file', 'small-file']);
    expect(index.files!['big-file']).toMatchObject({ size: BIG, length: (await w.stored('big-file')).value.length });
    const names = await hvfFiles(w.appDir);
    expect(names).toHaveLength(2);
    for (const name of names) {
      expect(name).toMatch(/^[0-9a-f]{32}\.hvf$/);
      const bytes = await readFile(join(await copiesDir(w.appDir), 'global.files', name));
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('HVF1');
      // Sealed: neither the key's name nor the value's text shows.
      expect(bytes.toString('latin1')).not.toContain('"hv":1');
    }
    // The index is small: the files' bytes are not in it.
    expect((await readFile(join(await copiesDir(w.appDir), 'global.hvs'))).length).toBeLessThan(SMALL * 3);
    await core.close();

    const offline = await offlineCore(w);
    const listing = okData(await offline.call('vault.list', { realmId: '' }));
    expect(listing.offline).toBeDefined();
    expect(listing.entries.filter((e) => e.kind === 'file').map((e) => [e.key, e.format, e.size]).sort()).toEqual([
      ['big-file', 'hv1', BIG],
      ['small-file', 'hv1', SMALL],
    ]);
    expect(await download(offline, 'big-file')).toEqual({ sha256: sha256(big) });
    expect(await download(offline, 'small-file')).toEqual({ sha256: sha256(small) });
    const preview = okData(await offline.call('vault.previewFile', { realmId: '', key: 'small-file' }));
    expect(preview).toMatchObject({ kind: 'text' });
  });

  it('writes a file once: a sync that changes nothing writes neither the file nor the index', async () => {
    const { w, core } = await unlocked();
    await storeFile(core, 'big-file', new Uint8Array(randomBytes(BIG)));
    await sync(core);
    const dir = await copiesDir(w.appDir);
    const [name] = await hvfFiles(w.appDir);
    const before = { index: await readFile(join(dir, 'global.hvs')), file: await readFile(join(dir, 'global.files', name!)) };
    await sync(core);
    await sync(core);
    expect(await readFile(join(dir, 'global.hvs'))).toEqual(before.index);
    expect(await readFile(join(dir, 'global.files', name!))).toEqual(before.file);
  });

  it("removes a deleted key's file, and a changed key's older version", async () => {
    const { w, core } = await unlocked();
    await storeFile(core, 'kept', new Uint8Array(randomBytes(SMALL)));
    await storeFile(core, 'changed', new Uint8Array(randomBytes(BIG)));
    await storeFile(core, 'deleted', new Uint8Array(randomBytes(SMALL)));
    await sync(core);
    const first = await hvfFiles(w.appDir);
    expect(first).toHaveLength(3);

    okData(await core.call('vault.delete', { realmId: '', key: 'deleted' }));
    // Another tool writes the same value again: a new version (updated_at) of the key.
    const stored = await w.stored('changed');
    expect((await w.api('PATCH', 'changed', { value: stored.value, metadata: stored.metadata })).ok).toBe(true);
    await sync(core);
    const after = await hvfFiles(w.appDir);
    expect(after).toHaveLength(2);
    // The kept file's stays; the changed key's is a new file; the deleted key's is gone.
    expect(after.filter((n) => first.includes(n))).toHaveLength(1);
    const index = await readIndex(core, w.appDir);
    expect(Object.keys(index.files ?? {}).sort()).toEqual(['changed', 'kept']);
  });

  it('refuses a tampered file and one swapped for another, offline, and the next sync repairs them', async () => {
    const { w, core } = await unlocked();
    const one = new Uint8Array(randomBytes(BIG));
    const two = new Uint8Array(randomBytes(BIG));
    await storeFile(core, 'one', one);
    await storeFile(core, 'two', two);
    await sync(core);
    const index = await readIndex(core, w.appDir);
    await core.close();
    const dir = join(await copiesDir(w.appDir), 'global.files');
    // Names say nothing of whose file is whose: one of the two is tampered with, whichever it is.
    const [a, b] = (await hvfFiles(w.appDir)) as [string, string];
    const flipped = await readFile(join(dir, a));
    flipped[flipped.length - 100]! ^= 0x01;
    await writeFile(join(dir, a), flipped);
    const offline = await offlineCore(w);
    const results = { one: await download(offline, 'one'), two: await download(offline, 'two') };
    const refused = Object.values(results).filter((r) => 'error' in r);
    expect(refused).toHaveLength(1);
    expect((refused[0] as { error: string }).error).toMatch(/copy of this file does not open with your vault key/);
    // The refused file is removed, so the next sync fetches it again.
    expect(await hvfFiles(w.appDir)).toHaveLength(1);

    // Swapped: the file left in place is copied under the other's name. Bound to its key and version, it does not open there.
    const [left] = await hvfFiles(w.appDir);
    const missing = left === a ? b : a;
    await writeFile(join(dir, missing), await readFile(join(dir, left!)));
    const swapped = { one: await download(offline, 'one'), two: await download(offline, 'two') };
    expect(Object.values(swapped).filter((r) => 'error' in r)).toHaveLength(1);
    expect(Object.values(swapped).filter((r) => 'sha256' in r)).toHaveLength(1);
    await offline.close();

    await w.startServer();
    const online = await w.openCore();
    okData(await online.call('vault.unlock', { passphrase: PASSPHRASE }));
    await sync(online);
    expect(await hvfFiles(w.appDir)).toHaveLength(2);
    expect(Object.keys((await readIndex(online, w.appDir)).files ?? {}).sort()).toEqual(Object.keys(index.files ?? {}).sort());
    await online.close();
    await w.stopServer();
    const again = await w.openCore();
    okData(await again.call('vault.unlock', { passphrase: PASSPHRASE }));
    expect(await download(again, 'one')).toEqual({ sha256: sha256(one) });
    expect(await download(again, 'two')).toEqual({ sha256: sha256(two) });
  });

  it('moves the files of a copy written before (values inline in the index) into their own files on first open', async () => {
    const { w, core } = await unlocked();
    const bytes = new Uint8Array(randomBytes(BIG));
    await storeFile(core, 'report', bytes);
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'hunter2', notes: '', mode: 'create' }));
    await sync(core);
    // The copy as the app wrote it before: every value in the index, no `files`, no files folder.
    const current = await readIndex(core, w.appDir);
    const { files: _files, ...rest } = current;
    const old: ScopeCopy = { ...rest, values: { ...current.values, report: (await w.stored('report')).value } };
    const open = core.vault.session.openVault();
    // A copy of the key: locking (closing the core) wipes the vault's own.
    const cacheKey = Uint8Array.from(open.keys.cache);
    const indexPath = join(await copiesDir(w.appDir), 'global.hvs');
    await core.close();
    await writeSealedJson(indexPath, cacheKey, `hoody-vault/copy/v1\n${open.accountId}\n`, old);
    await rm(join(await copiesDir(w.appDir), 'global.files'), { recursive: true, force: true });
    expect(await hvfFiles(w.appDir)).toEqual([]);

    const offline = await offlineCore(w);
    okData(await offline.call('vault.list', { realmId: '' }));
    expect(await download(offline, 'report')).toEqual({ sha256: sha256(bytes) });
    expect(okData(await offline.call('vault.reveal', { realmId: '', key: 'db-password' }))).toMatchObject({ value: 'hunter2' });
    const migrated = await readIndex(offline, w.appDir);
    expect(Object.keys(migrated.values).sort()).toEqual(['_hv.keyring', 'db-password']);
    expect(Object.keys(migrated.files ?? {})).toEqual(['report']);
    expect(await hvfFiles(w.appDir)).toHaveLength(1);
    // Rewritten with a higher generation: the keychain's rollback counter follows.
    expect(migrated.generation).toBeGreaterThan(current.generation ?? 0);
  });
});

describe("files in this computer's copy, and locking", () => {
  it('a sync under way when the vault locks writes no file and no index; the next one after unlocking does', async () => {
    const { w, core } = await unlocked();
    const bytes = new Uint8Array(randomBytes(BIG));
    await storeFile(core, 'big-file', bytes);
    // The file's value is slow to come: the vault locks while the sync waits for it.
    w.faults().add({ method: 'GET', path: '/api/v1/vault/keys/big-file', latencyMs: 1500, times: 1 });
    okData(await core.call('vault.list', { realmId: '' }));
    okData(await core.call('vault.lock'));
    await core.vault.mirror.whenSynced('');
    await core.vault.mirror.idle();
    const accounts = join(w.appDir, 'accounts');
    const written = (await readdir(accounts, { recursive: true })).filter((f) => f.includes('copies'));
    expect(written.filter((f) => f.endsWith('.hvf') || f.endsWith('.tmp') || f.endsWith('.hvs'))).toEqual([]);

    okData(await core.call('vault.unlock', { passphrase: PASSPHRASE }));
    await sync(core);
    expect(await hvfFiles(w.appDir)).toHaveLength(1);
    expect(Object.keys((await readIndex(core, w.appDir)).files ?? {})).toEqual(['big-file']);
    expect(await download(core, 'big-file')).toEqual({ sha256: sha256(bytes) });
  });
});
