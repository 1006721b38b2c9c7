import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import { sealHoodyEnc1 } from '../../../../main/core/crypto/hoody-enc1.js';
import { IdleTimer } from '../../../../main/core/vault/idle-timer.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The vault service end to end through the core's dispatcher, against the sandbox over HTTP.

const sandbox = useSandbox({ vaultLimitMb: 1 });
const tempDir = useTempDir();
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});


async function signedIn(options: { token?: string; userId?: string; dataDir?: string } = {}) {
  const user = options.userId ? { id: options.userId } : await sandbox().admin.createUser();
  const token = options.token ?? sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true }).token;
  const dataDir = options.dataDir ?? (await tempDir());
  const core = await createCore({ dataDir, mode: 'serve', version: 't', keychain: { unavailable: 'not under test here' }, argon2: MIN_ARGON2, engine: { sleep: async () => {} } });
  cores.push(core);
  const call = core.call;
  expect(await call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true })).toMatchObject({ ok: true });
  return { user, token, core, call, dataDir };
}

const raw = async (token: string, key: string, realmId?: string) => {
  const url = new URL(`${sandbox().apiUrl}/vault/keys/${key}`);
  if (realmId) url.searchParams.set('realm_id', realmId);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as { data: { value: string; metadata: unknown } } };
};

describe('vault set-up, lock and unlock', () => {
  it('sets up with a passphrase, shows the recovery key once, and stores only ciphertext', async () => {
    const { call, token } = await signedIn();
    expect(await call('vault.status')).toMatchObject({ ok: true, data: { state: 'not-set-up' } });
    const setup = await call('vault.setup', { passphrase: 'river stone lantern violet' });
    expect(setup).toMatchObject({ ok: true, data: { recoveryKey: expect.stringMatching(/^HVRK-/), status: { state: 'unlocked' } } });
    expect(await call('vault.save', { realmId: '', key: 'db-password', value: 'hunter2-secret', notes: 'production database', mode: 'create' })).toMatchObject({
      ok: true,
      data: { key: 'db-password', format: 'hv1', notes: 'production database', size: 14 },
    });
    const stored = await raw(token, 'db-password');
    expect(stored.body.data.value).toMatch(/^\{"hv":1,"n":"/);
    expect(JSON.stringify(stored.body)).not.toContain('hunter2');
    expect(JSON.stringify(stored.body)).not.toContain('production database');
    expect(stored.body.data.metadata).toMatchObject({ hv: 1, kind: 'secret', size: 14 });
    const listing = await call('vault.list', { realmId: '' });
    expect(listing).toMatchObject({ ok: true, data: { entries: [{ key: 'db-password', notes: 'production database' }], stats: { keys: 1 } } });
    expect(await call('vault.reveal', { realmId: '', key: 'db-password' })).toEqual({ ok: true, data: { value: 'hunter2-secret', format: 'hv1' } });
  });

  it('locks (refusing every entry operation), and unlocks with the passphrase or the recovery key', async () => {
    const { call } = await signedIn();
    const { data } = (await call('vault.setup', { passphrase: 'orange piano meadow quartz' })) as { data: { recoveryKey: string } };
    await call('vault.save', { realmId: '', key: 'k', value: 'v', notes: '', mode: 'create' });
    expect(await call('vault.lock')).toMatchObject({ ok: true, data: { state: 'locked' } });
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await call('vault.reveal', { realmId: '', key: 'k' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await call('vault.unlock', { passphrase: 'orange piano meadow quartz' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    await call('vault.lock');
    expect(await call('vault.unlock', { recoveryKey: data.recoveryKey.toLowerCase() })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    expect(await call('vault.reveal', { realmId: '', key: 'k' })).toMatchObject({ ok: true, data: { value: 'v' } });
  });

  it('says a wrong passphrase is wrong, at its field, with growing waits after repeated failures', async () => {
    const { call } = await signedIn();
    await call('vault.setup', { passphrase: 'correct battery horse staple' });
    await call('vault.lock');
    for (let i = 0; i < 3; i += 1) {
      expect(await call('vault.unlock', { passphrase: `wrong guess ${i}` })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', fields: { passphrase: 'is not the vault passphrase' } } });
    }
    // The third failure armed a wait; even the right passphrase is refused until it is over.
    expect(await call('vault.unlock', { passphrase: 'correct battery horse staple' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    expect(await call('vault.status')).toMatchObject({ ok: true, data: { state: 'locked', failures: 3, retryAt: expect.any(Number) } });
    expect(await call('vault.unlock', { recoveryKey: 'HVRK-NOT-A-KEY' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('unlocks from the local copy of the keyring while the server is down: unlock never waits on the network', async () => {
    const { call, core } = await signedIn();
    await call('vault.setup', { passphrase: 'server down but vault up' });
    await call('vault.lock');
    sandbox().faults.add({ path: '/api/v1', status: 503, times: 1000 });
    try {
      expect(await call('vault.status')).toMatchObject({ ok: true, data: { state: 'locked' } });
      expect(await call('vault.unlock', { passphrase: 'server down but vault up' })).toMatchObject({ ok: true, data: { state: 'unlocked' } });
    } finally {
      sandbox().faults.clear();
    }
    // The local copy holds wrapped keys only.
    const copy = JSON.parse(await readFile(`${core.accounts.accountDataDir(core.accounts.active()!.id)}/keyring.json`, 'utf8'));
    expect(copy).toMatchObject({ format: 'hoody-vault-keyring', passphrase: { wrapped_key: expect.any(String) } });
  });

  it('finds the keyring set up on another device, and refuses a second set-up', async () => {
    const first = await signedIn();
    await first.call('vault.setup', { passphrase: 'first device passphrase' });
    await first.call('vault.save', { realmId: '', key: 'shared', value: 'from device one', notes: '', mode: 'create' });
    const second = await signedIn({ token: first.token, userId: first.user.id });
    expect(await second.call('vault.status')).toMatchObject({ ok: true, data: { state: 'locked' } });
    expect(await second.call('vault.setup', { passphrase: 'another passphrase here' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await second.call('vault.unlock', { passphrase: 'first device passphrase' });
    expect(await second.call('vault.reveal', { realmId: '', key: 'shared' })).toMatchObject({ ok: true, data: { value: 'from device one' } });
  });

  it('changes the passphrase in every scope that holds the keyring, without re-encrypting values', async () => {
    const { call, core, user, token } = await signedIn();
    const realm = sandbox().admin.createRealm({ ownerId: user.id, name: 'Work' });
    await call('vault.setup', { passphrase: 'old passphrase words' });
    await call('vault.save', { realmId: '', key: 'g', value: 'global value', notes: '', mode: 'create' });
    await call('vault.save', { realmId: realm.id, key: 'r', value: 'realm value', notes: '', mode: 'create' });
    const before = (await raw(token, 'r', realm.id)).body.data.value;
    // The current passphrase is asked first: a wrong one changes nothing.
    expect(await core.dispatch('vault.changePassphrase', { newPassphrase: 'new passphrase words' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { currentPassphrase: expect.any(String) } } });
    expect(await call('vault.changePassphrase', { currentPassphrase: 'not the old one', newPassphrase: 'new passphrase words' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', fields: { currentPassphrase: 'is not the current vault passphrase' } },
    });
    expect(await call('vault.changePassphrase', { currentPassphrase: 'old passphrase words', newPassphrase: 'new passphrase words' })).toEqual({ ok: true, data: { scopes: 2 } });
    expect((await raw(token, 'r', realm.id)).body.data.value).toBe(before);
    // A fresh device (no local copy) must find the new passphrase in both scopes.
    const other = await signedIn({ token, userId: user.id });
    expect(await other.call('vault.unlock', { passphrase: 'old passphrase words' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await other.call('vault.unlock', { passphrase: 'new passphrase words' })).toMatchObject({ ok: true });
    expect(await other.call('vault.reveal', { realmId: realm.id, key: 'r' })).toMatchObject({ ok: true, data: { value: 'realm value' } });
    for (const realmId of [undefined, realm.id]) {
      const record = JSON.parse((await raw(token, '_hv.keyring', realmId)).body.data.value);
      expect(record.updated_at > record.created_at).toBe(true);
    }
  });

  it('locks after the idle minutes', () => {
    vi.useFakeTimers();
    try {
      const onIdle = vi.fn();
      const timer = new IdleTimer(2, onIdle);
      timer.start();
      vi.advanceTimersByTime(90_000);
      timer.touch();
      vi.advanceTimersByTime(90_000);
      expect(onIdle).not.toHaveBeenCalled();
      vi.advanceTimersByTime(31_000);
      expect(onIdle).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('locks when another account becomes active', async () => {
    const { call } = await signedIn();
    await call('vault.setup', { passphrase: 'first account words' });
    const other = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: other.id, vaultAccess: true });
    await call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true });
    expect(await call('vault.status')).toMatchObject({ ok: true, data: { state: 'not-set-up' } });
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });
});

describe('vault entries', () => {
  it('keeps realms apart: a keyring is copied into each realm written to, values are bound to their realm', async () => {
    const { call, user, token } = await signedIn();
    const realm = sandbox().admin.createRealm({ ownerId: user.id, name: 'Personal' });
    await call('vault.setup', { passphrase: 'realm test passphrase' });
    expect(await call('vault.realms')).toMatchObject({ ok: true, data: { realms: [realm.id], globalAllowed: true } });
    await call('vault.save', { realmId: realm.id, key: 'api-key', value: 'realm secret', notes: 'in a realm', mode: 'create' });
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { entries: [] } });
    expect(await call('vault.list', { realmId: realm.id.toUpperCase() })).toMatchObject({ ok: true, data: { realmId: realm.id, entries: [{ key: 'api-key', notes: 'in a realm' }] } });
    expect((await raw(token, '_hv.keyring', realm.id)).status).toBe(200);
    // The same ciphertext copied into the global scope does not open there.
    const envelope = (await raw(token, 'api-key', realm.id)).body.data.value;
    await fetch(`${sandbox().apiUrl}/vault/keys/api-key`, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ value: envelope }) });
    expect(await call('vault.reveal', { realmId: '', key: 'api-key' })).toMatchObject({ ok: false, error: { code: 'UNREADABLE' } });
  });

  it('works with a realm-restricted token: its realms only, the keyring kept in them', async () => {
    const owner = await sandbox().admin.createUser();
    const realm = sandbox().admin.createRealm({ ownerId: owner.id, name: 'Only' });
    const restricted = sandbox().admin.createApiToken({ userId: owner.id, vaultAccess: true, allowedRealmIds: [realm.id] });
    const { call } = await signedIn({ token: restricted.token, userId: owner.id });
    expect(await call('vault.status')).toMatchObject({ ok: true, data: { state: 'not-set-up', allowedRealms: [realm.id] } });
    await call('vault.setup', { passphrase: 'restricted token words' });
    expect(await call('vault.realms')).toMatchObject({ ok: true, data: { realms: [realm.id], globalAllowed: false } });
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('vault.save', { realmId: realm.id, key: 'k', value: 'restricted value', notes: '', mode: 'create' })).toMatchObject({ ok: true });
    expect(await call('vault.reveal', { realmId: realm.id, key: 'k' })).toMatchObject({ ok: true, data: { value: 'restricted value' } });
  });

  it('says plainly when the token has no vault access', async () => {
    const person = await sandbox().admin.createUser();
    const noVault = sandbox().admin.createApiToken({ userId: person.id, vaultAccess: false });
    const { call } = await signedIn({ token: noVault.token, userId: person.id });
    const status = (await call('vault.status')) as { data: { state: string; reason: string } };
    expect(status.data.state).toBe('unavailable');
    expect(status.data.reason).toMatch(/not allowed|vault/i);
  });

  it('refuses, before sending, a value that does not fit in the space left, naming how much is left', async () => {
    const { call, user } = await signedIn();
    await call('vault.setup', { passphrase: 'quota test passphrase' });
    const big = 'x'.repeat(1_200_000);
    const refused = await call('vault.save', { realmId: '', key: 'too-big', value: big, notes: '', mode: 'create' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED', fields: { value: expect.stringMatching(/needs .* left/) } } });
    // Nothing was sent for that key.
    const log = await fetch(`${sandbox().apiUrl}/users/auth/activity?method=PATCH&limit=100`, { headers: { Authorization: `Bearer ${sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true }).token}` } });
    const records = ((await log.json()) as { data: Array<{ path: string }> }).data;
    expect(records.some((r) => r.path.includes('too-big'))).toBe(false);
    expect(await call('vault.save', { realmId: '', key: 'fits', value: 'x'.repeat(100_000), notes: '', mode: 'create' })).toMatchObject({ ok: true });
    const listing = (await call('vault.list', { realmId: '' })) as { data: { stats: { keys: number; remainingBytes: number; accountLimitBytes: number } } };
    expect(listing.data.stats).toMatchObject({ keys: 1, accountLimitBytes: 1024 * 1024 });
    expect(listing.data.stats.remainingBytes).toBeLessThan(1024 * 1024 - 100_000);
  });

  it('refuses bad or reserved key names and duplicate names at the field', async () => {
    const { call } = await signedIn();
    await call('vault.setup', { passphrase: 'field rules passphrase' });
    expect(await call('vault.save', { realmId: '', key: 'has space', value: 'v', notes: '', mode: 'create' })).toMatchObject({ ok: false, error: { fields: { key: expect.stringContaining('letters, digits') } } });
    expect(await call('vault.save', { realmId: '', key: '_hv.keyring', value: 'v', notes: '', mode: 'create' })).toMatchObject({ ok: false, error: { fields: { key: expect.stringContaining('reserved') } } });
    expect(await call('vault.save', { realmId: 'abc', key: 'k', value: 'v', notes: '', mode: 'create' })).toMatchObject({ ok: false, error: { fields: { realmId: expect.any(String) } } });
    await call('vault.save', { realmId: '', key: 'dup', value: 'v', notes: '', mode: 'create' });
    expect(await call('vault.save', { realmId: '', key: 'dup', value: 'v2', notes: '', mode: 'create' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', fields: { key: 'already exists in this scope' } } });
    expect(await call('vault.save', { realmId: '', key: 'dup', notes: 'x'.repeat(10_001), mode: 'update' })).toMatchObject({ ok: false, error: { fields: { notes: expect.any(String) } } });
  });

  it('edits notes alone, and the value, keeping both sealed', async () => {
    const { call } = await signedIn();
    await call('vault.setup', { passphrase: 'edit test passphrase' });
    await call('vault.save', { realmId: '', key: 'edit-me', value: 'first', notes: 'one', mode: 'create' });
    expect(await call('vault.save', { realmId: '', key: 'edit-me', notes: 'two', mode: 'update' })).toMatchObject({ ok: true, data: { notes: 'two' } });
    expect(await call('vault.reveal', { realmId: '', key: 'edit-me' })).toMatchObject({ ok: true, data: { value: 'first' } });
    expect(await call('vault.save', { realmId: '', key: 'edit-me', value: 'second', notes: 'three', mode: 'update' })).toMatchObject({ ok: true, data: { notes: 'three' } });
    expect(await call('vault.reveal', { realmId: '', key: 'edit-me' })).toMatchObject({ ok: true, data: { value: 'second' } });
    expect(await call('vault.delete', { realmId: '', key: 'edit-me' })).toEqual({ ok: true, data: { pending: false } });
    expect(await call('vault.reveal', { realmId: '', key: 'edit-me' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('marks plain text as not encrypted, and encrypts it in place, sealing its plain metadata too', async () => {
    const { call, token } = await signedIn();
    await call('vault.setup', { passphrase: 'plain text passphrase' });
    await fetch(`${sandbox().apiUrl}/vault/keys/api-keys`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: '{"api_key": "sk_test_123456", "encrypted": true}', metadata: { filename: 'api-keys.json', content_type: 'application/json', purpose: 'Production API keys' } }),
    });
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { entries: [{ key: 'api-keys', format: 'plain', filename: 'api-keys.json' }] } });
    expect(await call('vault.reveal', { realmId: '', key: 'api-keys' })).toMatchObject({ ok: true, data: { format: 'plain', value: '{"api_key": "sk_test_123456", "encrypted": true}' } });
    expect(await call('vault.encrypt', { realmId: '', key: 'api-keys' })).toMatchObject({ ok: true, data: { format: 'hv1', filename: 'api-keys.json', contentType: 'application/json', notes: 'purpose: Production API keys' } });
    const stored = await raw(token, 'api-keys');
    expect(JSON.stringify(stored.body)).not.toMatch(/sk_test|Production API keys|api-keys\.json/);
    expect(await call('vault.reveal', { realmId: '', key: 'api-keys' })).toMatchObject({ ok: true, data: { format: 'hv1', value: '{"api_key": "sk_test_123456", "encrypted": true}' } });
  });

  it("opens Hoody's own _enc values with the vault passphrase, or asks for their password", async () => {
    const { call, token } = await signedIn();
    await call('vault.setup', { passphrase: 'same password both ways' });
    const put = async (key: string, value: string) =>
      fetch(`${sandbox().apiUrl}/vault/keys/${key}`, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ value }) });
    await put('sdk-same', await sealHoodyEnc1('opened with the passphrase', 'same password both ways', 100_000));
    await put('sdk-other', await sealHoodyEnc1('needs its own password', 'a different password', 100_000));
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { entries: expect.arrayContaining([expect.objectContaining({ key: 'sdk-same', format: 'hoody-enc1' })]) } });
    expect(await call('vault.reveal', { realmId: '', key: 'sdk-same' })).toEqual({ ok: true, data: { value: 'opened with the passphrase', format: 'hoody-enc1' } });
    expect(await call('vault.reveal', { realmId: '', key: 'sdk-other' })).toMatchObject({ ok: false, error: { code: 'PASSWORD_REQUIRED', fields: { password: expect.any(String) } } });
    expect(await call('vault.reveal', { realmId: '', key: 'sdk-other', password: 'wrong' })).toMatchObject({ ok: false, error: { code: 'PASSWORD_REQUIRED', fields: { password: 'does not open this value' } } });
    expect(await call('vault.reveal', { realmId: '', key: 'sdk-other', password: 'a different password' })).toMatchObject({ ok: true, data: { value: 'needs its own password' } });
    expect(await call('vault.encrypt', { realmId: '', key: 'sdk-other', password: 'a different password' })).toMatchObject({ ok: true, data: { format: 'hv1' } });
    expect(await call('vault.reveal', { realmId: '', key: 'sdk-other' })).toMatchObject({ ok: true, data: { value: 'needs its own password', format: 'hv1' } });
  });

  it('deletes everything in a scope only when its name is typed, and keeps the vault usable', async () => {
    const { call } = await signedIn();
    await call('vault.setup', { passphrase: 'delete all passphrase' });
    for (const key of ['a', 'b', 'c']) await call('vault.save', { realmId: '', key, value: key, notes: '', mode: 'create' });
    expect(await call('vault.clear', { realmId: '', confirmation: 'yes' })).toMatchObject({ ok: false, error: { fields: { confirmation: 'must be “global”' } } });
    expect(await call('vault.clear', { realmId: '', confirmation: 'global' })).toEqual({ ok: true, data: { deleted: 3 } });
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { entries: [] } });
    await call('vault.lock');
    expect(await call('vault.unlock', { passphrase: 'delete all passphrase' })).toMatchObject({ ok: true });
    expect(await call('vault.save', { realmId: '', key: 'after', value: 'still works', notes: '', mode: 'create' })).toMatchObject({ ok: true });
  });

  it("stores the profile's generated private key in the vault, sealed, once", async () => {
    const { call } = await signedIn();
    await call('vault.setup', { passphrase: 'signing key passphrase' });
    expect(await call('vault.storeSigningKey', { realmId: '', key: 'signing-key' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const pair = (await call('profile.generateKeyPair')) as { data: { publicKey: string; privateKey: string } };
    expect(await call('vault.storeSigningKey', { realmId: '', key: 'signing-key' })).toMatchObject({ ok: true, data: { key: 'signing-key', notes: expect.stringContaining(pair.data.publicKey) } });
    expect(await call('vault.reveal', { realmId: '', key: 'signing-key' })).toMatchObject({ ok: true, data: { value: pair.data.privateKey } });
    expect(await call('vault.storeSigningKey', { realmId: '', key: 'signing-key-2' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('copies through the window in serve mode, telling it to clear after 30 s', async () => {
    const { call } = await signedIn();
    await call('vault.setup', { passphrase: 'copy test passphrase' });
    await call('vault.save', { realmId: '', key: 'copy-me', value: 'to the clipboard', notes: '', mode: 'create' });
    expect(await call('vault.copy', { realmId: '', key: 'copy-me' })).toEqual({ ok: true, data: { by: 'renderer', value: 'to the clipboard', clearAfterSeconds: 30 } });
  });
});

describe('copying in the desktop app', () => {
  it('main copies the value and clears the clipboard after 30 s only if it still holds it', async () => {
    let clipboardText = '';
    const clipboard = { writeText: async (t: string) => void (clipboardText = t), readText: async () => clipboardText, clear: async () => void (clipboardText = '') };
    const user = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const core = await createCore({ dataDir: await tempDir(), mode: 'electron', version: 't', keychain: { unavailable: 'x' }, argon2: MIN_ARGON2, clipboard });
    cores.push(core);
    await core.dispatch('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true });
    await core.dispatch('vault.setup', { passphrase: 'clipboard passphrase' });
    await core.dispatch('vault.save', { realmId: '', key: 'c1', value: 'first secret', notes: '', mode: 'create' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      expect(await core.dispatch('vault.copy', { realmId: '', key: 'c1' })).toEqual({ ok: true, data: { by: 'main', clearAfterSeconds: 30 } });
      expect(clipboardText).toBe('first secret');
      await vi.advanceTimersByTimeAsync(29_000);
      expect(clipboardText).toBe('first secret');
      await vi.advanceTimersByTimeAsync(1_500);
      expect(clipboardText).toBe('');
      await core.dispatch('vault.copy', { realmId: '', key: 'c1' });
      clipboardText = 'something the user copied later';
      await vi.advanceTimersByTimeAsync(31_000);
      expect(clipboardText).toBe('something the user copied later');
    } finally {
      vi.useRealTimers();
    }
  });
});
