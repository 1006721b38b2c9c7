import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { nextSync } from '../../../support/vault-sync.js';

// Labels that tell the truth (issue 12 §2): a value that cannot open is badged "Cannot open" in the
// list, found without a request where it can be (metadata missing, a size that cannot be), else at
// the first open of that version, and kept. Another tool is plain HTTP with the same token.

const sandbox = useSandbox();
const tempDir = useTempDir();
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

type Result<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
interface Item {
  key: string;
  format: string;
  kind: string;
  problem?: string;
}

async function unlocked() {
  const user = await sandbox().admin.createUser();
  const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
  const dir = await tempDir();
  const core = await createCore({ dataDir: dir, mode: 'electron', version: 't', keychain: { unavailable: 'x' }, argon2: MIN_ARGON2, engine: { sleep: async () => {} } });
  cores.push(core);
  const call = <T = unknown>(op: string, input?: unknown) => core.dispatch(op, input) as Promise<Result<T>>;
  await call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true });
  await call('vault.setup', { passphrase: 'labels test passphrase' });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const tool = {
    get: async (key: string) => ((await (await fetch(`${sandbox().apiUrl}/vault/keys/${key}`, { headers })).json()) as { data: { value: string; metadata: unknown } }).data,
    put: (key: string, body: { value: string; metadata?: unknown }) => fetch(`${sandbox().apiUrl}/vault/keys/${key}`, { method: 'PATCH', headers, body: JSON.stringify(body) }),
  };
  const list = async () => Object.fromEntries(((await call<{ entries: Item[] }>('vault.list', { realmId: '' })) as { data: { entries: Item[] } }).data.entries.map((e) => [e.key, e]));
  const save = (key: string, value: string) => call('vault.save', { realmId: '', key, value, notes: `about ${key}`, mode: 'create' });
  return { core, call, tool, list, save, dir };
}

describe('labels in the list', () => {
  it('badge a sealed value another tool copied to another name (without its metadata) as "Cannot open"', async () => {
    const { tool, list, save } = await unlocked();
    await save('original', 'the secret');
    await tool.put('copied', { value: (await tool.get('original')).value });
    const items = await list();
    expect(items.original).toMatchObject({ format: 'hv1' });
    expect(items.copied).toMatchObject({ format: 'unreadable', problem: expect.stringContaining('metadata') });
  });

  it('catch, from its size alone, a value replaced under metadata that still opens; secrets and files of every size stay "hv1"', async () => {
    const { core, tool, list, save, dir } = await unlocked();
    for (const [key, value] of [['empty', ''], ['short', 'x'], ['medium', 'y'.repeat(100)], ['long', 'é'.repeat(5000)]] as const) await save(key, value);
    const path = join(dir, 'report.bin');
    await writeFile(path, Buffer.alloc(200_000, 7));
    const [file] = await core.fileRegistry.register([path]);
    expect(await core.dispatch('vault.uploadFile', { fileId: file!.fileId, realmId: '', key: 'report.bin', uploadId: crypto.randomUUID() })).toMatchObject({ ok: true });
    const before = await list();
    for (const key of ['empty', 'short', 'medium', 'long', 'report.bin']) expect(before[key]).toMatchObject({ format: 'hv1' });
    // `short` keeps its own (opening) metadata, but gets `medium`'s sealed value.
    const { metadata } = await tool.get('short');
    await tool.put('short', { value: (await tool.get('medium')).value, metadata });
    expect((await list()).short).toMatchObject({ format: 'unreadable', problem: expect.stringContaining('size') });
  });

  it('settle, at the first open, what the size cannot, and keep it: after a reveal, and from the local copy after a sync', async () => {
    const { core, call, tool, list, save } = await unlocked();
    await save('first', 'aaaa');
    await save('second', 'bbbb');
    const { metadata } = await tool.get('first');
    await tool.put('first', { value: (await tool.get('second')).value, metadata });
    // Same size, metadata that opens: nothing tells without the value.
    expect((await list()).first).toMatchObject({ format: 'hv1' });
    expect(await call('vault.reveal', { realmId: '', key: 'first' })).toMatchObject({ ok: false, error: { code: 'UNREADABLE' } });
    expect((await list()).first).toMatchObject({ format: 'unreadable', problem: expect.stringContaining('does not open') });
    expect((await list()).second).toMatchObject({ format: 'hv1' });

    // A new session knows nothing yet; the sync brings the value to this computer, and the next listing tells.
    await call('vault.lock');
    await call('vault.unlock', { passphrase: 'labels test passphrase' });
    const synced = nextSync(core, '');
    expect((await list()).first).toMatchObject({ format: 'hv1' });
    await synced;
    expect((await list()).first).toMatchObject({ format: 'unreadable' });
  });
});
