import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { createKeyring } from '../../../../main/core/crypto/keyring.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import { newRecoveryKey } from '../../../../main/core/crypto/recovery-key.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// One vault per scope, always (issue 12 §1), end to end against the sandbox: each core is a
// computer with its own data folder; plain HTTP calls with the same token are "the other tool"
// (Hoody's CLI or a script), to which `_hv.keyring` is an ordinary key.

const sandbox = useSandbox();
/** Checks run in the background after an unlock (a key derivation among them): wait on the state, generously. */
const WAIT = { timeout: 60_000, interval: 100 };
const tempDir = useTempDir();
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

type Dispatched<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };
interface Notice {
  realmId: string;
  kind: string;
  message: string;
  ours: { vaultId: string; createdAt: string; updatedAt: string };
  theirs?: { vaultId: string; createdAt: string };
  entries?: { ours: number; theirs: number };
}
interface Status {
  state: string;
  failures: number;
  reason?: string;
  keyring?: Notice[];
}

/** A computer: its own data folder, signed in to the same account with the same token. */
async function computer(account: { userId: string; token: string }) {
  const dataDir = await tempDir();
  const core = await createCore({ dataDir, mode: 'serve', version: 't', keychain: { unavailable: 'not under test here' }, argon2: MIN_ARGON2, engine: { sleep: async () => {} } });
  cores.push(core);
  const call = <T = unknown>(op: string, input?: unknown) => core.dispatch(op, input) as Promise<Dispatched<T>>;
  expect(await call('accounts.signInWithToken', { serverUrl: sandbox().url, token: account.token, sessionOnly: true })).toMatchObject({ ok: true });
  const status = async () => ((await call<Status>('vault.status')) as { data: Status }).data;
  const accountDir = core.accounts.accountDataDir(core.accounts.active()!.id);
  return { core, call, status, accountDir };
}

async function account() {
  const user = await sandbox().admin.createUser();
  const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
  const tool = otherTool(token);
  return { userId: user.id, token, tool };
}

/** Hoody's CLI, as far as the vault goes: plain HTTP with the token. */
function otherTool(token: string) {
  const url = (key: string, realmId?: string) => `${sandbox().apiUrl}/vault/keys/${key}${realmId ? `?realm_id=${realmId}` : ''}`;
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  return {
    delete: (key: string, realmId?: string) => fetch(url(key, realmId), { method: 'DELETE', headers }),
    put: (key: string, body: { value: string; metadata?: unknown }, realmId?: string) => fetch(url(key, realmId), { method: 'PATCH', headers, body: JSON.stringify(body) }),
    get: async (key: string, realmId?: string) => {
      const response = await fetch(url(key, realmId), { headers });
      return { status: response.status, value: response.ok ? ((await response.json()) as { data: { value: string } }).data.value : undefined };
    },
    vaultIdIn: async (realmId?: string) => {
      const read = await fetch(url('_hv.keyring', realmId), { headers });
      return read.ok ? (JSON.parse(((await read.json()) as { data: { value: string } }).data.value) as { vault_id: string }).vault_id : undefined;
    },
  };
}

const save = (key: string, value: string, realmId = '') => ({ realmId, key, value, notes: `notes of ${key}`, mode: 'create' as const });

describe('a keyring deleted by another tool', () => {
  it('is never replaced by a second vault: the other computer is refused set-up, the first puts it back at its next write', async () => {
    const acct = await account();
    const first = await computer(acct);
    await first.call('vault.setup', { passphrase: 'first computer passphrase' });
    expect(await first.call('vault.save', save('db-password', 'hunter2'))).toMatchObject({ ok: true });
    const vaultId = await acct.tool.vaultIdIn();

    // `hoody vault delete _hv.keyring`
    expect((await acct.tool.delete('_hv.keyring')).status).toBe(200);

    // The second computer does not say "not set up", and refuses to make a second vault.
    const second = await computer(acct);
    const seen = await second.status();
    expect(seen.state).toBe('keyring-missing');
    expect(seen.reason).toMatch(/1 entry sealed by Hoody Vault.*Restore the keyring/);
    expect(await second.call('vault.setup', { passphrase: 'a second vault passphrase' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Restore the keyring') } });
    expect(await second.call('vault.unlock', { passphrase: 'first computer passphrase' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('Restore the keyring') } });
    expect(await acct.tool.vaultIdIn()).toBeUndefined();

    // The first computer, still unlocked, checks before writing: the keyring is put back, and said so.
    expect(await first.call('vault.save', save('api-key', 'sk_live_1'))).toMatchObject({ ok: true });
    expect(await acct.tool.vaultIdIn()).toBe(vaultId);
    const notices = (await first.status()).keyring!;
    expect(notices).toEqual([expect.objectContaining({ realmId: '', kind: 'restored', message: expect.stringContaining('put back from this computer') })]);
    expect(await first.call('vault.resolveKeyring', { realmId: '', choice: 'dismiss' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect((await first.status()).keyring).toBeUndefined();

    // Now the second computer finds the one vault and opens both values with its passphrase.
    expect((await second.status()).state).toBe('locked');
    expect(await second.call('vault.unlock', { passphrase: 'first computer passphrase' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await second.call('vault.reveal', { realmId: '', key: 'api-key' })).toMatchObject({ ok: true, data: { value: 'sk_live_1' } });
    expect(await second.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'hunter2' } });
  });

  it('is put back at the next sync, in a realm as in the global scope, with a notice', async () => {
    const acct = await account();
    const realm = sandbox().admin.createRealm({ ownerId: acct.userId, name: 'Work' });
    const first = await computer(acct);
    await first.call('vault.setup', { passphrase: 'realm sync passphrase' });
    await first.call('vault.save', save('deploy-key', 'realm secret', realm.id));
    const vaultId = await acct.tool.vaultIdIn(realm.id);
    expect(vaultId).toEqual(expect.any(String));
    await acct.tool.delete('_hv.keyring', realm.id);
    expect(await first.call('vault.list', { realmId: realm.id })).toMatchObject({ ok: true });
    await expect.poll(async () => (await first.status()).keyring?.[0], WAIT).toMatchObject({ realmId: realm.id, kind: 'restored' });
    expect(await acct.tool.vaultIdIn(realm.id)).toBe(vaultId);
  });

  it('is refused set-up over, even when only a realm holds sealed entries', async () => {
    const acct = await account();
    const realm = sandbox().admin.createRealm({ ownerId: acct.userId, name: 'Only here' });
    const first = await computer(acct);
    await first.call('vault.setup', { passphrase: 'realm only passphrase' });
    await first.call('vault.save', save('k', 'v', realm.id));
    await acct.tool.delete('_hv.keyring');
    await acct.tool.delete('_hv.keyring', realm.id);
    const second = await computer(acct);
    expect((await second.status()).state).toBe('keyring-missing');
    expect(await second.call('vault.setup', { passphrase: 'would be a second vault' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(realm.id) } });
  });

  it('is rebuilt from the entries with the recovery key, in every scope that held them', async () => {
    const acct = await account();
    const realm = sandbox().admin.createRealm({ ownerId: acct.userId, name: 'Personal' });
    const first = await computer(acct);
    const { data } = (await first.call<{ recoveryKey: string }>('vault.setup', { passphrase: 'original passphrase words' })) as { data: { recoveryKey: string } };
    await first.call('vault.save', save('global-secret', 'in global'));
    await first.call('vault.save', save('realm-secret', 'in the realm', realm.id));
    const vaultId = await acct.tool.vaultIdIn();
    await acct.tool.delete('_hv.keyring');
    await acct.tool.delete('_hv.keyring', realm.id);

    const second = await computer(acct);
    expect((await second.status()).state).toBe('keyring-missing');
    const wrong = (await newRecoveryKey()).text;
    expect(await second.call('vault.restoreKeyring', { recoveryKey: wrong, passphrase: 'chosen again words' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', fields: { recoveryKey: 'does not open these entries' } } });
    expect(await acct.tool.vaultIdIn()).toBeUndefined();
    expect(await second.call('vault.restoreKeyring', { recoveryKey: data.recoveryKey, passphrase: 'chosen again words' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await second.call('vault.reveal', { realmId: '', key: 'global-secret' })).toMatchObject({ ok: true, data: { value: 'in global' } });
    expect(await second.call('vault.reveal', { realmId: realm.id, key: 'realm-secret' })).toMatchObject({ ok: true, data: { value: 'in the realm' } });
    // The same vault, back in both scopes; the new passphrase opens it, and so does the recovery key.
    expect(await acct.tool.vaultIdIn()).toBe(vaultId);
    expect(await acct.tool.vaultIdIn(realm.id)).toBe(vaultId);
    await second.call('vault.lock');
    expect(await second.call('vault.unlock', { passphrase: 'chosen again words' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    const third = await computer(acct);
    expect(await third.call('vault.unlock', { recoveryKey: data.recoveryKey })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
  });
});

describe("another vault's keyring in a scope", () => {
  async function withForeignKeyring() {
    const acct = await account();
    const first = await computer(acct);
    await first.call('vault.setup', { passphrase: 'this computer passphrase' });
    await first.call('vault.save', save('db-password', 'hunter2'));
    const ours = await acct.tool.vaultIdIn();
    // Another vault's keyring written over ours, as a second set-up elsewhere would have.
    const other = await createKeyring('the other vault passphrase', MIN_ARGON2, new Date('2026-01-02T03:04:05Z'));
    await acct.tool.put('_hv.keyring', { value: JSON.stringify(other.record), metadata: { hv: 1, kind: 'keyring' } });
    return { acct, first, ours: ours!, theirs: other.record.vault_id };
  }

  it('stops writes to that scope and asks, showing both vaults and their dates; reads go on', async () => {
    const { acct, first, ours, theirs } = await withForeignKeyring();
    expect(await first.call('vault.save', save('new-secret', 'not written'))).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining("different vault's keyring") } });
    expect((await acct.tool.get('new-secret')).status).toBe(404);
    expect(await acct.tool.vaultIdIn()).toBe(theirs);
    const notice = (await first.status()).keyring![0]!;
    expect(notice).toMatchObject({ realmId: '', kind: 'foreign', ours: { vaultId: ours }, theirs: { vaultId: theirs, createdAt: '2026-01-02T03:04:05.000Z' }, entries: { ours: 1, theirs: 0 } });
    expect(notice.ours.createdAt).toEqual(expect.any(String));
    expect(notice.message).toContain('2026-01-02');
    expect(await first.call('vault.reveal', { realmId: '', key: 'db-password' })).toMatchObject({ ok: true, data: { value: 'hunter2' } });
    expect(await first.call('vault.resolveKeyring', { realmId: '', choice: 'dismiss' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { choice: expect.any(String) } } });
  });

  it('is checked per realm: writes stop in the realm that holds it, and go on elsewhere', async () => {
    const acct = await account();
    const realm = sandbox().admin.createRealm({ ownerId: acct.userId, name: 'Shared' });
    const first = await computer(acct);
    await first.call('vault.setup', { passphrase: 'per realm passphrase' });
    await first.call('vault.save', save('in-realm', 'v', realm.id));
    const other = await createKeyring('another vault in the realm', MIN_ARGON2);
    await acct.tool.put('_hv.keyring', { value: JSON.stringify(other.record), metadata: { hv: 1, kind: 'keyring' } }, realm.id);
    expect(await first.call('vault.save', save('refused', 'x', realm.id))).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await first.call('vault.save', save('global-ok', 'y'))).toMatchObject({ ok: true });
    expect((await first.status()).keyring).toEqual([expect.objectContaining({ realmId: realm.id, kind: 'foreign', theirs: expect.objectContaining({ vaultId: other.record.vault_id }) })]);
  });

  it('is noticed at unlock by a computer that opens its own copy, which then writes nothing there', async () => {
    const { first } = await withForeignKeyring();
    await first.call('vault.lock');
    expect(await first.call('vault.unlock', { passphrase: 'this computer passphrase' })).toMatchObject({ ok: true });
    await expect.poll(async () => (await first.status()).keyring?.[0]?.kind, WAIT).toBe('foreign');
    expect(await first.call('vault.save', { realmId: '', key: 'db-password', value: 'changed', notes: '', mode: 'update' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('"keep this computer\'s vault" puts ours back, keeping the other keyring aside on this computer', async () => {
    const { acct, first, ours, theirs } = await withForeignKeyring();
    await first.call('vault.save', save('blocked', 'x'));
    expect(await first.call('vault.resolveKeyring', { realmId: '', choice: 'ours' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await acct.tool.vaultIdIn()).toBe(ours);
    expect(await first.call('vault.save', save('now-allowed', 'written'))).toMatchObject({ ok: true });
    const aside = (await readdir(first.accountDir)).filter((f) => f.startsWith('keyring.aside-'));
    expect(aside).toEqual([`keyring.aside-${Buffer.from(theirs, 'base64').toString('hex')}.json`]);
  });

  it('"use the other vault" switches this computer to it: locked, then opened by that passphrase', async () => {
    const { acct, first, theirs } = await withForeignKeyring();
    await first.call('vault.save', save('blocked', 'x'));
    expect(await first.call('vault.resolveKeyring', { realmId: '', choice: 'theirs' })).toMatchObject({ ok: true, data: { state: 'locked', reason: 'vault-switched' } });
    expect(await first.call('vault.unlock', { passphrase: 'the other vault passphrase' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await first.call('vault.save', save('in-their-vault', 'written'))).toMatchObject({ ok: true });
    expect(await acct.tool.vaultIdIn()).toBe(theirs);
    expect((await readdir(first.accountDir)).some((f) => f.startsWith('keyring.aside-'))).toBe(true);
  });
});

describe('a newer server keyring (issue 11, item 4)', () => {
  it('replaces the local copy only if it opens: a flipped bit dated 2099 is reported, and unlocking still works', async () => {
    const acct = await account();
    const first = await computer(acct);
    await first.call('vault.setup', { passphrase: 'do not lock me out' });
    const record = JSON.parse((await acct.tool.get('_hv.keyring')).value!) as { updated_at: string; passphrase: { wrapped_key: string } };
    const bytes = Buffer.from(record.passphrase.wrapped_key, 'base64');
    bytes[0]! ^= 0x01;
    record.passphrase.wrapped_key = bytes.toString('base64');
    record.updated_at = '2099-01-01T00:00:00.000Z';
    await acct.tool.put('_hv.keyring', { value: JSON.stringify(record), metadata: { hv: 1, kind: 'keyring' } });
    await first.call('vault.lock');
    expect(await first.call('vault.unlock', { passphrase: 'do not lock me out' })).toMatchObject({ ok: true });
    await expect.poll(async () => (await first.status()).keyring?.[0], WAIT).toMatchObject({ kind: 'damaged', theirs: { vaultId: expect.any(String) } });
    await first.call('vault.lock');
    expect(await first.call('vault.unlock', { passphrase: 'do not lock me out' })).toMatchObject({ ok: true, data: { state: 'unlocked', failures: 0 } });
  });

  it('is taken when it opens: a passphrase changed on another computer opens this one too', async () => {
    const acct = await account();
    const first = await computer(acct);
    await first.call('vault.setup', { passphrase: 'passphrase before change' });
    await first.call('vault.lock');
    const second = await computer(acct);
    await second.call('vault.unlock', { passphrase: 'passphrase before change' });
    expect(await second.call('vault.changePassphrase', { currentPassphrase: 'passphrase before change', newPassphrase: 'passphrase after change' })).toMatchObject({ ok: true });
    expect(await first.call('vault.unlock', { passphrase: 'passphrase after change' })).toMatchObject({ ok: true, data: { state: 'unlocked', failures: 0 } });
    await first.call('vault.lock');
    await first.call('vault.unlock', { passphrase: 'passphrase after change' });
    expect((await first.status()).state).toBe('unlocked');
  });
});
