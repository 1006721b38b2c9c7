import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import type { UploadProgress } from '../../../../common/vault-files.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// Files end to end through the core against the sandbox over HTTP: a path registered as the
// preload would, sealed and streamed by main, then opened again byte for byte.

const sandbox = useSandbox({ vaultLimitMb: 3 });
const tempDir = useTempDir();
const cores: Core[] = [];
afterEach(async () => {
  sandbox().faults.clear();
  await Promise.all(cores.splice(0).map((c) => c.close()));
});


async function unlockedCore() {
  const user = await sandbox().admin.createUser();
  const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
  const dir = await tempDir();
  const saved: string[] = [];
  const core = await createCore({
    dataDir: dir,
    mode: 'electron',
    version: 't',
    keychain: { unavailable: 'x' },
    argon2: MIN_ARGON2,
    engine: { sleep: async () => {} },
    saveDialog: async (name) => {
      const path = join(dir, `saved-${name}`);
      saved.push(path);
      return path;
    },
  });
  cores.push(core);
  const progress: UploadProgress[] = [];
  core.events.subscribe((event, payload) => event === 'vault.upload' && progress.push(payload as UploadProgress));
  const call = core.call;
  await call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true });
  await call('vault.setup', { passphrase: 'files test passphrase' });
  const upload = async (bytes: Uint8Array, name: string, key = name.replace(/[^a-zA-Z0-9._-]/g, '-')) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const [file] = await core.fileRegistry.register([path]);
    return call('vault.uploadFile', { fileId: file!.fileId, realmId: '', key, uploadId: crypto.randomUUID() });
  };
  return { core, call, upload, progress, saved, token, dir };
}

describe('files in the vault', () => {
  it.each([
    ['random bytes', 300_001],
    ['an empty file', 0],
    ['exactly one chunk', 65_536],
  ])('round-trips %s byte for byte, with the checksum and name sealed', async (_name, size) => {
    const { call, upload, saved, token } = await unlockedCore();
    const bytes = new Uint8Array(randomBytes(size));
    const stored = await upload(bytes, 'data.bin');
    expect(stored).toMatchObject({ ok: true, data: { key: 'data.bin', kind: 'file', size, filename: 'data.bin', contentType: 'application/octet-stream' } });
    const listing = (await call('vault.list', { realmId: '' })) as { data: { entries: Array<{ key: string; kind: string; filename: string; size: number }> } };
    expect(listing.data.entries).toEqual([expect.objectContaining({ key: 'data.bin', kind: 'file', filename: 'data.bin', size })]);
    // On the server the metadata holds only marker, kind, size and the seal: name and type are inside.
    const raw = (await (await fetch(`${sandbox().apiUrl}/vault/keys/data.bin`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { metadata: Record<string, unknown> } };
    expect(Object.keys(raw.data.metadata).sort()).toEqual(['hv', 'kind', 'sealed', 'size']);
    expect(await call('vault.saveFile', { realmId: '', key: 'data.bin' })).toMatchObject({ ok: true, data: { saved: saved[0] } });
    expect(createHash('sha256').update(await readFile(saved[0]!)).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('stores a file near the quota, and refuses one that cannot fit, saying how much space there is', async () => {
    const { upload, progress } = await unlockedCore();
    // 3 MB account; sealing and base64 grow a file by about a third.
    const nearly = await upload(new Uint8Array(randomBytes(2_100_000)), 'big.bin');
    expect(nearly).toMatchObject({ ok: true });
    expect(progress.at(-1)).toMatchObject({ state: 'done', sent: 2_100_000, total: 2_100_000 });
    expect(progress.filter((p) => p.state === 'uploading').length).toBeGreaterThan(3);
    const refused = await upload(new Uint8Array(randomBytes(600_000)), 'too-much.bin');
    expect(refused).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED', fields: { value: expect.stringMatching(/^needs [\d.]+ [KM]B; [\d.]+ [KM]?B left$/) } } });
  });

  it('cancelled while streaming, the upload stops and the server stores nothing', async () => {
    const { core, call, progress } = await unlockedCore();
    // A source that trickles (a slow disk or a slow network upload in serve mode).
    const slow = {
      name: 'slow.bin',
      type: 'application/octet-stream',
      size: 20 * 65_536,
      replayable: false,
      async *open() {
        for (let i = 0; i < 20; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 40));
          yield new Uint8Array(65_536);
        }
      },
    };
    const uploadId = crypto.randomUUID();
    const pending = core.files.store({ realmId: '', key: 'slow.bin', uploadId }, slow);
    // Cancel once bytes are streaming (a state, not a guess at how long starting takes), well before
    // the 20th chunk.
    await vi.waitFor(() => expect(progress.some((p) => p.uploadId === uploadId && p.state === 'uploading' && p.sent > 0)).toBe(true), { timeout: 60_000, interval: 10 });
    expect(await call('vault.cancelUpload', { uploadId })).toEqual({ ok: true, data: { cancelled: true } });
    await expect(pending).rejects.toMatchObject({ message: expect.stringContaining('cancelled; nothing was kept') });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { entries: [] } });
  });

  it('cancelled after the whole body was sent, the stored entry is removed again', async () => {
    const { core, call, dir, progress } = await unlockedCore();
    const path = join(dir, 'late.bin');
    await writeFile(path, randomBytes(50_000));
    const [file] = await core.fileRegistry.register([path]);
    // The server holds its answer back for 2 s once the request is in: the cancel lands in that time.
    const held = sandbox().faults.add({ method: 'PATCH', path: '/api/v1/vault/keys/late.bin', latencyMs: 2000, times: 1 });
    const uploadId = crypto.randomUUID();
    const pending = call('vault.uploadFile', { fileId: file!.fileId, realmId: '', key: 'late.bin', uploadId });
    await vi.waitFor(() => expect(sandbox().faults.list().some((f) => f.id === held.id)).toBe(false), { timeout: 60_000, interval: 10 });
    // …and every byte of the file has been read and sealed into the request.
    await vi.waitFor(() => expect(progress.some((p) => p.uploadId === uploadId && p.sent === p.total)).toBe(true), { timeout: 60_000, interval: 10 });
    expect(await call('vault.cancelUpload', { uploadId })).toEqual({ ok: true, data: { cancelled: true } });
    expect(await pending).toMatchObject({ ok: false, error: { message: expect.stringContaining('cancelled; nothing was kept') } });
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { entries: [] } });
  });

  it('refuses, before sending, a file whose sealed metadata would pass the 256 KB limit', async () => {
    const { core, call } = await unlockedCore();
    const source = { name: 'small.txt', type: 'text/plain', size: 3, replayable: true, async *open() { yield new TextEncoder().encode('abc'); } };
    await expect(core.files.store({ realmId: '', key: 'small.txt', uploadId: crypto.randomUUID(), notes: 'n'.repeat(300_000) }, source)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fields: { notes: expect.stringContaining('256 KB') },
    });
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { entries: [] } });
  });

  it('a server that fails mid-upload leaves nothing half-written, and says so', async () => {
    const { call, upload } = await unlockedCore();
    sandbox().faults.add({ method: 'PATCH', path: '/api/v1/vault/keys/flaky.bin', drop: true, times: 10 });
    const failed = await upload(new Uint8Array(randomBytes(400_000)), 'flaky.bin');
    expect(failed).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    sandbox().faults.clear();
    expect(await call('vault.list', { realmId: '' })).toMatchObject({ ok: true, data: { entries: [] } });
    // Retrying works: the file is read and sealed again from disk.
    sandbox().faults.add({ method: 'PATCH', path: '/api/v1/vault/keys/flaky2.bin', status: 503, times: 1 });
    expect(await upload(new Uint8Array(randomBytes(100_000)), 'flaky2.bin')).toMatchObject({ ok: true });
  });

  it('previews text and images inside the app, and says why it cannot preview other types', async () => {
    const { call, upload } = await unlockedCore();
    await upload(new TextEncoder().encode('hello from a text file\nline two'), 'notes.txt');
    expect(await call('vault.previewFile', { realmId: '', key: 'notes.txt' })).toEqual({ ok: true, data: { kind: 'text', text: 'hello from a text file\nline two', truncated: false } });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await upload(new Uint8Array(png), 'pixel.png');
    expect(await call('vault.previewFile', { realmId: '', key: 'pixel.png' })).toEqual({ ok: true, data: { kind: 'image', dataUrl: `data:image/png;base64,${png.toString('base64')}` } });
    await upload(new Uint8Array(randomBytes(10)), 'blob.bin');
    expect(await call('vault.previewFile', { realmId: '', key: 'blob.bin' })).toMatchObject({ ok: true, data: { kind: 'none', reason: expect.stringContaining('save it') } });
  });

  it('serves a prepared download once, decrypted', async () => {
    const { core, call, upload } = await unlockedCore();
    const bytes = new Uint8Array(randomBytes(70_000));
    await upload(bytes, 'dl.bin');
    const { data } = (await call('vault.prepareDownload', { realmId: '', key: 'dl.bin' })) as { data: { token: string } };
    const download = await core.files.takeDownload(data.token);
    const parts: Uint8Array[] = [];
    for await (const part of download!.chunks) parts.push(part);
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
    expect(await core.files.takeDownload(data.token)).toBeUndefined();
  });

  it('refuses a name that breaks the key rule, and a path that is not a regular file', async () => {
    const { core, call, upload, dir } = await unlockedCore();
    expect(await upload(new Uint8Array(1), 'ok.bin', 'bad name')).toMatchObject({ ok: false, error: { fields: { key: expect.any(String) } } });
    await expect(core.fileRegistry.register([dir])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(core.fileRegistry.register(['/no/such/file'])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await call('vault.uploadFile', { fileId: crypto.randomUUID(), realmId: '', key: 'x', uploadId: crypto.randomUUID() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
