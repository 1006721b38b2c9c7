import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HoodyClient } from '../../../../main/core/api/hoody-client.js';
import { HttpEngine } from '../../../../main/core/api/http.js';
import { AuthSession } from '../../../../main/core/api/session.js';
import { KEYRING_KEY, type KeyringRecord } from '../../../../main/core/crypto/keyring.js';
import { KeyringStore } from '../../../../main/core/vault/keyring-store.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// Where the keyring record lives: this computer's copy (a JSON file), and the reserved entry in each
// scope on the server (the sandbox, over real HTTP). Records here are made up: the store only moves
// them; what they hold is tested with the keyring itself.

const sandbox = useSandbox();
const tempDir = useTempDir();

const record = (updatedAt = '2026-01-01T00:00:00.000Z', vaultId = 'dmF1bHQtaWQtMTIzNDU2Nw=='): KeyringRecord => ({
  format: 'hoody-vault-keyring',
  v: 1,
  vault_id: vaultId,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: updatedAt,
  passphrase: { kdf: 'argon2id13', opslimit: 2, memlimit: 67108864, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', nonce: 'bm9uY2U=', wrapped_key: 'd3JhcHBlZA==' },
  recovery: { nonce: 'bm9uY2U=', wrapped_key: 'd3JhcHBlZA==' },
});

async function clientWithRealm() {
  const user = await sandbox().admin.createUser();
  const realm = sandbox().admin.createRealm({ ownerId: user.id, name: 'Work' });
  const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
  const client = new HoodyClient(new AuthSession(new HttpEngine({ baseUrl: sandbox().url, sleep: async () => {} }), { kind: 'api-token', token }));
  return { client, realmId: realm.id, token };
}

describe("this computer's copy", () => {
  it('is absent at first, then reads back exactly what was written', async () => {
    const dir = await tempDir();
    const store = new KeyringStore(dir);
    expect(await store.readLocal()).toBeUndefined();
    await store.writeLocal(record());
    expect(await store.readLocal()).toEqual(record());
    await store.writeLocal(record('2026-05-05T00:00:00.000Z'));
    expect((await store.readLocal())?.updated_at).toBe('2026-05-05T00:00:00.000Z');
    expect(await readdir(dir)).toEqual(['keyring.json']);
  });

  it('reads a copy that does not parse, or is not a keyring record, as no copy', async () => {
    for (const content of ['{broken', '{"format":"something-else"}', JSON.stringify({ ...record(), v: 2 }), JSON.stringify({ ...record(), passphrase: { ...record().passphrase, salt: 'not base64!' } })]) {
      const dir = await tempDir();
      await writeFile(join(dir, 'keyring.json'), content);
      expect(await new KeyringStore(dir).readLocal()).toBeUndefined();
    }
  });

  it('writes atomically into a folder that already exists, leaving no temporary file', async () => {
    const dir = join(await tempDir(), 'account');
    await mkdir(dir);
    await new KeyringStore(dir).writeLocal(record());
    expect(await readdir(dir)).toEqual(['keyring.json']);
    expect(JSON.parse(await readFile(join(dir, 'keyring.json'), 'utf8'))).toEqual(record());
  });
});

describe('the copies on the server', () => {
  it('puts the record as the reserved entry of a scope, marked as a keyring, and fetches it back', async () => {
    const { client, realmId, token } = await clientWithRealm();
    const store = new KeyringStore(await tempDir());
    expect(await store.fetch(client, '')).toBeUndefined();
    await store.put(client, realmId, record());
    expect(await store.fetch(client, realmId)).toEqual(record());
    expect(await store.fetch(client, '')).toBeUndefined();
    const stored = (await (await fetch(`${sandbox().apiUrl}/vault/keys/${KEYRING_KEY}?realm_id=${realmId}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { metadata: unknown } };
    expect(stored.data.metadata).toEqual({ hv: 1, kind: 'keyring' });
  });

  it('finds the first scope holding a record, in the order given', async () => {
    const { client, realmId } = await clientWithRealm();
    const store = new KeyringStore(await tempDir());
    expect(await store.find(client, ['', realmId])).toBeUndefined();
    await store.put(client, realmId, record('2026-02-02T00:00:00.000Z'));
    expect(await store.find(client, ['', realmId])).toEqual({ record: record('2026-02-02T00:00:00.000Z'), realmId });
    await store.put(client, '', record('2026-03-03T00:00:00.000Z'));
    expect(await store.find(client, ['', realmId])).toMatchObject({ realmId: '', record: { updated_at: '2026-03-03T00:00:00.000Z' } });
    expect(await store.find(client, [realmId, ''])).toMatchObject({ realmId });
  });

  it('takes an entry under the reserved name that is not a keyring record as none', async () => {
    const { client } = await clientWithRealm();
    await client.setKey(KEYRING_KEY, { value: 'someone wrote plain text here' });
    expect(await new KeyringStore(await tempDir()).fetch(client, '')).toBeUndefined();
  });

  it('passes on errors other than "not found" (a refused token is not "no keyring")', async () => {
    const client = new HoodyClient(new AuthSession(new HttpEngine({ baseUrl: sandbox().url, sleep: async () => {} }), { kind: 'api-token', token: 'hdy_not_a_real_token_at_all' }));
    await expect(new KeyringStore(await tempDir()).fetch(client, '')).rejects.toMatchObject({ status: 401 });
  });
});
