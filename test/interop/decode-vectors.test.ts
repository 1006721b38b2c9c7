import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// docs/vault-format.md's vectors, opened by a second program written from the spec alone: a short
// Python decoder on PyNaCl (test/interop/decode_vectors.py; Debian's python3-nacl, installed by
// .ci/run). It is given only what a reader would hold (the server's entries, the local files, the
// passphrase and recovery key), never the plaintexts; its output is compared with them here.

const run = promisify(execFile);
const decoder = fileURLToPath(new URL('./decode_vectors.py', import.meta.url));
// The system's Python, where python3-nacl lives (a pyenv or venv python3 earlier in PATH may lack it).
const python = process.env.HV_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

interface Entry {
  realm_id: string;
  key: string;
  kind: string;
  plaintext?: string;
  plaintext_b64?: string;
  meta?: Record<string, string>;
  value: string;
  metadata: unknown;
}
const vectors = JSON.parse(await readFile(new URL('../../docs/vault-format-vectors.json', import.meta.url), 'utf8')) as {
  passphrase: string;
  vault_key_hex: string;
  subkeys_hex: Record<string, string>;
  recovery_key: string;
  recovery_key_hex: string;
  keyrings: Array<{ name: string; record: string }>;
  keyring_entry: { realm_id: string; key: string; metadata: unknown };
  entries: Entry[];
  local_copy: { account_id: string; path: string; realm_id: string; file_b64: string; content: { entries: Array<{ key: string }> } };
  outbox: { account_id: string; path: string; file_b64: string; content: unknown; opened_values: Array<{ key: string; realm_id: string; plaintext: string; meta: unknown }> };
  outbox_with_generation: { account_id: string; file_b64: string; content: unknown };
  local_copy_with_files: { account_id: string; path: string; realm_id: string; file_b64: string; content: { entries: Array<{ key: string }> }; files: Array<{ path: string; key: string; file_b64: string }> };
};

const dir = await mkdtemp(join(tmpdir(), 'hv-interop-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const expectedEntry = (e: Entry) => ({
  realm_id: e.realm_id,
  key: e.key,
  kind: e.kind,
  ...(e.plaintext !== undefined ? { plaintext: e.plaintext } : {}),
  ...(e.plaintext_b64 !== undefined ? { plaintext_b64: e.plaintext_b64 } : {}),
  meta: e.meta,
  opens_under_another_key: false,
});

/** The sealed realm names (its own file: made without making the others again). */
const realmNames = JSON.parse(await readFile(new URL('../../docs/vault-format-realm-names-vector.json', import.meta.url), 'utf8')) as { value: string; names: Record<string, string> };

describe('a second decoder (Python, PyNaCl), written from docs/vault-format.md', () => {
  it('opens every vector: both keyrings, the recovery key, secrets, files, the local copy (before and since 1.2, with its files) and the outbox', async () => {
    const keyringEntry = { ...vectors.keyring_entry, value: vectors.keyrings[0]!.record };
    // What a reader holds: no plaintext, no expected content.
    const given = {
      passphrase: vectors.passphrase,
      recovery_key: vectors.recovery_key,
      keyrings: vectors.keyrings.map((k) => k.record),
      entries: [keyringEntry, ...vectors.entries].map(({ realm_id, key, value, metadata }) => ({ realm_id, key, value, metadata })),
      local_copy: { account_id: vectors.local_copy.account_id, realm_id: vectors.local_copy.realm_id, file_b64: vectors.local_copy.file_b64 },
      outbox: { account_id: vectors.outbox.account_id, file_b64: vectors.outbox.file_b64 },
      outbox_with_generation: { account_id: vectors.outbox_with_generation.account_id, file_b64: vectors.outbox_with_generation.file_b64 },
      realm_names: { value: realmNames.value },
      // The copy as written since 1.2: the index, and its files by path (which file is whose, the reader works out).
      local_copy_with_files: {
        account_id: vectors.local_copy_with_files.account_id,
        realm_id: vectors.local_copy_with_files.realm_id,
        file_b64: vectors.local_copy_with_files.file_b64,
        files: vectors.local_copy_with_files.files.map(({ path, file_b64 }) => ({ path, file_b64 })),
      },
    };
    const input = join(dir, 'given.json');
    await writeFile(input, JSON.stringify(given));
    const { stdout } = await run(python, [decoder, input], { maxBuffer: 16 * 1024 * 1024 }).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`${python} ${decoder} failed (is python3-nacl installed?): ${error.stderr || error.message}`);
    });
    const out = JSON.parse(stdout);

    expect(out.recovery_key_hex).toBe(vectors.recovery_key_hex);
    expect(out.subkeys_hex).toEqual(vectors.subkeys_hex);
    expect(out.keyrings).toEqual([
      { opslimit: 3, memlimit: 268435456, vault_key_hex: vectors.vault_key_hex, by_recovery_hex: vectors.vault_key_hex, wrong_passphrase_opens: false },
      { opslimit: 2, memlimit: 67108864, vault_key_hex: vectors.vault_key_hex, by_recovery_hex: vectors.vault_key_hex, wrong_passphrase_opens: false },
    ]);
    expect(out.entries).toEqual([{ realm_id: '', key: '_hv.keyring', kind: 'keyring' }, ...vectors.entries.map(expectedEntry)]);
    expect(out.entries.map((e: Entry) => e.kind)).toEqual(['keyring', 'secret', 'secret', 'file', 'file']);

    expect(out.local_copy.path).toBe(vectors.local_copy.path);
    expect(out.local_copy.content).toEqual(vectors.local_copy.content);
    const inCopy = vectors.local_copy.content.entries.map((e) => e.key);
    expect(out.local_copy.entries.map((e: Entry) => e.key)).toEqual(inCopy);
    expect(out.local_copy.entries.filter((e: Entry) => e.kind !== 'keyring')).toEqual(vectors.entries.filter((e) => inCopy.includes(e.key) && e.realm_id === '').map(expectedEntry));

    const withFiles = vectors.local_copy_with_files;
    expect(out.local_copy_with_files.path).toBe(withFiles.path);
    expect(out.local_copy_with_files.content).toEqual(withFiles.content);
    expect(out.local_copy_with_files.file_paths).toEqual(withFiles.files.map((f) => f.path).sort());
    const inCopyWithFiles = withFiles.content.entries.map((e) => e.key);
    expect(out.local_copy_with_files.entries.filter((e: Entry) => e.kind !== 'keyring')).toEqual(vectors.entries.filter((e) => inCopyWithFiles.includes(e.key) && e.realm_id === '').map(expectedEntry));

    expect(out.outbox.path).toBe(vectors.outbox.path);
    expect(out.outbox.content).toEqual(vectors.outbox.content);
    expect(out.outbox.opened).toEqual(vectors.outbox.opened_values.map((v) => ({ ...v, kind: 'secret', opens_under_another_key: false })));
    expect(out.outbox_with_generation).toEqual(vectors.outbox_with_generation.content);
    expect(out.realm_names).toEqual(realmNames.names);
  }, 120_000);
});
