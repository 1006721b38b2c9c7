import { join } from 'node:path';
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

  /** The record in one scope, or undefined if that scope has none. */
  async fetch(client: HoodyClient, realmId: string): Promise<KeyringRecord | undefined> {
    try {
      const entry = await client.getKey(KEYRING_KEY, realmId || undefined);
      return parseKeyringRecord(entry.value);
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

  async put(client: HoodyClient, realmId: string, record: KeyringRecord): Promise<void> {
    await client.setKey(KEYRING_KEY, { value: JSON.stringify(record), metadata: { hv: 1, kind: 'keyring' } }, realmId || undefined);
  }
}
