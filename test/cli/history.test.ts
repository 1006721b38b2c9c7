import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { cli, expectCode, useDataDir } from './harness.js';

// `vault history` and `vault rename` through the built binary, on a session from `vault unlock`:
// earlier values listed (never printed unless asked) and printed byte for byte, and a key renamed
// with its history.

const sandbox = useSandbox();
const dataDir = useDataDir();
const PASSPHRASE = 'history command line passphrase';
const run = (args: string[], options: Parameters<typeof cli>[1] = {}) => cli(['--data', dataDir(), ...args], options);

describe('hoody-vault vault history and rename', { timeout: 120_000 }, () => {
  it('lists the earlier values, prints one, and keeps them across a rename', async () => {
    const user = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    expectCode(await run(['login', '--server', sandbox().url, '--token-stdin'], { input: token }), 0);
    expectCode(await run(['vault', 'setup'], { input: `${PASSPHRASE}\n` }), 0);
    const session = /HOODY_VAULT_SESSION="([^"]+)"/.exec(expectCode(await run(['vault', 'unlock'], { input: `${PASSPHRASE}\n` }), 0).stdout)![1]!;
    const env = { env: { HOODY_VAULT_SESSION: session } };
    for (const value of ['first ✓', 'second', 'third']) expectCode(await run(['vault', 'set', 'api-key', '--value', value], env), 0);

    const table = expectCode(await run(['vault', 'history', 'api-key'], env), 0).stdout;
    expect(table.split('\n')[0]).toMatch(/^\s*N\s+STORED\s+SIZE$/);
    expect(table).not.toMatch(/first|second/);
    const listed = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'history', 'api-key'], env), 0).stdout) as Array<{ n: number; at: string; size: number }>;
    expect(listed.map((i) => [i.n, i.size])).toEqual([[1, 6], [2, 9]]);
    const oldest = expectCode(await run(['vault', 'history', 'api-key', '--get', '2'], env), 0);
    expect(oldest.stdoutBytes.equals(Buffer.from('first ✓', 'utf8'))).toBe(true);
    const tooFar = expectCode(await run(['-o', 'json', 'vault', 'history', 'api-key', '--get', '3'], env), 2);
    expect(JSON.parse(tooFar.stderr).error.fields).toEqual({ '--get': 'must be at most 2' });

    expect(expectCode(await run(['vault', 'rename', 'api-key', 'api-key-prod'], env), 0).stdout).toBe('Renamed “api-key” to “api-key-prod”.\n');
    expectCode(await run(['vault', 'get', 'api-key'], env), 4);
    expect(expectCode(await run(['vault', 'get', 'api-key-prod'], env), 0).stdout).toBe('third');
    expect(expectCode(await run(['vault', 'history', 'api-key-prod', '--get', '1'], env), 0).stdout).toBe('second');
    const bad = expectCode(await run(['-o', 'json', 'vault', 'rename', 'api-key-prod', 'not valid'], env), 2);
    expect(JSON.parse(bad.stderr).error.fields).toEqual({ newKey: expect.stringContaining('letters, digits, dot, underscore or hyphen') });
  });
});
