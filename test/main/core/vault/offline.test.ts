import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import { readSealedJson } from '../../../../main/core/storage/sealed-file.js';
import { startSandbox, type Sandbox } from '../../../../sandbox/server.js';
import { realKeychain } from '../../../support/keychain.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { nextSync } from '../../../support/vault-sync.js';
import { okData, type CoreCall } from '../../../support/core.js';

// Offline and back, against a real sandbox that is stopped and started again on the same port and
// data folder, with cores restarted on the same user-data folder.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});


async function world() {
  const sandboxDir = await tempDir();
  let sandbox: Sandbox = await startSandbox({ dataDir: sandboxDir });
  const port = Number(new URL(sandbox.url).port);
  const user = await sandbox.admin.createUser();
  const { token } = sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  const appDir = await tempDir();
  // The real keychain, one service per test: a restarted core finds the account as the app would.
  const keychain = await realKeychain();
  let running = true;
  cleanups.push(async () => running && sandbox.close());
  const openCore = async (options: { probeMs?: number; heartbeatMs?: number } = {}) => {
    // A stopped server refuses at once; the request timeout only bounds one that hangs, and must not
    // take a busy machine's slow answer for an outage.
    const core: Core = await createCore({ dataDir: appDir, mode: 'serve', version: 't', keychain, argon2: MIN_ARGON2, engine: { sleep: async () => {}, timeoutMs: 15_000 }, ...options });
    cleanups.push(() => core.close());
    const call = core.call;
    return { core, call };
  };
  const first = await openCore();
  await first.call('accounts.signInWithToken', { serverUrl: sandbox.url, token });
  const api = (method: string, key: string, body?: unknown) =>
    fetch(`${sandbox.url}/api/v1/vault/keys/${key}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return {
    ...first,
    token,
    appDir,
    apiUrl: `${sandbox.url}/api/v1`,
    openCore,
    api,
    stopServer: async () => {
      await sandbox.close();
      running = false;
    },
    startServer: async () => {
      sandbox = await startSandbox({ dataDir: sandboxDir, port });
      running = true;
    },
  };
}

async function setUpWithSecrets(call: CoreCall, core: Core) {
  await call('vault.setup', { passphrase: 'offline test passphrase' });
  await call('vault.save', { realmId: '', key: 'db-password', value: 'hunter2', notes: 'production', mode: 'create' });
  await call('vault.save', { realmId: '', key: 'api-key', value: 'sk_live_1', notes: 'payments', mode: 'create' });
  const synced = nextSync(core, '');
  await call('vault.list', { realmId: '' });
  await synced;
}

describe('the local copy', () => {
  it('is written after a sync, sealed, and read offline with every synced secret', async () => {
    const w = await world();
    await setUpWithSecrets(w.call, w.core);
    const files = await readdir(join(w.appDir, 'accounts'), { recursive: true });
    const copyFile = files.find((f) => f.endsWith('global.hvs'))!;
    const raw = await readFile(join(w.appDir, 'accounts', copyFile), 'latin1');
    expect(raw.startsWith('HVS1')).toBe(true);
    expect(raw).not.toContain('db-password');
    expect(raw).not.toContain('production');

    await w.stopServer();
    const listing = { data: okData(await w.call('vault.list', { realmId: '' })) };
    expect(listing.data.offline?.syncedAt).toEqual(expect.any(String));
    expect(listing.data.entries.map((e) => [e.key, e.notes]).sort()).toEqual([['api-key', 'payments'], ['db-password', 'production']]);
    expect(await w.call('vault.reveal', { realmId: '', key: 'db-password' })).toEqual({ ok: true, data: { value: 'hunter2', format: 'hv1' } });
    expect(await w.call('vault.status')).toMatchObject({ ok: true, data: { online: false } });
  });

  it('unlocks offline after a restart, with the sandbox stopped', async () => {
    const w = await world();
    await setUpWithSecrets(w.call, w.core);
    await w.core.close();
    await w.stopServer();
    const again = await w.openCore();
    expect(await again.call('vault.status')).toMatchObject({ ok: true, data: { state: 'locked' } });
    expect(await again.call('vault.unlock', { passphrase: 'offline test passphrase' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await again.call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { offline: { syncedAt: expect.any(String) } } });
    expect(await again.call('vault.reveal', { realmId: '', key: 'api-key' })).toMatchObject({ ok: true, data: { value: 'sk_live_1' } });
  });

  it('is reported, never shown, when it does not open, and the next sync repairs it', async () => {
    const w = await world();
    await setUpWithSecrets(w.call, w.core);
    const files = await readdir(join(w.appDir, 'accounts'), { recursive: true });
    const path = join(w.appDir, 'accounts', files.find((f) => f.endsWith('global.hvs'))!);
    const bytes = await readFile(path);
    bytes[bytes.length - 5]! ^= 0xff;
    await writeFile(path, bytes);
    await w.stopServer();
    expect(await w.call('vault.list', { realmId: '' })).toMatchObject({ ok: false, error: { code: 'UNREADABLE', message: expect.stringContaining('damaged') } });
    await w.startServer();
    const repaired = nextSync(w.core, '');
    await w.call('vault.list', { realmId: '' });
    expect(await repaired).toEqual(expect.objectContaining({ realmId: '', repaired: true }));
    await w.stopServer();
    expect(await w.call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { offline: expect.any(Object) } });
  });

  it('a process killed while the copy is written leaves the previous copy readable', async () => {
    const dir = await tempDir();
    const path = join(dir, 'copy.hvs');
    const writer = fileURLToPath(new URL('../../../support/sealed-writer.ts', import.meta.url));
    for (let round = 0; round < 3; round += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 30 + round * 41));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const read = await readSealedJson<{ n: number; pad: string }>(path, new Uint8Array(32).fill(7), 'test');
      expect(read.state).toBe('ok');
      expect((read as { value: { n: number } }).value.n).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('the local copy after each write (issue 11, item 9)', () => {
  it('takes every save and deletion at once: a secret created since the last listing can be edited in an outage', async () => {
    const w = await world();
    await setUpWithSecrets(w.call, w.core);
    // Written and deleted online, with no listing since.
    expect(await w.call('vault.save', { realmId: '', key: 'created-later', value: 'first value', notes: 'new', mode: 'create' })).toMatchObject({ ok: true });
    expect(await w.call('vault.delete', { realmId: '', key: 'api-key' })).toEqual({ ok: true, data: { pending: false } });
    await w.stopServer();
    expect(await w.call('vault.save', { realmId: '', key: 'created-later', value: 'edited offline', notes: 'new', mode: 'update' })).toMatchObject({ ok: true, data: { pending: 'save' } });
    const offline = okData(await w.call('vault.list', { realmId: '' }));
    expect(offline.entries.map((e) => e.key).sort()).toEqual(['created-later', 'db-password']);
    expect(await w.call('vault.reveal', { realmId: '', key: 'created-later' })).toMatchObject({ ok: true, data: { value: 'edited offline' } });
    await w.startServer();
    await w.core.call('vault.checkConnection');
    await expect.poll(async () => okData(await w.call('vault.status')).pendingChanges).toBe(0);
    expect(okData(await w.call('vault.status')).conflict).toBeUndefined();
    expect(await w.call('vault.reveal', { realmId: '', key: 'created-later' })).toMatchObject({ ok: true, data: { value: 'edited offline' } });
  });
});

describe('the outbox', () => {
  it('keeps offline edits in order across a restart and sends them when the server is back', async () => {
    const w = await world();
    await setUpWithSecrets(w.call, w.core);
    await w.stopServer();
    expect(await w.call('vault.save', { realmId: '', key: 'db-password', value: 'changed-offline', notes: 'production (rotated)', mode: 'update' })).toMatchObject({ ok: true, data: { pending: 'save' } });
    expect(await w.call('vault.save', { realmId: '', key: 'new-offline', value: 'made offline', notes: '', mode: 'create' })).toMatchObject({ ok: true, data: { pending: 'save' } });
    expect(await w.call('vault.delete', { realmId: '', key: 'api-key' })).toEqual({ ok: true, data: { pending: true } });
    expect(await w.call('vault.status')).toMatchObject({ ok: true, data: { pendingChanges: 3, online: false } });
    const offline = { data: okData(await w.call('vault.list', { realmId: '' })) };
    expect(Object.fromEntries(offline.data.entries.map((e) => [e.key, e.pending]))).toEqual({ 'db-password': 'save', 'new-offline': 'save', 'api-key': 'delete' });
    expect(await w.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'changed-offline' } });

    // Restart: the outbox is on disk, sealed; the unlock is from the local keyring copy.
    await w.core.close();
    const again = await w.openCore();
    await again.call('vault.unlock', { passphrase: 'offline test passphrase' });
    expect(await again.call('vault.status')).toMatchObject({ ok: true, data: { pendingChanges: 3 } });
    await w.startServer();
    await again.core.call('vault.checkConnection');
    await expect.poll(async () => okData(await again.call('vault.status')).pendingChanges).toBe(0);
    expect(await (await w.api('GET', 'api-key')).json()).toMatchObject({ statusCode: 404 });
    expect(await again.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'changed-offline' } });
    expect(await again.call('vault.reveal', { realmId: '', key: 'new-offline' })).toMatchObject({ ok: true, data: { value: 'made offline' } });
  });

  it('notices by itself that the server is back, after a lock and an unlock made offline', async () => {
    const w = await world();
    await w.core.close();
    // A short probe interval stands in for the app's 10 s, so the test waits on the state, not on a clock.
    const probing = await w.openCore({ probeMs: 200 });
    await probing.call('vault.setup', { passphrase: 'offline test passphrase' });
    await w.stopServer();
    expect(await probing.call('vault.list', { realmId: '' })).toMatchObject({ ok: false });
    expect(okData(await probing.call('vault.status')).online).toBe(false);
    await probing.call('vault.lock');
    expect(okData(await probing.call('vault.unlock', { passphrase: 'offline test passphrase' })).online).toBe(false);
    await w.startServer();
    // No "Check again": the probe, still running across the lock, finds the server.
    await expect.poll(async () => okData(await probing.call('vault.status')).online, { timeout: 15_000 }).toBe(true);
  });

  it('notices an outage in the background, before the next request, without adding to the activity log', async () => {
    const w = await world();
    await w.core.close();
    const watched = await w.openCore({ heartbeatMs: 200 });
    await watched.call('vault.setup', { passphrase: 'offline test passphrase' });
    // The check asks without credentials: the user's activity log does not grow with it.
    const logged = async () => ((await (await fetch(`${w.apiUrl}/users/auth/activity/stats`, { headers: { Authorization: `Bearer ${w.token}` } })).json()) as { data: { total_records: number } }).data.total_records;
    const before = await logged();
    for (let n = 0; n < 3; n += 1) expect(await watched.core.accounts.client().reachable()).toBe(true);
    expect(await logged()).toBe(before + 1); // the first stats read itself
    const changes: boolean[] = [];
    watched.core.events.subscribe((event, payload) => event === 'vault.changed' && changes.push((payload as { online: boolean }).online));
    await w.stopServer();
    // No request from the window: the heartbeat alone must bring the offline state (and its event).
    await expect.poll(() => changes.includes(false), { timeout: 15_000 }).toBe(true);
    expect(okData(await watched.call('vault.status')).online).toBe(false);
  });

  it('keeps the scope picker, the labels and the storage figure true offline and across scopes', async () => {
    const realm = 'aa11aa11aa11aa11aa11aa11';
    const w = await world();
    await setUpWithSecrets(w.call, w.core);
    await w.call('vault.save', { realmId: realm, key: 'realm-secret', value: 'in a realm', notes: '', mode: 'create' });
    await w.api('PATCH', 'plain-note', { value: 'written by a script, not encrypted' });
    let synced = nextSync(w.core, '');
    const global = okData(await w.call('vault.list', { realmId: '' }));
    await synced;
    synced = nextSync(w.core, realm);
    const inRealm = okData(await w.call('vault.list', { realmId: realm }));
    await synced;
    expect(global.entries.find((e) => e.key === 'plain-note')?.format).toBe('plain');
    // One account-wide figure, whichever scope is shown.
    expect(inRealm.stats.accountUsedBytes).toBe(global.stats.accountUsedBytes);

    // Restarted and unlocked with the server down: the realms come from this computer's copies.
    await w.core.close();
    await w.stopServer();
    const again = await w.openCore();
    await again.call('vault.unlock', { passphrase: 'offline test passphrase' });
    expect(okData(await again.call('vault.realms'))).toEqual({ realms: [realm], globalAllowed: true, names: {}, namesWritable: false });
    const offline = okData(await again.call('vault.list', { realmId: '' }));
    expect(offline.offline).toBeDefined();
    expect(offline.entries.find((e) => e.key === 'plain-note')?.format).toBe('plain');
  });

  async function conflicted() {
    const w = await world();
    await setUpWithSecrets(w.call, w.core);
    await w.stopServer();
    await w.call('vault.save', { realmId: '', key: 'db-password', value: 'mine', notes: 'mine', mode: 'update' });
    await w.startServer();
    // Meanwhile someone else changed it on the server (another device, a script).
    await w.api('PATCH', 'db-password', { value: 'theirs (plain text from a script)' });
    await w.core.call('vault.checkConnection');
    await expect.poll(async () => okData(await w.call('vault.status')).conflict?.reason).toBe('changed');
    const status = okData(await w.call('vault.status'));
    expect(status).toMatchObject({ pendingChanges: 1, conflict: { key: 'db-password', reason: 'changed' } });
    return { w, opId: status.conflict!.opId };
  }

  it('on a conflict, shows both sides with their times before the choice, and the counts agree', async () => {
    const { w, opId } = await conflicted();
    const status = okData(await w.call('vault.status'));
    const mine = okData(await w.call('vault.revealConflict', { opId, side: 'mine' }));
    const theirs = okData(await w.call('vault.revealConflict', { opId, side: 'theirs' }));
    expect(mine).toEqual({ value: 'mine', format: 'hv1', at: status.conflict!.mineMadeAt });
    expect(theirs).toEqual({ value: 'theirs (plain text from a script)', format: 'plain', at: status.conflict!.theirsUpdatedAt });
    expect(Date.parse(theirs.at!)).toBeGreaterThan(Date.parse(mine.at!));
    const listing = okData(await w.call('vault.list', { realmId: '' }));
    expect(listing.stats.keys).toBe(listing.entries.length);
    expect(await w.call('vault.revealConflict', { opId: '00000000-0000-4000-8000-000000000000', side: 'mine' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('on a conflict, "keep mine" sends my change over theirs', async () => {
    const { w, opId } = await conflicted();
    expect(await w.call('vault.resolveConflict', { opId, choice: 'mine' })).toMatchObject({ ok: true, data: { pendingChanges: 0 } });
    expect(await w.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'mine' } });
  });

  it('on a conflict, "keep theirs" drops my change', async () => {
    const { w, opId } = await conflicted();
    expect(await w.call('vault.resolveConflict', { opId, choice: 'theirs' })).toMatchObject({ ok: true, data: { pendingChanges: 0 } });
    expect(await w.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'theirs (plain text from a script)', format: 'plain' } });
  });

  it('on a conflict, "keep both" saves mine under a new name beside theirs', async () => {
    const { w, opId } = await conflicted();
    expect(await w.call('vault.resolveConflict', { opId, choice: 'both' })).toMatchObject({ ok: true, data: { pendingChanges: 0 } });
    const listing = { data: okData(await w.call('vault.list', { realmId: '' })) };
    const mine = listing.data.entries.find((e) => e.key.startsWith('db-password.mine-'))!;
    expect(mine).toMatchObject({ notes: 'mine' });
    expect(await w.call('vault.reveal', { realmId: '', key: mine.key })).toMatchObject({ ok: true, data: { value: 'mine' } });
    expect(await w.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'theirs (plain text from a script)' } });
  });
});
