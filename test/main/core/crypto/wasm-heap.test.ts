import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { fromBase64, passphraseBytes } from '../../../../main/core/crypto/bytes.js';
import { openMetadata, openValue, sealMetadata, sealValue } from '../../../../main/core/crypto/envelope.js';
import { openFileValue, sealFileValue } from '../../../../main/core/crypto/file-stream.js';
import { argon2id, MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import { createKeyring, parseKeyringRecord, rewrapPassphrase, unwrapWithPassphrase, unwrapWithRecoveryKey } from '../../../../main/core/crypto/keyring.js';
import { parseRecoveryKey } from '../../../../main/core/crypto/recovery-key.js';
import { loadSodium } from '../../../../main/core/crypto/sodium.js';
import { deriveVaultKeys, wipeVaultKeys, type VaultKeys } from '../../../../main/core/crypto/vault-keys.js';
import { readSealedJson, writeSealedJson } from '../../../../main/core/storage/sealed-file.js';
import { CopyFileStore, deriveCopyFileKeys, wipeCopyFileKeys } from '../../../../main/core/vault/copy-file-store.js';
import { okData } from '../../../support/core.js';
import { useSandbox } from '../../../support/sandbox.js';
import { nextSync } from '../../../support/vault-sync.js';
import { useTempDir } from '../../../support/temp-dir.js';

// libsodium runs in WebAssembly: each call copies its keys into the module's linear memory and frees
// them afterwards. Zeroing our own Uint8Array on lock leaves those copies behind unless freeing
// wipes them. These tests scan the whole wasm heap, after lock, for the bytes of every key.

const tempDir = useTempDir();

async function heap(): Promise<Buffer> {
  const sodium = (await loadSodium()) as unknown as { libsodium: { HEAPU8: Uint8Array } };
  const bytes = sodium.libsodium.HEAPU8;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The names of the keys whose bytes are still somewhere in the wasm heap. Any 16 bytes in a row
 * count: a freed block's first bytes are overwritten by the allocator's own pointers, which leaves
 * the rest of a key where it was.
 */
async function leftInHeap(keys: Record<string, Uint8Array>): Promise<string[]> {
  const memory = await heap();
  return Object.entries(keys)
    .filter(([, bytes]) => [0, 8, 16].some((at) => memory.indexOf(Buffer.from(bytes.subarray(at, at + 16))) !== -1))
    .map(([name]) => name);
}

const copyOf = (keys: VaultKeys) => ({ value: keys.value.slice(), meta: keys.meta.slice(), file: keys.file.slice(), cache: keys.cache.slice() });

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe('keys in libsodium’s wasm memory', () => {
  it('can be found by the scan while in use (the scan sees the heap libsodium uses)', async () => {
    const sodium = await loadSodium();
    const lib = (sodium as unknown as { libsodium: { _malloc(n: number): number; _free(p: number): void; HEAPU8: Uint8Array } }).libsodium;
    const marker = new Uint8Array(sodium.randombytes_buf(32));
    const at = lib._malloc(32);
    lib.HEAPU8.set(marker, at);
    expect(await leftInHeap({ marker })).toEqual(['marker']);
    lib._free(at);
  });

  it('none of them is left after every use of every key and a wipe', async () => {
    const passphrase = 'wasm heap scan passphrase';
    const created = await createKeyring(passphrase, MIN_ARGON2);
    const record = created.record;
    const kek = await argon2id(passphraseBytes(passphrase), fromBase64(record.passphrase.salt)!, MIN_ARGON2);
    const vaultKey = created.vaultKey;
    const keys = await deriveVaultKeys(vaultKey, record.vault_id);
    const secret = {
      vaultKey: vaultKey.slice(),
      passphraseKek: kek.slice(),
      recoveryKey: created.recoveryKey.bytes.slice(),
      ...copyOf(keys),
    };

    // Every use the app makes of them.
    const sealed = await sealValue(keys, '', 'db', 'hunter2');
    expect(await openValue(keys, '', 'db', sealed)).toBe('hunter2');
    const meta = await sealMetadata(keys, '', 'db', 'secret', 7, { notes: 'n' });
    expect(await openMetadata(keys, '', 'db', meta)).toMatchObject({ notes: 'n' });
    const path = `${await tempDir()}/copy.hvs`;
    await writeSealedJson(path, keys.cache, 'ad', { a: 1 });
    expect(await readSealedJson(path, keys.cache, 'ad')).toEqual({ state: 'ok', value: { a: 1 } });
    let fileValue = '';
    for await (const piece of sealFileValue(keys, '', 'f.bin', once(new Uint8Array(100_000).fill(3)), 100_000)) fileValue += piece;
    let opened = 0;
    for await (const chunk of openFileValue(keys, '', 'f.bin', fileValue)) opened += chunk.length;
    expect(opened).toBe(100_000);
    const fromPassphrase = await unwrapWithPassphrase(record, passphrase);
    const recoveryBytes = (await parseRecoveryKey(created.recoveryKey.text))!;
    const fromRecovery = await unwrapWithRecoveryKey(record, recoveryBytes);
    const rewrapped = await rewrapPassphrase(record, vaultKey, 'a new passphrase here', MIN_ARGON2);
    expect(rewrapped.passphrase.salt).not.toBe(record.passphrase.salt);

    await wipeVaultKeys(keys, vaultKey, fromPassphrase, fromRecovery, kek, recoveryBytes, created.recoveryKey.bytes);
    expect(await leftInHeap(secret)).toEqual([]);
  });
});

describe("the keys of a copy's files", () => {
  it('are not left in the wasm heap after naming, sealing and opening a file and a wipe', async () => {
    const keys = await deriveVaultKeys(new Uint8Array(randomBytes(32)), 'v');
    const fileKeys = await deriveCopyFileKeys(keys.cache);
    const secret = { seal: fileKeys.seal.slice(), name: fileKeys.name.slice(), cache: keys.cache.slice() };
    const store = new CopyFileStore(await tempDir(), 'account', fileKeys);
    const value = `{"hv":1,"f":65536,"s":"${'QUJD'.repeat(40_000)}"}`;
    await store.write('', 'k', '2026-01-01T00:00:00.000Z', value);
    let read = '';
    for await (const piece of store.read('', 'k', '2026-01-01T00:00:00.000Z', value.length)) read += piece;
    expect(read).toBe(value);
    await wipeCopyFileKeys(fileKeys);
    await wipeVaultKeys(keys);
    expect(await leftInHeap(secret)).toEqual([]);
  });
});

describe('after lock, through the core', () => {
  const sandbox = useSandbox();
  const cores: Core[] = [];
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });

  it('no key of the vault is left in the wasm heap', async () => {
    const user = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const core = await createCore({ dataDir: await tempDir(), mode: 'serve', version: 't', keychain: { unavailable: 'not under test here' }, argon2: MIN_ARGON2, engine: { sleep: async () => {} } });
    cores.push(core);
    const call = core.call;
    expect(await call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true })).toMatchObject({ ok: true });
    // The session hands its parts the derived keys only: a registered part sees what they see.
    let opened: VaultKeys | undefined;
    core.vault.session.register({ onUnlock: (open) => void (opened = open.keys), clearOnLock: () => {} });
    const setup = okData(await call('vault.setup', { passphrase: 'heap scan through the core' }));
    // The vault key itself never leaves the session: the test unwraps its own copy with the recovery key.
    const record = parseKeyringRecord(await readFile(join(core.accounts.accountDataDir(core.accounts.active()!.id), 'keyring.json'), 'utf8'))!;
    const vaultKey = (await unwrapWithRecoveryKey(record, (await parseRecoveryKey(setup.recoveryKey))!))!;
    const secrets: Record<string, Uint8Array> = {};
    const remember = (round: string) => {
      secrets[`${round} vault key`] = vaultKey.slice();
      for (const [name, bytes] of Object.entries(copyOf(opened!))) secrets[`${round} ${name} subkey`] = bytes;
    };
    let uses = 0;
    const use = async () => {
      uses += 1;
      expect(await call('vault.save', { realmId: '', key: `k${uses}`, value: 'v', notes: 'n', mode: 'create' })).toMatchObject({ ok: true });
      const synced = nextSync(core, '');
      expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true });
      await synced;
      expect(await call('vault.reveal', { realmId: '', key: `k${uses}` })).toMatchObject({ ok: true });
    };
    remember('setup');
    await use();
    expect(await call('vault.lock')).toMatchObject({ ok: true, data: { state: 'locked' } });
    expect(await call('vault.unlock', { passphrase: 'heap scan through the core' })).toMatchObject({ ok: true });
    await use();
    expect(await call('vault.lock')).toMatchObject({ ok: true });
    expect(await call('vault.unlock', { recoveryKey: setup.recoveryKey })).toMatchObject({ ok: true });
    remember('recovery unlock');
    await use();
    expect(await call('vault.lock')).toMatchObject({ ok: true, data: { state: 'locked' } });
    const left = await leftInHeap(secrets);
    console.log(`wasm heap after lock: ${Object.keys(secrets).length} keys looked for, ${left.length} found${left.length ? ` (${left.join(', ')})` : ''}`);
    expect(left).toEqual([]);
  });
});
