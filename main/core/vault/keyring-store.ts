import { dirname, join } from 'node:path';
import type { HoodyClient } from '../api/hoody-client.js';
import { isStatus } from '../api/errors.js';
import { KEYRING_KEY, parseKeyringRecord, type KeyringRecord } from '../crypto/keyring.js';
import { readJsonFile, writeJsonFile } from '../storage/json-file.js';

// Where the keyring record is found. The server keeps it as a reserved entry in each scope the app
// writes to; this computer keeps a copy in the account's folder, so unlocking never waits for the
// network (the record holds only wrapped keys: it is as safe on disk as on the server).

export class KeyringStore {
  readonly #file: string;

  constructor(accountDir: string) {
    this.#file = join(accountDir, 'keyring.json');
  }

  async readLocal(): Promise<KeyringRecord | undefined> {
    const read = await readJsonFile(this.#file).catch(() => ({ state: 'missing' as const }));
    return read.state === 'ok' ? parseKeyringRecord(JSON.stringify(read.value)) : undefined;
  }

  writeLocal(record: KeyringRecord): Promise<void> {
    return writeJsonFile(this.#file, record);
  }

  /**
   * A keyring about to be replaced (on the server or here) is kept in the account's folder as
   * `keyring.aside-<vault_id>.json`: whichever vault the user gave up, its key stays recoverable.
   */
  keepAside(record: KeyringRecord): Promise<void> {
    const id = Buffer.from(record.vault_id, 'base64').toString('hex');
    return writeJsonFile(join(dirname(this.#file), `keyring.aside-${id}.json`), record);
  }

  /** The record in one scope, or undefined if that scope has none. */
  async fetch(client: HoodyClient, realmId: string): Promise<KeyringRecord | undefined> {
    return (await this.fetchStamped(client, realmId))?.record;
  }

  /** The record in one scope with the entry's updated_at (a value that is no record counts as none). */
  async fetchStamped(client: HoodyClient, realmId: string): Promise<{ record: KeyringRecord; updatedAt: string } | undefined> {
    try {
      const entry = await client.getKey(KEYRING_KEY, realmId || undefined);
      const record = parseKeyringRecord(entry.value);
      return record ? { record, updatedAt: entry.updated_at } : undefined;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** The first record found, looking at the scopes in order. */
  async find(client: HoodyClient, scopes: string[]): Promise<{ record: KeyringRecord; realmId: string } | undefined> {
    for (const realmId of scopes) {
      const record = await this.fetch(client, realmId);
      if (record) return { record, realmId };
    }
    return undefined;
  }

  /** Stores the record in a scope; returns the entry's updated_at. */
  async put(client: HoodyClient, realmId: string, record: KeyringRecord): Promise<string> {
    const { entry } = await client.setKey(KEYRING_KEY, { value: JSON.stringify(record), metadata: { hv: 1, kind: 'keyring' } }, realmId || undefined);
    return entry.updated_at;
  }
}
