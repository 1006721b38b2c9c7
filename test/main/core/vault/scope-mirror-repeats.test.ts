import { randomBytes } from 'node:crypto';
import { readdir, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../../main/core/core.js';
import { CopyFileStore } from '../../../../main/core/vault/copy-file-store.js';
import { CopyFiles } from '../../../../main/core/vault/scope-copy-files.js';
import { okData } from '../../../support/core.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld } from '../../../support/vault-world.js';
import { nextSync } from '../../../support/vault-sync.js';

// Work this computer's copy of a scope repeats on every read or sync although its answer cannot
// have changed: done once per copy read from disk or written, once per sync, not once per entry
// and call. Counted at the methods that do it (they still do the real work), against the real
// sandbox over HTTP and the real keychain.

const opened = vi.hoisted(() => ({ keys: [] as string[] }));
vi.mock('../../../../main/core/crypto/envelope.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../main/core/crypto/envelope.js')>();
  return {
    ...actual,
    openVersionedValue: (...args: Parameters<typeof actual.openVersionedValue>) => {
      opened.keys.push(args[2]);
      return actual.openVersionedValue(...args);
    },
  };
});

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

const PASSPHRASE = 'scope mirror repeats passphrase';
const FILES = 5;

async function storeFile(core: Core, key: string) {
  const bytes = new Uint8Array(randomBytes(1_500));
  return core.files.store({ realmId: '', key, uploadId: crypto.randomUUID() }, { name: `${key}.txt`, type: 'text/plain', size: bytes.length, replayable: true, open: async function* () { yield bytes; } });
}

async function sync(core: Core) {
  const synced = nextSync(core, '');
  okData(await core.call('vault.list', { realmId: '' }));
  await synced;
  await core.vault.mirror.whenSynced('');
}

/** A scope holding a secret and FILES files, synced once. */
async function scopeWithFiles() {
  const { w, core } = await unlockedVaultWorld(tempDir, cleanups, PASSPHRASE);
  okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'hunter2', notes: '', mode: 'create' }));
  for (let i = 0; i < FILES; i += 1) await storeFile(core, `file-${i}`);
  await sync(core);
  const found = await readdir(join(w.appDir, 'accounts'), { recursive: true });
  const index = join(w.appDir, 'accounts', found.find((f) => f.endsWith('global.hvs'))!);
  return { w, core, index, open: core.vault.session.openVault() };
}

describe("this computer's copy of a scope", () => {
  it('is checked for files kept inline (a copy from before format 1.2) once per read from disk or write, not at every read', async () => {
    const { core, index, open } = await scopeWithFiles();
    const inlineChecks = vi.spyOn(CopyFiles.prototype, 'holdsInline');

    // Reads of the copy as kept: the answer is known already.
    for (let i = 0; i < 4; i += 1) expect((await core.vault.mirror.read(open, '')).state).toBe('ok');
    expect((await core.vault.mirror.value(open, '', 'db-password'))?.value).toContain('"hv":1');
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'db-password' }))).toMatchObject({ value: 'hunter2' });
    expect(inlineChecks).not.toHaveBeenCalled();

    // A write of the copy (a save) works it out once for what it writes; reads after it, never.
    okData(await core.call('vault.save', { realmId: '', key: 'api-key', value: 'v1', notes: '', mode: 'create' }));
    await core.vault.mirror.idle();
    expect(inlineChecks).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 3; i += 1) expect((await core.vault.mirror.read(open, '')).state).toBe('ok');
    expect(inlineChecks).toHaveBeenCalledTimes(1);

    // The file changed underneath (its time, here): read from disk again, and checked once again.
    const later = new Date(Date.now() + 5_000);
    await utimes(index, later, later);
    for (let i = 0; i < 3; i += 1) expect((await core.vault.mirror.read(open, '')).state).toBe('ok');
    expect(inlineChecks).toHaveBeenCalledTimes(2);
    expect(inlineChecks.mock.results.every((r) => r.value === false)).toBe(true);
  });

  it('a sync that changes nothing names its kept files in one pass, with no await per file', async () => {
    const { core, open } = await scopeWithFiles();
    const perFile = vi.spyOn(CopyFiles.prototype, 'nameOf');
    const kept = await core.vault.mirror.read(open, '');
    await sync(core);
    await sync(core);
    // No file's name is awaited on its own (each was an async call, once in the loop, once in the prune).
    expect(perFile).not.toHaveBeenCalled();
    // And kept every file, without writing the index again.
    const after = await core.vault.mirror.read(open, '');
    expect(after).toBe(kept);
    expect(after.state === 'ok' && Object.keys(after.value.files ?? {}).length).toBe(FILES);
  });

  it("does not open again, at each sync, a sealed value the listing fetched again but the copy holds already", async () => {
    const { w, core, open } = await scopeWithFiles();
    // Sealed by the app, then written again by another tool with no metadata: a value the listing
    // fetches at each listing (to tell its kind) and hands to the sync.
    const stored = await w.stored('db-password');
    expect((await w.api('PATCH', 'db-password', { value: stored.value, metadata: null })).ok).toBe(true);
    await sync(core);
    const entries = await core.accounts.client().listKeys();
    const fetched = new Map([['db-password', stored.value]]);
    const opens = () => opened.keys.filter((key) => key === 'db-password').length;
    const before = opens();
    for (let i = 0; i < 3; i += 1) {
      await core.vault.mirror.whenSynced('');
      await core.vault.mirror.sync(open, '', entries, fetched);
    }
    expect(opens()).toBe(before);
    const copy = await core.vault.mirror.read(open, '');
    expect(copy.state === 'ok' && copy.value.revisions?.['db-password']).toBe(JSON.parse(stored.value).r);

    // A value sealed since (saved here: this computer's copy takes it at once) is opened at the next sync, once, and its revision kept.
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'hunter3', notes: '', mode: 'update' }));
    const saved = await w.stored('db-password');
    const after = await core.accounts.client().listKeys();
    await core.vault.mirror.sync(open, '', after, new Map([['db-password', saved.value]]));
    await core.vault.mirror.sync(open, '', after, new Map([['db-password', saved.value]]));
    expect(opens()).toBe(before + 1);
    const synced = await core.vault.mirror.read(open, '');
    expect(synced.state === 'ok' && synced.value.revisions?.['db-password']).toBe(JSON.parse(saved.value).r);
  });

  it("lists its files' folder again only once the folder changed: a file removed outside the app is still fetched again at the next sync", async () => {
    const { core, index, open } = await scopeWithFiles();
    const folder = index.replace(/global\.hvs$/, 'global.files');
    const hvf = async () => (await readdir(folder)).filter((name) => name.endsWith('.hvf')).sort();
    const files = await hvf();
    expect(files).toHaveLength(FILES);
    // The folder last changed a minute ago (as between two listings of a day's work): listed once more, then reused.
    const past = new Date(Date.now() - 60_000);
    await utimes(folder, past, past);
    await sync(core);
    const listings = vi.spyOn(CopyFileStore.prototype, 'names');
    await sync(core);
    await sync(core);
    expect(listings).not.toHaveBeenCalled();

    // A file removed outside the app changes the folder: the next sync lists it, and fetches the file again.
    await rm(`${folder}/${files[2]!}`);
    await sync(core);
    expect(listings).toHaveBeenCalledTimes(1);
    expect(await hvf()).toEqual(files);
    const copy = await core.vault.mirror.read(open, '');
    expect(copy.state === 'ok' && Object.keys(copy.value.files ?? {}).length).toBe(FILES);
  });
});
