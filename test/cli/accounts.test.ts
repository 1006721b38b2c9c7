import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { cli, expectCode, useDataDir } from './harness.js';

// Signing in and out with the built binary: a token on stdin, a password plus the two-factor code,
// HOODY_TOKEN without any keychain, and the exit codes and error shapes scripts depend on.

const sandbox = useSandbox({ seedDemo: true });
const dataDir = useDataDir();
const user = (name: string) => sandbox().demo!.users.find((u) => u.username === name)!;
const run = (args: string[], options: Parameters<typeof cli>[1] = {}) => cli(['--data', dataDir(), ...args], options);

describe('hoody-vault login, whoami, accounts, logout', { timeout: 120_000 }, () => {
  it('signs in with a token on stdin, stored as the app stores it, and says who it is', async () => {
    const login = expectCode(await run(['login', '--server', sandbox().url, '--token-stdin'], { input: `${user('alice').token}\n` }), 0);
    expect(login.stdout).toMatch(/^Signed in as alice \(.+@127\.0\.0\.1:\d+\) on http/);
    const accounts = JSON.parse(await readFile(join(dataDir(), 'accounts.json'), 'utf8'));
    expect(accounts.accounts).toEqual([expect.objectContaining({ username: 'alice', kind: 'api-token' })]);
    // accounts.json never holds the token: it is in the keychain.
    expect(JSON.stringify(accounts)).not.toContain(user('alice').token);
    const me = JSON.parse(expectCode(await run(['-o', 'json', 'whoami']), 0).stdout);
    expect(me).toMatchObject({ username: 'alice', id: user('alice').id });
    expect(expectCode(await run(['whoami']), 0).stdout).toMatch(/username\s+alice/);
  });

  it('signs in with a password and the two-factor code (next line of stdin), then lists both accounts', async () => {
    const bob = user('bob');
    // The first line is the password; the code is read only when the server asks for it.
    const code = sandbox().admin.totpCode(bob.id);
    const login = expectCode(await run(['-o', 'json', 'login', '--server', sandbox().url, '--username', 'bob', '--password-stdin'], { input: `${bob.password}\n${code}\n` }), 0);
    expect(JSON.parse(login.stdout)).toMatchObject({ username: 'bob', kind: 'session', storage: 'keychain' });
    const wrong = expectCode(await run(['-o', 'json', 'login', '--server', sandbox().url, '--username', 'bob', '--password-stdin', '--code', '000000'], { input: `${bob.password}\n` }), 3);
    expect(JSON.parse(wrong.stderr)).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String), fields: { '--code': 'is not the current code' } } });
    const state = JSON.parse(expectCode(await run(['-o', 'json', 'accounts']), 0).stdout);
    expect(state.accounts.map((a: { username: string }) => a.username).sort()).toEqual(['alice', 'bob']);
    expect(state.accounts.find((a: { id: string }) => a.id === state.activeId).username).toBe('bob');
    const csv = expectCode(await run(['-o', 'csv', 'accounts']), 0).stdout.split('\r\n');
    expect(csv[0]).toBe(',ID,USERNAME,SERVER,KIND,STATUS');
    expect(csv).toHaveLength(4);
  });

  it('--account picks an account for one run; accounts use changes the default', async () => {
    expect(JSON.parse(expectCode(await run(['-o', 'json', '--account', 'alice', 'whoami']), 0).stdout).username).toBe('alice');
    // The default is unchanged by --account.
    expect(JSON.parse(expectCode(await run(['-o', 'json', 'whoami']), 0).stdout).username).toBe('bob');
    expectCode(await run(['accounts', 'use', 'alice']), 0);
    expect(JSON.parse(expectCode(await run(['-o', 'json', 'whoami']), 0).stdout).username).toBe('alice');
    expectCode(await run(['--account', 'nobody', 'whoami']), 4);
  });

  it('HOODY_TOKEN with HOODY_BASE_URL works with no keychain at all, and leaves accounts.json alone', async () => {
    const before = await readFile(join(dataDir(), 'accounts.json'), 'utf8');
    const env = { HOODY_TOKEN: user('admin').token, HOODY_BASE_URL: sandbox().url };
    // No D-Bus address: the Secret Service cannot be reached, as on a CI runner.
    const me = expectCode(await run(['-o', 'json', 'whoami'], { env, unset: ['DBUS_SESSION_BUS_ADDRESS'] }), 0);
    expect(JSON.parse(me.stdout)).toMatchObject({ username: 'admin', is_admin: true });
    expect(await readFile(join(dataDir(), 'accounts.json'), 'utf8')).toBe(before);
    // Signing in to store a token needs the keychain; without one the answer points at HOODY_TOKEN.
    const noKeychain = expectCode(await run(['login', '--server', sandbox().url, '--token-stdin'], { input: user('admin').token, unset: ['DBUS_SESSION_BUS_ADDRESS'] }), 1);
    expect(noKeychain.stderr).toMatch(/keychain is not available.*HOODY_TOKEN with HOODY_BASE_URL/);
    expect(await readFile(join(dataDir(), 'accounts.json'), 'utf8')).toBe(before);
    const refused = expectCode(await run(['whoami'], { env: { HOODY_TOKEN: 'hdy_not_a_real_token_000', HOODY_BASE_URL: sandbox().url } }), 3);
    expect(refused.stderr).toMatch(/^hoody-vault: /);
    const noServer = expectCode(await run(['-o', 'json', 'whoami'], { env: { HOODY_TOKEN: user('admin').token } }), 2);
    expect(JSON.parse(noServer.stderr).error.fields).toEqual({ HOODY_BASE_URL: 'is needed with HOODY_TOKEN' });
  });

  it('admins read and change other users; a bad input changes nothing and names the flag', async () => {
    const env = { HOODY_TOKEN: user('admin').token, HOODY_BASE_URL: sandbox().url };
    const alice = user('alice');
    const got = JSON.parse(expectCode(await run(['-o', 'json', 'users', 'get', alice.id], { env }), 0).stdout);
    expect(got).toMatchObject({ id: alice.id, username: 'alice' });
    const updated = JSON.parse(expectCode(await run(['-o', 'json', 'users', 'update', alice.id, '--alias', 'Alice Two'], { env }), 0).stdout);
    expect(updated.alias).toBe('Alice Two');
    const bad = expectCode(await run(['-o', 'json', 'users', 'update', alice.id, '--alias', 'x'.repeat(500)], { env }), 2);
    expect(Object.keys(JSON.parse(bad.stderr).error.fields)).toEqual(['--alias']);
    expect(JSON.parse(expectCode(await run(['-o', 'json', 'users', 'get', alice.id], { env }), 0).stdout).alias).toBe('Alice Two');
    expectCode(await run(['users', 'get', '0123456789abcdef01234567'], { env }), 4);
  });

  it('changes your own password from stdin (current, then new); the new one signs in', async () => {
    const admin = user('admin');
    const env = { HOODY_TOKEN: admin.token, HOODY_BASE_URL: sandbox().url };
    const wrong = expectCode(await run(['-o', 'json', 'users', 'update', '--password-stdin'], { env, input: 'not-my-password\nNew-Admin-Pass-2026!\n' }), 2);
    expect(JSON.parse(wrong.stderr).error.fields).toEqual({ 'current password': 'is not the current password' });
    expectCode(await run(['-q', 'users', 'update', '--password-stdin'], { env, input: `${admin.password}\nNew-Admin-Pass-2026!\n` }), 0);
    // --session-only: checked by the server, stored nowhere (the accounts above are unchanged).
    const login = expectCode(await run(['login', '--session-only', '--server', sandbox().url, '--username', 'admin', '--password-stdin'], { input: 'New-Admin-Pass-2026!\n' }), 0);
    expect(login.stderr).toMatch(/--session-only: nothing was stored/);
    expectCode(await run(['login', '--session-only', '--server', sandbox().url, '--username', 'admin', '--password-stdin'], { input: `${admin.password}\n` }), 3);
  });

  it('answers usage errors with exit 2, naming the flag and the rule', async () => {
    const unknown = expectCode(await run(['vault', 'lst']), 2);
    expect(unknown.stderr).toContain("unknown command 'lst'");
    const output = expectCode(await run(['-o', 'yaml', 'accounts']), 2);
    expect(output.stderr).toMatch(/-o, --output <format>.*yaml.*invalid/i);
    const minutes = expectCode(await run(['-o', 'json', 'vault', 'unlock', '--minutes', 'soon']), 2);
    expect(JSON.parse(minutes.stderr)).toEqual({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('--minutes'), fields: { '--minutes': 'must be a whole number' } } });
    expect(expectCode(await cli(['--help']), 0).stdout).toContain('Usage: hoody-vault');
    expect(expectCode(await cli(['vault', 'set', '--help']), 0).stdout).toContain('--generate [length]');
    expect(expectCode(await cli(['--version']), 0).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('signs out: the account and its keychain entry are gone; then commands exit 3', async () => {
    const out = expectCode(await run(['logout', '--account', 'bob']), 0);
    expect(out.stdout).toMatch(/^Signed out bob/);
    expectCode(await run(['logout', '--account', 'alice']), 0);
    expect(JSON.parse(await readFile(join(dataDir(), 'accounts.json'), 'utf8')).accounts).toEqual([]);
    const signedOut = expectCode(await run(['-o', 'json', 'whoami']), 3);
    expect(JSON.parse(signedOut.stderr).error.code).toBe('NOT_SIGNED_IN');
  });
});
