import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/serve-process.js';
import { useSandbox, type Loose } from './client.js';

// Every curl example of the seed document (docs/hoody-api/users-activity-vault-api.txt), in its order,
// sent unchanged except for the base URL and a token the sandbox issued. The user id of the
// examples (507f1f77bcf86cd799439011) is created with that id, and "my-encrypted-notes" exists
// before the examples that read and delete it.

const DOC_USER = '507f1f77bcf86cd799439011';
const SEED_DOC = join(repoRoot, 'docs', 'hoody-api', 'users-activity-vault-api.txt');

const EXAMPLES: [method: string, url: string, body: string | undefined, status: number][] = [
  ['GET', 'https://api.hoody.com/api/v1/users/507f1f77bcf86cd799439011', undefined, 200],
  [
    'PATCH',
    'https://api.hoody.com/api/v1/users/507f1f77bcf86cd799439011',
    `{
"alias": "John Smith",
"public_key": "a1b2c3d4e5f6789012345678901234567890abcdefabcdefabcdefabcdef1234"
}`,
    200,
  ],
  ['POST', 'https://api.hoody.com/api/v1/users/me/retry-setup', `{\n"region": "us-east-1"\n}`, 200],
  ['GET', 'https://api.hoody.com/api/v1/users/auth/activity?page=1&limit=50&errors_only=true', undefined, 200],
  ['GET', 'https://api.hoody.com/api/v1/users/auth/activity/stats', undefined, 200],
  ['GET', 'https://api.hoody.com/api/v1/vault/keys', undefined, 200],
  ['GET', 'https://api.hoody.com/api/v1/vault/keys/my-encrypted-notes', undefined, 200],
  [
    'PATCH',
    'https://api.hoody.com/api/v1/vault/keys/api-keys',
    `{
"value": "{\\"api_key\\": \\"sk_test_123456\\", \\"encrypted\\": true}",
"metadata": {
"filename": "api-keys.json",
"content_type": "application/json",
"created_by": "admin",
"purpose": "Production API keys"
}
}`,
    201,
  ],
  ['GET', 'https://api.hoody.com/api/v1/vault/stats', undefined, 200],
  ['DELETE', 'https://api.hoody.com/api/v1/vault/keys/my-encrypted-notes', undefined, 200],
  ['DELETE', 'https://api.hoody.com/api/v1/vault', undefined, 200],
];

const box = useSandbox();
let token: string;

beforeAll(async () => {
  const user = await box.sandbox.admin.createUser({ id: DOC_USER, username: 'john' });
  const login = await box.api('POST', '/users/auth/login', { body: { username: 'john', password: user.password } });
  token = login.body.data.token;
  await box.api('PUT', '/vault/keys/my-encrypted-notes', { token, body: { value: 'notes' } });
  // Something for errors_only=true to find.
  await box.api('GET', '/vault/keys/not-there', { token });
});

describe('the seed document examples', () => {
  it.each(EXAMPLES)('%s %s', async (method, docUrl, body, status) => {
    const url = docUrl.replace('https://api.hoody.com', box.sandbox.url);
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, { method, headers, body });
    const json = (await res.json()) as Loose;
    expect(res.status).toBe(status);
    expect(json).toMatchObject({ statusCode: status, message: expect.any(String) });
    expect('data' in json).toBe(true);
    if (docUrl.includes('errors_only=true')) {
      expect(json.data.length).toBeGreaterThan(0);
      expect(json.data.every((r: { status_code: number }) => r.status_code >= 400)).toBe(true);
      expect(json.metadata).toMatchObject({ page: 1, limit: 50 });
    }
    if (method === 'PATCH' && docUrl.includes('/users/')) expect(json.data).toMatchObject(JSON.parse(body!));
    if (docUrl.endsWith('/vault/keys/api-keys')) expect(json.data).toMatchObject({ ...JSON.parse(body!), key: 'api-keys', realm_id: '' });
    if (docUrl.endsWith('/api/v1/vault')) expect(json.data).toEqual({ deleted_count: 1 });
  });

  it('covers every curl example of the document, in order', () => {
    const doc = readFileSync(SEED_DOC, 'utf8');
    const found = [...doc.matchAll(/curl -X (\w+) "([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(found).toEqual(EXAMPLES.map(([method, url]) => `${method} ${url}`));
    const bodies = [...doc.matchAll(/-d '([^']*)'/g)].map((m) => m[1]);
    expect(bodies).toEqual(EXAMPLES.flatMap(([, , body]) => (body === undefined ? [] : [body])));
  });
});
