import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccountsService } from '../../../../main/core/accounts/accounts-service.js';
import { isEntryMetadata, openMetadata, openValue, openValueText, valueFormat } from '../../../../main/core/crypto/envelope.js';
import { openFileValue } from '../../../../main/core/crypto/file-stream.js';
import { parseKeyringRecord, unwrapWithPassphrase, unwrapWithRecoveryKey } from '../../../../main/core/crypto/keyring.js';
import { parseRecoveryKey } from '../../../../main/core/crypto/recovery-key.js';
import { loadSodium } from '../../../../main/core/crypto/sodium.js';
import { deriveVaultKeys } from '../../../../main/core/crypto/vault-keys.js';
import { CopyFileStore, deriveCopyFileKeys } from '../../../../main/core/vault/copy-file-store.js';
import { LocalCopyStore, type ScopeCopy } from '../../../../main/core/vault/local-copy-store.js';
import { OutboxStore } from '../../../../main/core/vault/outbox-store.js';

// docs/vault-format.md's vectors, made by an independent reading of the spec with raw libsodium
// calls (scripts/make-vault-vectors.ts), opened here with the app's own code. A third reading, in
// Python, opens them in test/interop/.

interface Entry {
  realm_id: string;
  key: string;
  kind: 'secret' | 'file';
  plaintext?: string;
  plaintext_b64?: string;
  meta: Record<string, string>;
  value: string;
  metadata: unknown;
}
interface Vectors {
  passphrase: string;
  vault_key_hex: string;
  subkeys_hex: Record<'value' | 'meta' | 'file' | 'cache', string>;
  recovery_key: string;
  recovery_key_hex: string;
  keyrings: Array<{ name: string; record: string }>;
  entries: Entry[];
  local_copy: { account_id: string; account_folder: string; path: string; realm_id: string; file_b64: string; content: unknown };
  outbox: { account_id: string; path: string; file_b64: string; content: unknown };
  local_copy_with_files: { account_id: string; path: string; realm_id: string; file_b64: string; content: ScopeCopy; files: Array<{ path: string; key: string; file_b64: string }> };
}

const vectors = JSON.parse(await readFile(new URL('../../../../docs/vault-format-vectors.json', import.meta.url), 'utf8')) as Vectors;
const vaultKey = () => Buffer.from(vectors.vault_key_hex, 'hex');
const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : undefined);
const dataDir = await mkdtemp(join(tmpdir(), 'hv-vectors-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('the vault format vectors, opened with the app', () => {
  it('has a keyring at the parameters the app writes (3 / 256 MiB) and one at the floor (2 / 64 MiB)', () => {
    const params = vectors.keyrings.map((k) => parseKeyringRecord(k.record)?.passphrase).map((p) => [p?.opslimit, p?.memlimit]);
    expect(params).toEqual([
      [3, 256 * 1024 * 1024],
      [2, 64 * 1024 * 1024],
    ]);
  });

  it.each(vectors.keyrings.map((k) => [k.name, k.record]))('unwraps the vault key from the %s keyring, with the passphrase and the recovery key', async (_name, text) => {
    const record = parseKeyringRecord(text)!;
    expect(hex(await unwrapWithPassphrase(record, vectors.passphrase))).toBe(vectors.vault_key_hex);
    expect(await unwrapWithPassphrase(record, `${vectors.passphrase}!`)).toBeUndefined();
    const recovery = await parseRecoveryKey(vectors.recovery_key);
    expect(hex(recovery)).toBe(vectors.recovery_key_hex);
    expect(hex(await unwrapWithRecoveryKey(record, recovery!))).toBe(vectors.vault_key_hex);
  }, 60_000);

  it('derives the listed subkeys', async () => {
    const keys = await deriveVaultKeys(vaultKey(), '');
    expect({ value: hex(keys.value), meta: hex(keys.meta), file: hex(keys.file), cache: hex(keys.cache) }).toEqual(vectors.subkeys_hex);
  });

  it('opens every secret and file with its metadata, each bound to its realm and key', async () => {
    const keys = await deriveVaultKeys(vaultKey(), '');
    expect(new Set(vectors.entries.map((e) => e.kind))).toEqual(new Set(['secret', 'file']));
    for (const entry of vectors.entries) {
      expect(valueFormat(entry.value)).toBe('hv1');
      expect(isEntryMetadata(entry.metadata)).toBe(true);
      expect(await openMetadata(keys, entry.realm_id, entry.key, entry.metadata as never)).toEqual(entry.meta);
      if (entry.kind === 'secret') {
        expect(await openValue(keys, entry.realm_id, entry.key, entry.value)).toBe(entry.plaintext);
        expect(await openValue(keys, entry.realm_id, `${entry.key}x`, entry.value)).toBeUndefined();
      } else {
        const content = await collect(openFileValue(keys, entry.realm_id, entry.key, entry.value));
        expect(content.toString('base64')).toBe(entry.plaintext_b64);
        await expect(collect(openFileValue(keys, entry.realm_id, `${entry.key}x`, entry.value))).rejects.toMatchObject({ code: 'UNREADABLE' });
      }
    }
  });

  it("opens the local copy at the account folder the app uses for that account id", async () => {
    const accountDir = new AccountsService({ dataDir, keychain: undefined }).accountDataDir(vectors.local_copy.account_id);
    expect(accountDir).toBe(join(dataDir, vectors.local_copy.account_folder));
    const copies = new LocalCopyStore(accountDir, vectors.local_copy.account_id);
    expect(copies.pathFor(vectors.local_copy.realm_id)).toBe(join(dataDir, vectors.local_copy.path));
    await mkdir(dirname(copies.pathFor('')), { recursive: true });
    await writeFile(copies.pathFor(''), Buffer.from(vectors.local_copy.file_b64, 'base64'));
    const keys = await deriveVaultKeys(vaultKey(), '');
    expect(await copies.read(keys.cache, '')).toEqual({ state: 'ok', value: vectors.local_copy.content });
    // Bound to the account: another account id (another server port) does not open it.
    expect(await new LocalCopyStore(accountDir, vectors.local_copy.account_id.replace(/:\d+$/, ':9999')).read(keys.cache, '')).toEqual({ state: 'damaged' });
  });

  it('opens the local copy as written since revision 1.2: the index, and each file at the path its name says', async () => {
    const given = vectors.local_copy_with_files;
    const accountDir = join(dataDir, 'with-files', vectors.local_copy.account_folder);
    const copies = new LocalCopyStore(accountDir, given.account_id);
    await mkdir(dirname(copies.pathFor('')), { recursive: true });
    await writeFile(copies.pathFor(''), Buffer.from(given.file_b64, 'base64'));
    for (const file of given.files) {
      await mkdir(dirname(join(dataDir, 'with-files', file.path)), { recursive: true });
      await writeFile(join(dataDir, 'with-files', file.path), Buffer.from(file.file_b64, 'base64'));
    }
    const keys = await deriveVaultKeys(vaultKey(), '');
    expect(await copies.read(keys.cache, '')).toEqual({ state: 'ok', value: given.content });
    const files = new CopyFileStore(accountDir, given.account_id, await deriveCopyFileKeys(keys.cache));
    for (const [key, kept] of Object.entries(given.content.files ?? {})) {
      expect(join(files.dirFor(''), await files.nameOf('', key, kept.updated_at))).toBe(join(dataDir, 'with-files', given.files.find((f) => f.key === key)!.path));
      let value = '';
      for await (const piece of files.read('', key, kept.updated_at, kept.length)) value += piece;
      expect(value).toBe(vectors.entries.find((e) => e.key === key && e.realm_id === '')!.value);
    }
  });

  it('opens the outbox', async () => {
    const accountDir = join(dataDir, vectors.local_copy.account_folder);
    expect(join(dataDir, vectors.outbox.path)).toBe(join(accountDir, 'outbox.hvs'));
    await mkdir(accountDir, { recursive: true });
    await writeFile(join(accountDir, 'outbox.hvs'), Buffer.from(vectors.outbox.file_b64, 'base64'));
    const keys = await deriveVaultKeys(vaultKey(), '');
    const outbox = new OutboxStore(accountDir, vectors.outbox.account_id, () => keys.cache);
    expect(await outbox.load()).toEqual({});
    expect(outbox.ops).toEqual(vectors.outbox.content);
  });

  it('opens the outbox as written since revision 1.1: with its generation and a change in flight', async () => {
    const later = (vectors as unknown as { outbox_with_generation: { file_b64: string; content: { ops: unknown[] } } }).outbox_with_generation;
    const accountDir = join(dataDir, 'later');
    await mkdir(accountDir, { recursive: true });
    await writeFile(join(accountDir, 'outbox.hvs'), Buffer.from(later.file_b64, 'base64'));
    const keys = await deriveVaultKeys(vaultKey(), '');
    const outbox = new OutboxStore(accountDir, vectors.outbox.account_id, () => keys.cache);
    expect(await outbox.load()).toEqual({});
    expect(outbox.ops).toEqual(later.content.ops);
  });

  it('opens a secret with a revision by the revised additional data, and refuses one whose revision was changed', async () => {
    const keys = await deriveVaultKeys(vaultKey(), '');
    const entry = vectors.entries.find((e) => JSON.parse(e.value).r !== undefined)!;
    const opened = await openValueText(keys, entry.realm_id, entry.key, entry.value);
    expect(opened).toEqual({ value: entry.plaintext, revision: JSON.parse(entry.value).r });
    const raised = JSON.stringify({ ...JSON.parse(entry.value), r: JSON.parse(entry.value).r + 1 });
    expect(await openValueText(keys, entry.realm_id, entry.key, raised)).toBeUndefined();
  });

  it('follows the spec step by step with libsodium alone (no app code)', async () => {
    const sodium = await loadSodium();
    const record = JSON.parse(vectors.keyrings[1]!.record);
    const b = (s: string) => Buffer.from(s, 'base64');
    const kek = sodium.crypto_pwhash(32, new TextEncoder().encode(vectors.passphrase.normalize('NFC')), b(record.passphrase.salt), record.passphrase.opslimit, record.passphrase.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    const vk = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, b(record.passphrase.wrapped_key), `hoody-vault/keyring/v1/passphrase/${record.vault_id}`, b(record.passphrase.nonce), kek);
    const kv = sodium.crypto_kdf_derive_from_key(32, 1, 'hvvalue1', vk);
    const entry = vectors.entries[1]!;
    const { n, c } = JSON.parse(entry.value);
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, b(c), `hoody-vault/value/v1\n${entry.realm_id}\n${entry.key}`, b(n), kv);
    expect(new TextDecoder().decode(plain)).toBe(entry.plaintext);
  });
});
