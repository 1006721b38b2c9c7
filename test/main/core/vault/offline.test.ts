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

// Offline and back, against a real sandbox that is stopped and started again on the same port and
// data folder, with cores restarted on the same user-data folder.

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

type Result<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
type Listing = { entries: Array<{ key: string; notes: string; pending?: string }>; offline?: { syncedAt: string }; copy: { state: string } };
type Status = { state: string; online: boolean; pendingChanges: number; conflict?: { opId: string; reason: string; key: string } };

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
  const openCore = async () => {
    const core: Core = await createCore({ dataDir: appDir, mode: 'serve', version: 't', keychain, argon2: MIN_ARGON2, engine: { sleep: async () => {}, timeoutMs: 2000 } });
    cleanups.push(() => core.close());
    const call = <T = unknown>(op: string, input?: unknown) => core.dispatch(op, input) as Promise<Result<T>>;
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

async function setUpWithSecrets(call: <T = unknown>(op: string, input?: unknown) => Promise<Result<T>>, core: Core) {
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
    const listing = (await w.call<Listing>('vault.list', { realmId: '' })) as { ok: true; data: Listing };
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
    const offline = (await w.call<Listing>('vault.list', { realmId: '' })) as { ok: true; data: Listing };
    expect(offline.data.entries.map((e) => e.key).sort()).toEqual(['created-later', 'db-password']);
    expect(await w.call('vault.reveal', { realmId: '', key: 'created-later' })).toMatchObject({ ok: true, data: { value: 'edited offline' } });
    await w.startServer();
    await w.core.call('vault.checkConnection');
    await expect.poll(async () => ((await w.call<Status>('vault.status')) as { data: Status }).data.pendingChanges).toBe(0);
    expect(((await w.call<Status>('vault.status')) as { data: Status }).data.conflict).toBeUndefined();
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
    const offline = (await w.call<Listing>('vault.list', { realmId: '' })) as { data: Listing };
    expect(Object.fromEntries(offline.data.entries.map((e) => [e.key, e.pending]))).toEqual({ 'db-password': 'save', 'new-offline': 'save', 'api-key': 'delete' });
    expect(await w.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'changed-offline' } });

    // Restart: the outbox is on disk, sealed; the unlock is from the local keyring copy.
    await w.core.close();
    const again = await w.openCore();
    await again.call('vault.unlock', { passphrase: 'offline test passphrase' });
    expect(await again.call('vault.status')).toMatchObject({ ok: true, data: { pendingChanges: 3 } });
    await w.startServer();
    await again.core.call('vault.checkConnection');
    await expect.poll(async () => ((await again.call<Status>('vault.status')) as { data: Status }).data.pendingChanges).toBe(0);
    expect(await (await w.api('GET', 'api-key')).json()).toMatchObject({ statusCode: 404 });
    expect(await again.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'changed-offline' } });
    expect(await again.call('vault.reveal', { realmId: '', key: 'new-offline' })).toMatchObject({ ok: true, data: { value: 'made offline' } });
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
    await expect.poll(async () => ((await w.call<Status>('vault.status')) as { data: Status }).data.conflict?.reason).toBe('changed');
    const status = ((await w.call<Status>('vault.status')) as { data: Status }).data;
    expect(status).toMatchObject({ pendingChanges: 1, conflict: { key: 'db-password', reason: 'changed' } });
    return { w, opId: status.conflict!.opId };
  }

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
    const listing = (await w.call<Listing>('vault.list', { realmId: '' })) as { data: Listing };
    const mine = listing.data.entries.find((e) => e.key.startsWith('db-password.mine-'))!;
    expect(mine).toMatchObject({ notes: 'mine' });
    expect(await w.call('vault.reveal', { realmId: '', key: mine.key })).toMatchObject({ ok: true, data: { value: 'mine' } });
    expect(await w.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'theirs (plain text from a script)' } });
  });
});
