import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSIONS_DIR, VaultSessionStore } from '../../../../main/core/vault/session-store.js';
import { useTempDir } from '../../../support/temp-dir.js';

// Command-line vault sessions: the vault key sealed in the data folder under a secret only the
// session value carries; ended by time, by locking, and useless without both halves.

const tempDir = useTempDir();
const key = () => new Uint8Array(randomBytes(32));
const ACCOUNT = 'u1@127.0.0.1:1';

describe('VaultSessionStore', () => {
  it('gives back the vault key for the session value, for its own account only', async () => {
    const dir = await tempDir();
    const store = new VaultSessionStore(dir);
    const vaultKey = key();
    const { session, expiresAt } = await store.open({ accountId: ACCOUNT, vaultId: 'v1', vaultKey, minutes: 5 });
    expect(session).toMatch(/^hvs1\.[0-9a-f]{32}\.[\w-]{43}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
    const taken = await store.take(session, ACCOUNT);
    expect(Buffer.from(taken.vaultKey).equals(Buffer.from(vaultKey))).toBe(true);
    expect(taken.vaultId).toBe('v1');
    await expect(store.take(session, 'someone@else')).rejects.toMatchObject({ code: 'LOCKED' });
    // The file holds neither the key nor the secret in the clear.
    const [file] = await readdir(join(dir, SESSIONS_DIR));
    const bytes = await readFile(join(dir, SESSIONS_DIR, file!));
    expect(bytes.includes(Buffer.from(vaultKey))).toBe(false);
    expect(bytes.toString('latin1')).not.toContain(Buffer.from(vaultKey).toString('base64'));
    expect(bytes.toString('latin1')).not.toContain(session.split('.')[2]!);
  });

  it('ends at its time, and the expired file is deleted', async () => {
    const dir = await tempDir();
    let now = Date.now();
    const store = new VaultSessionStore(dir, () => now);
    const { session } = await store.open({ accountId: ACCOUNT, vaultId: 'v1', vaultKey: key(), minutes: 1 });
    now += 59_000;
    await expect(store.take(session, ACCOUNT)).resolves.toBeDefined();
    now += 2_000;
    await expect(store.take(session, ACCOUNT)).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/ended/) });
    expect(await readdir(join(dir, SESSIONS_DIR))).toEqual([]);
  });

  it('destroyAll ends every session', async () => {
    const dir = await tempDir();
    const store = new VaultSessionStore(dir);
    const a = await store.open({ accountId: ACCOUNT, vaultId: 'v1', vaultKey: key() });
    const b = await store.open({ accountId: 'other@h', vaultId: 'v2', vaultKey: key() });
    expect(await store.destroyAll()).toBe(2);
    await expect(store.take(a.session, ACCOUNT)).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(store.take(b.session, 'other@h')).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('refuses a wrong secret, a tampered file, a malformed value and a bad length', async () => {
    const dir = await tempDir();
    const store = new VaultSessionStore(dir);
    const { session } = await store.open({ accountId: ACCOUNT, vaultId: 'v1', vaultKey: key() });
    const [prefix, id] = session.split('.');
    const otherSecret = Buffer.from(randomBytes(32)).toString('base64url');
    await expect(store.take(`${prefix}.${id}.${otherSecret}`, ACCOUNT)).rejects.toMatchObject({ code: 'LOCKED' });
    const path = join(dir, SESSIONS_DIR, `${id}.session`);
    const bytes = await readFile(path);
    bytes[bytes.length - 1]! ^= 1;
    await writeFile(path, bytes);
    await expect(store.take(session, ACCOUNT)).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(store.take('hvs1.nothex.x', ACCOUNT)).rejects.toMatchObject({ code: 'INVALID_INPUT', fields: { session: expect.any(String) } });
    await expect(store.open({ accountId: ACCOUNT, vaultId: 'v1', vaultKey: key(), minutes: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT', fields: { minutes: expect.any(String) } });
  });
});
