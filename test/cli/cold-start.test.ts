import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { cli, expectCode, useDataDir } from './harness.js';

// What a run loads decides how fast it starts (bench/cli.bench.ts has the figures). The bundle holds
// no window code, and a listing without the vault open requires no package at all: not the keychain
// module (HOODY_TOKEN), not libsodium, not the Argon2id worker. Opening it with a session loads
// libsodium's chunk beside the bundle (through a code cache of its own), never a native module nor
// the worker. zxcvbn's dictionaries are a chunk of their own too, loaded only for a new passphrase.

const sandbox = useSandbox({ seedDemo: true });
const dataDir = useDataDir();
const BUNDLE = fileURLToPath(new URL('../../out/cli/hoody-vault.cjs', import.meta.url));

/** The packages (not Node's built-ins) the bundle itself required in a run, from Node's module debug log. */
function packagesRequired(stderr: string): string[] {
  const requests = [...stderr.matchAll(/Module\._load REQUEST (\S+) parent: (\S+)/g)].filter((m) => m[2] === BUNDLE).map((m) => m[1]!);
  return [...new Set(requests.filter((name) => !name.startsWith('node:')))];
}

/** The chunks of out/cli the launcher loaded in a run (NODE_DEBUG=hoody-vault). */
function chunksLoaded(stderr: string): string[] {
  return [...stderr.matchAll(/^HOODY-VAULT \d+: chunk (\S+)$/gm)].map((m) => m[1]!);
}

const DEBUG = 'module,hoody-vault';

describe('hoody-vault cold start', { timeout: 120_000 }, () => {
  it('bundles no window code', async () => {
    const bundle = await readFile(BUNDLE, 'utf8');
    for (const marker of ['react-dom', 'createRoot', 'zustand', 'recharts', '@radix-ui']) expect(bundle).not.toContain(marker);
  });

  it('keeps libsodium and zxcvbn in chunks of their own, beside the bundle', async () => {
    const bundle = await readFile(BUNDLE, 'utf8');
    // libsodium's wrappers and its WebAssembly (base64 of the "\0asm" magic); zxcvbn.
    const markers = { libsodium: ['libsodium was not correctly initialized', 'AGFzbQ'], 'passphrase-strength': ['ZxcvbnFactory'] };
    for (const [chunk, strings] of Object.entries(markers)) {
      const text = await readFile(BUNDLE.replace('hoody-vault.cjs', `${chunk}.cjs`), 'utf8');
      for (const marker of strings) {
        expect(bundle).not.toContain(marker);
        expect(text).toContain(marker);
      }
    }
  });

  it('lists without the vault open requiring no package; a session loads libsodium and no worker', async () => {
    const alice = sandbox().demo!.users.find((u) => u.username === 'alice')!;
    const env = { HOODY_TOKEN: alice.token, HOODY_BASE_URL: sandbox().url, NODE_DEBUG: DEBUG };
    const list = expectCode(await cli(['--data', dataDir(), '-o', 'json', 'vault', 'list'], { env }), 0);
    expect(JSON.parse(list.stdout).length).toBeGreaterThan(0);
    expect(packagesRequired(list.stderr)).toEqual([]);
    expect(chunksLoaded(list.stderr)).toEqual([]);

    const setup = expectCode(await cli(['--data', dataDir(), 'vault', 'setup'], { env: { ...env, NODE_DEBUG: 'hoody-vault' }, input: 'correct horse battery staple\n' }), 0);
    expect(chunksLoaded(setup.stderr).sort(), `vault setup's stderr:\n${setup.stderr}`).toEqual(['libsodium', 'passphrase-strength']);
    const session = expectCode(await cli(['--data', dataDir(), 'vault', 'unlock', '--raw'], { env: { ...env, NODE_DEBUG: '' }, input: 'correct horse battery staple\n' }), 0).stdout.trim();
    expectCode(await cli(['--data', dataDir(), 'vault', 'set', 'k', '--value', 'v'], { env: { ...env, NODE_DEBUG: '', HOODY_VAULT_SESSION: session } }), 0);
    const get = expectCode(await cli(['--data', dataDir(), 'vault', 'get', 'k'], { env: { ...env, HOODY_VAULT_SESSION: session } }), 0);
    expect(get.stdout).toBe('v');
    expect(packagesRequired(get.stderr)).toEqual([]);
    expect(chunksLoaded(get.stderr), `vault get's stderr:\n${get.stderr}`).toEqual(['libsodium']);
    expect(get.stderr).not.toMatch(/kdf-worker|sodium-native|keytar/);
  });
});
