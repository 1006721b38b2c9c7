import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { cli, expectCode, useDataDir } from './harness.js';

// With the server gone (the sandbox stopped), `vault list` and `vault get` answer from this
// computer's encrypted copy and say so on stderr; edits wait in the app's outbox; a scope never
// synced is exit 6.

let sandbox: Sandbox | undefined;
let sandboxDir = '';
beforeAll(async () => {
  // A folder of our own, so the same server can come back (same data, same port) after it stops.
  sandboxDir = await mkdtemp(join(tmpdir(), 'hoody-cli-sandbox-'));
  sandbox = await startSandbox({ seedDemo: true, dataDir: sandboxDir });
});
afterAll(async () => {
  await sandbox?.close();
  await rm(sandboxDir, { recursive: true, force: true });
});

const dataDir = useDataDir();
const PASSPHRASE = 'correct horse battery staple';
const run = (args: string[], options: Parameters<typeof cli>[1] = {}) => cli(['--data', dataDir(), ...args], options);
let session = '';
const withSession = () => ({ env: { HOODY_VAULT_SESSION: session } });

describe('hoody-vault offline', { timeout: 120_000 }, () => {
  it('answers list and get from the local copy once the server is stopped, and queues edits', async () => {
    const alice = sandbox!.demo!.users.find((u) => u.username === 'alice')!;
    expectCode(await run(['login', '--server', sandbox!.url, '--token-stdin'], { input: alice.token }), 0);
    expectCode(await run(['vault', 'setup'], { input: `${PASSPHRASE}\n` }), 0);
    session = expectCode(await run(['vault', 'unlock', '--raw'], { input: `${PASSPHRASE}\n` }), 0).stdout.trim();
    expectCode(await run(['vault', 'set', 'token', '--value', 'offline value', '--notes', 'kept here'], withSession()), 0);
    // An unlocked listing online writes this computer's copy (the command waits for it).
    const online = expectCode(await run(['vault', 'list'], withSession()), 0);
    expect(online.stderr).not.toMatch(/offline/);

    await sandbox!.close();
    const list = expectCode(await run(['-o', 'json', 'vault', 'list'], withSession()), 0);
    expect(list.stderr).toMatch(/offline: this is this computer's copy, synced /);
    expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'token', notes: 'kept here' })]));
    const get = expectCode(await run(['vault', 'get', 'token'], withSession()), 0);
    expect(get.stdout).toBe('offline value');
    expect(get.stderr).toMatch(/offline/);
    const set = expectCode(await run(['vault', 'set', 'later', '--value', 'queued'], withSession()), 0);
    expect(set.stdout).toMatch(/waiting to sync/);
    const status = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'status'], withSession()), 0).stdout);
    expect(status).toMatchObject({ state: 'unlocked', pendingChanges: 1 });
    // The queued value reads back from the outbox.
    expect(expectCode(await run(['vault', 'get', 'later'], withSession()), 0).stdout).toBe('queued');
  });

  it('exit 6 where there is no copy to answer from', async () => {
    // A realm never synced here.
    const realm = sandbox!.demo!.realms[0]!.id;
    const never = expectCode(await run(['-o', 'json', '--realm', realm, 'vault', 'list'], withSession()), 6);
    expect(JSON.parse(never.stderr).error.code).toBe('NETWORK');
    // Locked, nothing can be read from the copy either; the server is the only other source.
    expectCode(await run(['vault', 'list']), 6);
    expectCode(await run(['whoami']), 6);
  });

  it('sends the changes made offline once the server is back', async () => {
    const port = Number(new URL(sandbox!.url).port);
    sandbox = await startSandbox({ dataDir: sandboxDir, port });
    // The run opens the vault, the core replays the outbox, and the run waits for it before exiting
    // (a quick command: it would otherwise end before the change is sent).
    const get = expectCode(await run(['vault', 'get', 'token'], withSession()), 0);
    expect(get.stdout).toBe('offline value');
    expect(get.stderr).not.toMatch(/offline/);
    // On the server now: a listing without the vault open (straight from the server) shows it.
    const locked = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list', '--search', 'later']), 0).stdout);
    expect(locked).toEqual([expect.objectContaining({ key: 'later', type: 'secret' })]);
  });
});
