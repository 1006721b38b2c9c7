import { describe, expect, it } from 'vitest';
import { createCore, MIN_ARGON2 } from '../../main/core/index.js';
import { sealHoodyEnc1 } from '../../main/core/crypto/hoody-enc1.js';
import { useSandbox } from '../support/sandbox.js';
import { cli, expectCode, useDataDir } from './harness.js';

// The vault through the built binary: set-up, a session from `vault unlock`, every entry operation,
// values shared both ways with the app's own core, a Hoody SDK `_enc` value, and the exit codes.

const sandbox = useSandbox({ seedDemo: true });
const dataDir = useDataDir();
const PASSPHRASE = 'correct horse battery staple';
const alice = () => sandbox().demo!.users.find((u) => u.username === 'alice')!;
const run = (args: string[], options: Parameters<typeof cli>[1] = {}) => cli(['--data', dataDir(), ...args], options);
let session = '';
const withSession = (extra: NodeJS.ProcessEnv = {}) => ({ env: { HOODY_VAULT_SESSION: session, ...extra } });

describe('hoody-vault vault', { timeout: 120_000 }, () => {
  it('sets up the vault (recovery key once, on stdout) and unlocks into a session', async () => {
    expectCode(await run(['login', '--server', sandbox().url, '--token-stdin'], { input: alice().token }), 0);
    expect(JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'status']), 0).stdout).state).toBe('not-set-up');
    // Without a session or passphrase a command that needs the vault stops with 5 (or 4: no vault yet).
    expectCode(await run(['vault', 'get', 'anything']), 4);
    const tooShort = expectCode(await run(['-o', 'json', 'vault', 'setup'], { input: 'short\n' }), 2);
    expect(JSON.parse(tooShort.stderr).error.fields).toEqual({ passphrase: expect.stringMatching(/^must be 10 to/) });
    const setup = expectCode(await run(['vault', 'setup'], { input: `${PASSPHRASE}\n` }), 0);
    expect(setup.stdout.trim()).toMatch(/^HVRK(-[0-9A-Z]{4}){14}$/);
    expect(setup.stderr).toMatch(/recovery key/i);
    expectCode(await run(['vault', 'unlock'], { input: 'not the passphrase\n' }), 5);
    const unlock = expectCode(await run(['vault', 'unlock'], { input: `${PASSPHRASE}\n` }), 0);
    const match = /^export HOODY_VAULT_SESSION="(hvs1\.[^"]+)"\n$/.exec(unlock.stdout);
    expect(match).not.toBeNull();
    session = match![1]!;
    const raw = expectCode(await run(['vault', 'unlock', '--raw', '--minutes', '5'], { input: `${PASSPHRASE}\n` }), 0);
    expect(raw.stdout).toMatch(/^hvs1\.[0-9a-f]{32}\.[\w-]{43}\n$/);
    const recovery = expectCode(await run(['-o', 'json', 'vault', 'unlock', '--recovery'], { input: `${setup.stdout.trim()}\n` }), 0);
    expect(JSON.parse(recovery.stdout)).toEqual({ session: expect.stringMatching(/^hvs1\./), expiresAt: expect.any(String) });
  });

  it('set, get (byte for byte), list, delete round trips with the session', async () => {
    const value = 'line one\nünïcödé 🔐 "quoted"\n';
    expectCode(await run(['vault', 'set', 'db-password', '--stdin', '--notes', 'prod database'], { ...withSession(), input: `${value}\n` }), 0);
    const got = expectCode(await run(['vault', 'get', 'db-password'], withSession()), 0);
    expect(got.stdoutBytes.equals(Buffer.from(value, 'utf8'))).toBe(true);
    expectCode(await run(['vault', 'set', 'api-key', '--value', 'v1'], withSession()), 0);
    // Changing a value keeps its notes unless new ones are given.
    expectCode(await run(['vault', 'set', 'db-password', '--value', 'changed'], withSession()), 0);
    const gen = expectCode(await run(['vault', 'set', 'generated', '--generate', '40'], withSession()), 0);
    expect(gen.stdout).toBe('Stored “generated” (generated, 40 characters).\n');
    expect(expectCode(await run(['vault', 'get', 'generated'], withSession()), 0).stdout).toMatch(/^\S{40}$/);
    const list = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list'], withSession()), 0).stdout);
    const byKey = Object.fromEntries(list.map((e: { key: string }) => [e.key, e]));
    expect(byKey['db-password']).toMatchObject({ type: 'secret', notes: 'prod database', size: 7 });
    expect(byKey['api-keys']).toMatchObject({ type: 'plain' });
    // Locked (no session): names, kinds and sizes, no notes.
    const locked = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list', '--search', 'db-']), 0).stdout);
    expect(locked).toEqual([expect.objectContaining({ key: 'db-password', type: 'secret', notes: '' })]);
    const table = expectCode(await run(['vault', 'list'], withSession()), 0).stdout;
    expect(table.split('\n')[0]).toMatch(/^KEY\s+KIND\s+SIZE\s+UPDATED\s+NOTES\s+SYNC$/);
    const csv = expectCode(await run(['-o', 'csv', 'vault', 'list', '--search', 'api-key'], withSession()), 0).stdout;
    expect(csv.split('\r\n')[0]).toBe('KEY,KIND,SIZE,UPDATED,NOTES,SYNC');
    expectCode(await run(['vault', 'delete', 'api-key'], withSession()), 0);
    expectCode(await run(['vault', 'get', 'api-key'], withSession()), 4);
    expectCode(await run(['vault', 'delete', 'api-key'], withSession()), 4);
    const stats = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'stats']), 0).stdout);
    expect(stats).toMatchObject({ keys: list.length - 1, remainingBytes: expect.any(Number) });
  });

  it('lists in name order (numbers by value, case ignored) whether the vault is open or not, whatever the server\'s order', async () => {
    for (const key of ['Zulu-1', 'item-10', 'alpha-2', 'item-9']) expectCode(await run(['vault', 'set', key, '--value', 'v'], withSession()), 0);
    const ours = (list: Array<{ key: string }>) => list.map((e) => e.key).filter((key) => ['Zulu-1', 'item-10', 'alpha-2', 'item-9'].includes(key));
    // The sandbox lists by code units (Z before a, 10 before 9): the command line does not.
    expect(ours(JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list'], withSession()), 0).stdout))).toEqual(['alpha-2', 'item-9', 'item-10', 'Zulu-1']);
    expect(ours(JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list']), 0).stdout))).toEqual(['alpha-2', 'item-9', 'item-10', 'Zulu-1']);
    for (const key of ['Zulu-1', 'item-10', 'alpha-2', 'item-9']) expectCode(await run(['vault', 'delete', key], withSession()), 0);
  });

  it('a bad input changes nothing and names the flag', async () => {
    const bad = expectCode(await run(['-o', 'json', 'vault', 'set', 'bad key!', '--value', 'x'], withSession()), 2);
    expect(JSON.parse(bad.stderr).error.fields).toEqual({ KEY: expect.any(String) });
    const both = expectCode(await run(['vault', 'set', 'k', '--value', 'x', '--generate'], withSession()), 2);
    expect(both.stderr).toContain('--value');
    expectCode(await run(['vault', 'set', 'k'], withSession()), 2);
    expectCode(await run(['vault', 'get', 'k'], withSession()), 4);
  });

  it('values written by the command line open in the app’s core, and the other way round', async () => {
    const core = await createCore({ dataDir: dataDir(), mode: 'serve', version: 'test', argon2: MIN_ARGON2 });
    try {
      expect((await core.dispatch('vault.unlock', { passphrase: PASSPHRASE })).ok).toBe(true);
      expect(await core.dispatch('vault.reveal', { realmId: '', key: 'db-password' })).toEqual({ ok: true, data: { value: 'changed', format: 'hv1' } });
      expect((await core.dispatch('vault.save', { realmId: '', key: 'from-app', value: 'written by the app', notes: 'n', mode: 'create' })).ok).toBe(true);
    } finally {
      await core.close();
    }
    expect(expectCode(await run(['vault', 'get', 'from-app'], withSession()), 0).stdout).toBe('written by the app');
  });

  it('opens a Hoody SDK `_enc` value with its own password, from stdin', async () => {
    const envelope = await sealHoodyEnc1('sdk secret', 'sdk-password');
    const put = await fetch(`${sandbox().apiUrl}/vault/keys/sdk-value`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${alice().token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value: envelope }),
    });
    expect(put.ok).toBe(true);
    const list = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list', '--search', 'sdk-value']), 0).stdout);
    expect(list[0].type).toBe('Hoody SDK');
    const asked = expectCode(await run(['-o', 'json', 'vault', 'get', 'sdk-value'], withSession()), 5);
    expect(JSON.parse(asked.stderr).error.code).toBe('PASSWORD_REQUIRED');
    expectCode(await run(['vault', 'get', 'sdk-value', '--password-stdin'], { ...withSession(), input: 'wrong\n' }), 5);
    const opened = expectCode(await run(['vault', 'get', 'sdk-value', '--password-stdin'], { ...withSession(), input: 'sdk-password\n' }), 0);
    expect(opened.stdout).toBe('sdk secret');
  });

  it('HOODY_VAULT_PASSPHRASE opens the vault without a session (the CI way)', async () => {
    expect(expectCode(await run(['vault', 'get', 'db-password'], { env: { HOODY_VAULT_PASSPHRASE: PASSPHRASE } }), 0).stdout).toBe('changed');
    expectCode(await run(['vault', 'get', 'db-password'], { env: { HOODY_VAULT_PASSPHRASE: 'wrong passphrase here' } }), 5);
  });

  it('clear needs -y without a terminal; vault lock ends every session (exit 5 after)', async () => {
    const refused = expectCode(await run(['-o', 'json', 'vault', 'clear'], withSession()), 2);
    expect(JSON.parse(refused.stderr).error.fields).toEqual({ '--yes': expect.any(String) });
    const cleared = JSON.parse(expectCode(await run(['-o', 'json', '-y', 'vault', 'clear'], withSession()), 0).stdout);
    expect(cleared.deleted).toBeGreaterThan(3);
    expect(JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list'], withSession()), 0).stdout)).toEqual([]);
    expectCode(await run(['vault', 'lock']), 0);
    const ended = expectCode(await run(['-o', 'json', 'vault', 'list'], withSession()), 5);
    expect(JSON.parse(ended.stderr).error).toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/session has ended/) });
    // A made-up session value is refused as input.
    expectCode(await run(['vault', 'get', 'x'], { env: { HOODY_VAULT_SESSION: 'not-a-session' } }), 2);
  });

  it('the app’s Lock ends the command line’s sessions too', async () => {
    session = expectCode(await run(['vault', 'unlock', '--raw'], { input: `${PASSPHRASE}\n` }), 0).stdout.trim();
    expectCode(await run(['vault', 'set', 'kept', '--value', 'v'], withSession()), 0);
    const core = await createCore({ dataDir: dataDir(), mode: 'serve', version: 'test', argon2: MIN_ARGON2 });
    try {
      expect((await core.dispatch('vault.lock', undefined)).ok).toBe(true);
    } finally {
      await core.close();
    }
    expectCode(await run(['vault', 'get', 'kept'], withSession()), 5);
  });
});
