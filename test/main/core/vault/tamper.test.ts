import { randomBytes } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../main/core/core.js';
import { okData } from '../../../support/core.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld } from '../../../support/vault-world.js';
import { nextSync } from '../../../support/vault-sync.js';

// The tamper suite: a malicious server (plain HTTP writes to the sandbox with the user's own
// token, which is all a server operator needs) and someone with write access to this computer's
// data folder try to make the app show, deliver or keep something it should not. Each try is
// printed with whether the app refused it.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});
const tries: Array<{ side: 'server' | 'local'; attempt: string; refused: boolean; how: string }> = [];
afterAll(() => {
  console.log(`tamper suite: ${tries.length} tries, ${tries.filter((t) => t.refused).length} refused`);
  for (const t of tries) console.log(`  [${t.side}] ${t.attempt}: ${t.refused ? 'REFUSED' : 'NOT REFUSED'} (${t.how})`);
});
const record = (side: 'server' | 'local', attempt: string, refused: boolean, how: string) => tries.push({ side, attempt, refused, how });

const PASSPHRASE = 'tamper suite passphrase';

const unlocked = () => unlockedVaultWorld(tempDir, cleanups, PASSPHRASE);

async function storeFile(core: Core, key: string, bytes: Uint8Array) {
  return core.files.store({ realmId: '', key, uploadId: crypto.randomUUID() }, { name: `${key}.bin`, type: 'application/octet-stream', size: bytes.length, replayable: true, open: async function* () { yield bytes; } });
}

async function download(core: Core, key: string): Promise<{ size: number; bytes: number } | { error: string }> {
  const { token } = core.files.prepareDownload('', key);
  try {
    const taken = await core.files.takeDownload(token);
    if (!taken) return { error: 'expired' };
    let bytes = 0;
    for await (const chunk of taken.chunks) bytes += chunk.length;
    return { size: taken.size, bytes };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const itemOf = async (core: Core, key: string) => okData(await core.call('vault.list', { realmId: '' })).entries.find((e) => e.key === key)!;

describe('a malicious server', () => {
  it('cannot make a file download short by editing its clear size, nor pass a changed size or kind as a normal entry', async () => {
    const { w, core } = await unlocked();
    const bytes = new Uint8Array(randomBytes(197_608));
    await storeFile(core, 'report', bytes);
    expect(await download(core, 'report')).toEqual({ size: bytes.length, bytes: bytes.length });
    const original = await w.stored('report');

    await w.api('PATCH', 'report', { value: original.value, metadata: { ...original.metadata, size: 10 } });
    const shortened = await download(core, 'report');
    record('server', 'file size 197608 → 10 in clear metadata, then download', 'error' in shortened, JSON.stringify(shortened));
    expect(shortened).toEqual({ error: expect.stringContaining('changed outside this app') });
    const listedShort = await itemOf(core, 'report');
    record('server', 'file size 197608 → 10, then list', listedShort.format === 'unreadable', `format ${listedShort.format}`);
    expect(listedShort.format).toBe('unreadable');

    await w.api('PATCH', 'report', { value: original.value, metadata: { ...original.metadata, kind: 'secret' } });
    const listedKind = await itemOf(core, 'report');
    record('server', 'file kind → secret in clear metadata, then list', listedKind.format === 'unreadable', `format ${listedKind.format}`);
    expect(listedKind.format).toBe('unreadable');

    // A value cut after its first chunk (the clear size made to match): the sealed size and the
    // missing FINAL tag both refuse it; not one byte is delivered as a complete file.
    const match = /^(\{"hv":1,"f":65536,"s":")([^"]*)("\})$/.exec(original.value)!;
    const raw = Buffer.from(match[2]!, 'base64');
    const cut = `${match[1]}${raw.subarray(0, 24 + 65_536 + 17).toString('base64')}${match[3]}`;
    await w.api('PATCH', 'report', { value: cut, metadata: { ...original.metadata, size: 65_536 } });
    const truncated = await download(core, 'report');
    record('server', 'file truncated to its first chunk, clear size 65536', 'error' in truncated, JSON.stringify(truncated));
    expect(truncated).toMatchObject({ error: expect.any(String) });

    await w.api('PATCH', 'report', { value: original.value, metadata: original.metadata });
    expect(await download(core, 'report')).toEqual({ size: bytes.length, bytes: bytes.length });
  });

  it('cannot get a sealed secret shown as plain text, nor pass a changed kind or size as normal', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'hunter2', notes: 'prod', mode: 'create' }));
    const original = await w.stored('db-password');

    await w.api('PATCH', 'db-password', { value: 'attacker-chosen', metadata: original.metadata });
    const swapped = await core.call('vault.reveal', { realmId: '', key: 'db-password' });
    record('server', 'sealed value replaced by plain text, metadata kept', !swapped.ok, JSON.stringify(swapped));
    expect(swapped).toMatchObject({ ok: false, error: { code: 'UNREADABLE' } });

    for (const [field, value] of [['kind', 'file'], ['size', 3]] as const) {
      await w.api('PATCH', 'db-password', { value: original.value, metadata: { ...original.metadata, [field]: value } });
      const item = await itemOf(core, 'db-password');
      record('server', `secret ${field} → ${value} in clear metadata, then list`, item.format === 'unreadable', `format ${item.format}`);
      expect(item.format).toBe('unreadable');
    }
  });

  it('cannot roll a secret back to an older sealed value unnoticed, nor raise its revision', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'api-key', value: 'old-key', notes: '', mode: 'create' }));
    const old = await w.stored('api-key');
    okData(await core.call('vault.save', { realmId: '', key: 'api-key', value: 'new-key', notes: '', mode: 'update' }));
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'api-key' }))).toEqual({ value: 'new-key', format: 'hv1' });
    const synced = nextSync(core, '');
    await core.call('vault.list', { realmId: '' });
    await synced;

    await w.api('PATCH', 'api-key', { value: old.value, metadata: old.metadata });
    const rolledBack = okData(await core.call('vault.reveal', { realmId: '', key: 'api-key' }));
    record('server', 'older sealed value of the same key served again', rolledBack.warning !== undefined, rolledBack.warning ?? 'no warning');
    expect(rolledBack).toMatchObject({ value: 'old-key', warning: expect.stringContaining('older version') });

    // A restarted app remembers: the highest revision is kept in this computer's copy.
    await core.close();
    const again = await w.openCore();
    okData(await again.call('vault.unlock', { passphrase: PASSPHRASE }));
    expect(okData(await again.call('vault.reveal', { realmId: '', key: 'api-key' })).warning).toContain('older version');

    const raised = JSON.stringify({ ...JSON.parse(old.value), r: Number.MAX_SAFE_INTEGER - 1 });
    await w.api('PATCH', 'api-key', { value: raised, metadata: old.metadata });
    const forged = await again.call('vault.reveal', { realmId: '', key: 'api-key' });
    record('server', 'older value with its revision raised in the clear', !forged.ok, JSON.stringify(forged));
    expect(forged).toMatchObject({ ok: false, error: { code: 'UNREADABLE' } });
  });
});

describe('someone who can write the data folder', () => {
  const copyPath = async (appDir: string) => {
    const files = await readdir(join(appDir, 'accounts'), { recursive: true });
    return join(appDir, 'accounts', files.find((f) => f.endsWith('global.hvs'))!);
  };

  it('cannot put back an older local copy unnoticed', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'first', notes: '', mode: 'create' }));
    let synced = nextSync(core, '');
    await core.call('vault.list', { realmId: '' });
    await synced;
    const path = await copyPath(w.appDir);
    const older = await readFile(path);
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'second', notes: '', mode: 'update' }));
    synced = nextSync(core, '');
    await core.call('vault.list', { realmId: '' });
    await synced;
    await core.close();

    await writeFile(path, older);
    await w.stopServer();
    const again = await w.openCore();
    okData(await again.call('vault.unlock', { passphrase: PASSPHRASE }));
    const listing = await again.call('vault.list', { realmId: '' });
    const status = okData(await again.call('vault.status'));
    record('local', 'older copies/global.hvs put back, read offline', !listing.ok && status.localRollback !== undefined, status.localRollback ?? JSON.stringify(listing));
    expect(listing).toMatchObject({ ok: false, error: { code: 'UNREADABLE' } });
    expect(status.localRollback).toContain('older than the last one');
  });

  it('cannot roll the outbox back, or delete it, unnoticed', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'first', notes: '', mode: 'create' }));
    const synced = nextSync(core, '');
    await core.call('vault.list', { realmId: '' });
    await synced;
    await w.stopServer();
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'offline 1', notes: '', mode: 'update' }));
    const outbox = join(w.appDir, 'accounts', (await readdir(join(w.appDir, 'accounts')))[0]!, 'outbox.hvs');
    const older = await readFile(outbox);
    okData(await core.call('vault.save', { realmId: '', key: 'db-password', value: 'offline 2', notes: '', mode: 'update' }));
    await core.close();

    await writeFile(outbox, older);
    const again = await w.openCore();
    okData(await again.call('vault.unlock', { passphrase: PASSPHRASE }));
    const rolled = okData(await again.call('vault.status'));
    record('local', 'older outbox.hvs put back', rolled.localRollback !== undefined, rolled.localRollback ?? 'no report');
    expect(rolled.localRollback).toContain('older state');
    await again.close();

    await rm(outbox);
    const third = await w.openCore();
    okData(await third.call('vault.unlock', { passphrase: PASSPHRASE }));
    const deleted = okData(await third.call('vault.status'));
    record('local', 'outbox.hvs deleted', deleted.localRollback !== undefined, deleted.localRollback ?? 'no report');
    expect(deleted.localRollback).toContain('deleted');
  });
});
