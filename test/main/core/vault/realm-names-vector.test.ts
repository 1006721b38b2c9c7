import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openValueText } from '../../../../main/core/crypto/envelope.js';
import { deriveVaultKeys } from '../../../../main/core/crypto/vault-keys.js';
import { namesOf, parseRealmNames, REALM_NAMES_KEY } from '../../../../main/core/vault/realm-names.js';

// docs/vault-format.md "Realm names": the vector made with raw libsodium from the spec
// (scripts/make-realm-names-vector.ts), opened with the app's own code. The Python decoder in
// test/interop/ opens it too.

const vectors = JSON.parse(await readFile(new URL('../../../../docs/vault-format-vectors.json', import.meta.url), 'utf8')) as { vault_key_hex: string };
const vector = JSON.parse(await readFile(new URL('../../../../docs/vault-format-realm-names-vector.json', import.meta.url), 'utf8')) as {
  realm_id: string;
  key: string;
  metadata: unknown;
  revision: number;
  value: string;
  plaintext: string;
  names: Record<string, string>;
};

describe('the sealed realm names vector, opened with the app', () => {
  it('opens under the vault key, bound to the global scope and the reserved key, and reads as the names', async () => {
    const keys = await deriveVaultKeys(Buffer.from(vectors.vault_key_hex, 'hex'), '');
    expect(vector.key).toBe(REALM_NAMES_KEY);
    expect(vector.metadata).toEqual({ hv: 1, kind: 'realm-names' });
    const opened = await openValueText(keys, '', REALM_NAMES_KEY, vector.value);
    expect(opened).toEqual({ value: vector.plaintext, revision: vector.revision });
    expect(namesOf(parseRealmNames(opened!.value)!)).toEqual(vector.names);
    // Bound where it is: in a realm, or under another key, it does not open.
    expect(await openValueText(keys, '507f1f77bcf86cd799439011', REALM_NAMES_KEY, vector.value)).toBeUndefined();
    expect(await openValueText(keys, '', '_hv.realm-names2', vector.value)).toBeUndefined();
  });

  it('drops what is malformed, entry by entry, and refuses another format', () => {
    const doc = parseRealmNames(JSON.stringify({ format: 'hoody-vault-realm-names', v: 1, names: { '507f1f77bcf86cd799439011': { name: 'Ok', at: '2026-11-26T10:00:00.000Z' }, 'not-an-id': { name: 'x', at: '2026-11-26T10:00:00.000Z' }, '507f1f77bcf86cd799439012': { name: 3, at: 'x' } } }));
    expect(doc?.names).toEqual({ '507f1f77bcf86cd799439011': { name: 'Ok', at: '2026-11-26T10:00:00.000Z' } });
    expect(parseRealmNames('{"format":"hoody-vault-keyring","v":1,"names":{}}')).toBeUndefined();
    expect(parseRealmNames('not json')).toBeUndefined();
  });
});
