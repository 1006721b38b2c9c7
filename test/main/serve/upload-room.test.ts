import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../main/core/crypto/kdf.js';
import { startServeHost, type ServeHost } from '../../../main/serve/host.js';
import { useSandbox } from '../../support/sandbox.js';
import { useTempDir } from '../../support/temp-dir.js';

// Serve mode takes an upload as large as the account's vault has room for: it asks the core (which
// asks the server) rather than holding to a fixed cap. The body crosses real HTTP twice: into the
// serve host, then, sealed, to the sandbox.

const MIB = 1024 * 1024;
const sandbox = useSandbox({ vaultLimitMb: 100 });
const tempDir = useTempDir();
let core: Core;
let host: ServeHost;

beforeAll(async () => {
  const dataDir = await tempDir();
  const rendererDir = join(dataDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
  const user = await sandbox().admin.createUser();
  const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
  core = await createCore({ dataDir, mode: 'serve', version: 't', keychain: { unavailable: 'x' }, argon2: MIN_ARGON2 });
  expect(await core.dispatch('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true })).toMatchObject({ ok: true });
  expect(await core.dispatch('vault.setup', { passphrase: 'upload room passphrase' })).toMatchObject({ ok: true });
  host = await startServeHost({ dispatch: core.dispatch, events: core.events, files: core.files, rendererDir });
}, 60_000);

afterAll(async () => {
  await host?.close();
  await core?.close();
});

/** POSTs `size` bytes to the serve host's upload, as the window does, streamed in 1 MiB pieces. */
function upload(key: string, size: number): Promise<{ status: number; body: { ok: boolean; data?: { size: number }; error?: { code: string; message: string } } }> {
  const piece = randomBytes(MIB);
  const query = new URLSearchParams({ realmId: '', key, name: `${key}.bin`, type: 'application/octet-stream', uploadId: crypto.randomUUID() });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: `/${host.secret}/upload?${query}`,
        headers: { host: `127.0.0.1:${host.port}`, origin: host.origin, 'content-type': 'application/octet-stream', 'content-length': size },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    let left = size;
    const write = () => {
      while (left > 0) {
        const take = Math.min(left, MIB);
        left -= take;
        if (!req.write(piece.subarray(0, take))) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('serve mode uploads', () => {
  it('stores a file over 64 MiB when the account has room for it', async () => {
    const size = 65 * MIB;
    const stored = await upload('past-the-old-cap', size);
    expect(stored).toMatchObject({ status: 200, body: { ok: true, data: { size } } });
  }, 120_000);

  it('refuses, before reading it, a file larger than the space left, saying how much is left', async () => {
    // About 13 MiB are left of 100 after the file above (sealing and base64 add a third).
    const refused = await upload('too-big', 20 * MIB);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED', fields: { value: expect.stringMatching(/left/) } } });
    expect(refused.body.error!.message).toMatch(/only .* of your vault space is left/);
  }, 60_000);
});
