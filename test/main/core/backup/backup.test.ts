import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { okData } from '../../../support/core.js';
import { backupCores } from './support.js';

// Backup and move through the core, against the sandbox over HTTP: exports of the whole vault read
// back into another account, each import format from a file written like the real tools write
// them, the plain-text confirmation, a failure halfway and a second run, and cancelling.

const sandbox = useSandbox({ vaultLimitMb: 20 });
const tempDir = useTempDir();
const unlockedCore = backupCores(sandbox, tempDir);
const fixture = (name: string) => readFile(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
const REALM = 'a1b2c3d4e5f6a1b2c3d4e5f6';

type Core = Awaited<ReturnType<typeof unlockedCore>>;

async function fillVault({ core, call, dir }: Core) {
  okData(await call('vault.save', { realmId: '', key: 'API_KEY', value: 'sk_live_ünïcode ✓', notes: 'the main one', mode: 'create' }));
  okData(await call('vault.save', { realmId: REALM, key: 'db.password', value: 'line1\nline2 "quoted"', notes: '', mode: 'create' }));
  const bytes = new Uint8Array(randomBytes(150_001));
  const path = join(dir, 'cert.bin');
  await writeFile(path, bytes);
  const [file] = await core.fileRegistry.register([path]);
  okData(await call('vault.uploadFile', { fileId: file!.fileId, realmId: REALM, key: 'cert.bin', notes: 'a file', uploadId: crypto.randomUUID() }));
  return bytes;
}

async function importText(call: Core['call'], text: string, format: 'backup' | 'json' | 'env' | 'bitwarden' | 'keepassxc', extra: { password?: string; realmId?: string } = {}) {
  const preview = okData(await call('backup.preview', { jobId: `p-${format}`, format, text, ...extra }));
  const outcome = okData(await call('backup.import', { jobId: `i-${format}`, importId: preview.importId }));
  return { preview, outcome };
}

const reveal = async (call: Core['call'], realmId: string, key: string) => okData(await call('vault.reveal', { realmId, key })).value;

describe('backup and move', () => {
  it('an encrypted backup of every scope opens in a new account, files byte for byte', async () => {
    const source = await unlockedCore();
    const bytes = await fillVault(source);
    // A rotated secret: its earlier value travels with it (docs/vault-format.md, "Value history").
    okData(await source.call('vault.save', { realmId: REALM, key: 'db.password', value: 'rotated', notes: '', mode: 'update' }));
    const exported = okData(await source.call('backup.export', { jobId: 'e1', kind: 'encrypted', password: 'export password 1' }));
    expect(exported).toMatchObject({ status: 'saved', secrets: 2, files: 1, scopes: 2, left: [] });
    const file = await readFile(source.saved[0]!, 'utf8');
    // Written where the save dialog said, readable by this user only.
    expect((await stat(source.saved[0]!)).mode & 0o777).toBe(0o600);
    // Sealed: no value, note or key name is readable in the file.
    for (const secret of ['sk_live', 'db.password', 'API_KEY', 'the main one', 'cert.bin']) expect(file).not.toContain(secret);
    expect(JSON.parse(file)).toMatchObject({ format: 'hoody-vault-backup', version: 1, kdf: { alg: 'argon2id13' } });
    expect(source.progress.filter((p) => p.jobId === 'e1' && p.phase === 'reading').at(-1)).toEqual({ jobId: 'e1', phase: 'reading', done: 3, total: 3 });

    const target = await unlockedCore();
    const wrong = await target.call('backup.preview', { jobId: 'p0', format: 'backup', text: file, password: 'not the password' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'PASSWORD_REQUIRED', fields: { password: 'does not open this backup' } } });
    const { preview, outcome } = await importText(target.call, file, 'backup', { password: 'export password 1' });
    expect(preview.items.map((i) => `${i.realmId}/${i.key}/${i.kind}/${i.exists}`).sort()).toEqual(['/API_KEY/secret/false', `${REALM}/cert.bin/file/false`, `${REALM}/db.password/secret/false`]);
    expect(outcome).toMatchObject({ status: 'done', skipped: [], conflicts: [], notStored: [] });
    expect(outcome.stored).toHaveLength(3);
    expect(await reveal(target.call, '', 'API_KEY')).toBe('sk_live_ünïcode ✓');
    expect(await reveal(target.call, REALM, 'db.password')).toBe('rotated');
    const history = okData(await target.call('vault.history', { realmId: REALM, key: 'db.password' }));
    expect(history.items).toHaveLength(1);
    const earlier = okData(await target.call('vault.revealHistoryValue', { realmId: REALM, key: 'db.password', index: 0, at: history.items[0]!.at }));
    expect(earlier.value).toBe('line1\nline2 "quoted"');
    expect(okData(await target.call('vault.history', { realmId: '', key: 'API_KEY' })).items).toEqual([]);
    const listing = okData(await target.call('vault.list', { realmId: REALM }));
    expect(listing.entries.find((e) => e.key === 'cert.bin')).toMatchObject({ kind: 'file', notes: 'a file', filename: 'cert.bin', format: 'hv1' });
    const saved = okData(await target.call('vault.saveFile', { realmId: REALM, key: 'cert.bin' }));
    expect(Buffer.from(await readFile(saved.saved!)).equals(Buffer.from(bytes))).toBe(true);
    // Re-sealed under the new account's own vault key: the stored envelope is not the old one.
    const old = await source.core.vault.entries.storedValue('', 'API_KEY');
    const now = await target.core.vault.entries.storedValue('', 'API_KEY');
    expect(now.value).not.toBe(old.value);
  }, 120_000);

  it('refuses a plain-text export without the confirmation, and writes JSON and .env with it', async () => {
    const user = await unlockedCore({ dialog: false });
    await fillVault(user);
    for (const kind of ['json', 'env'] as const) {
      const refused = await user.call('backup.export', { jobId: 'x', kind });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { confirmPlaintext: expect.stringContaining('must be true') } } });
      const unconfirmed = await user.call('backup.export', { jobId: 'x', kind, confirmPlaintext: false });
      expect(unconfirmed).toMatchObject({ ok: false, error: { fields: { confirmPlaintext: expect.any(String) } } });
    }
    const json = okData(await user.call('backup.export', { jobId: 'j', kind: 'json', confirmPlaintext: true }));
    if (json.status !== 'download') throw new Error('serve mode downloads');
    expect(json.fileName).toMatch(/^hoody-vault-PLAINTEXT-\d{4}-\d\d-\d\d-\d{4}\.json$/);
    expect(JSON.parse(json.content)).toMatchObject({ format: 'hoody-vault-export', entries: expect.arrayContaining([{ kind: 'secret', realm_id: '', key: 'API_KEY', value: 'sk_live_ünïcode ✓', notes: 'the main one' }]) });
    const env = okData(await user.call('backup.export', { jobId: 'v', kind: 'env', confirmPlaintext: true }));
    if (env.status !== 'download') throw new Error('serve mode downloads');
    expect(env.content).toContain('API_KEY="sk_live_ünïcode ✓"');
    expect(env.content).toContain('db.password="line1\\nline2 \\"quoted\\""');
    expect(env.left).toEqual([{ realmId: REALM, key: 'cert.bin', reason: expect.stringContaining('.env holds text values only') }]);

    // Both read back: the JSON with its scopes and the file; the .env into the chosen scope.
    const target = await unlockedCore({ dialog: false });
    const fromJson = await importText(target.call, json.content, 'json');
    expect(fromJson.outcome).toMatchObject({ status: 'done' });
    expect(fromJson.outcome.stored.sort()).toEqual([`${REALM}/cert.bin`, `${REALM}/db.password`, 'global/API_KEY']);
    const fromEnv = await importText(target.call, env.content, 'env', { realmId: 'bbbbbbbbbbbbbbbbbbbbbbbb' });
    expect(fromEnv.outcome.stored.sort()).toEqual(['bbbbbbbbbbbbbbbbbbbbbbbb/API_KEY', 'bbbbbbbbbbbbbbbbbbbbbbbb/db.password']);
    expect(await reveal(target.call, 'bbbbbbbbbbbbbbbbbbbbbbbb', 'db.password')).toBe('line1\nline2 "quoted"');
  }, 120_000);

  it('imports a .env file (the desktop app: main reads it from its registered path)', async () => {
    const { core, call } = await unlockedCore();
    const [file] = await core.fileRegistry.register([fileURLToPath(new URL('./fixtures/sample.env', import.meta.url))]);
    const preview = okData(await call('backup.preview', { jobId: 'p', format: 'env', fileId: file!.fileId }));
    const outcome = okData(await call('backup.import', { jobId: 'i', importId: preview.importId }));
    expect(preview.items.map((i) => i.key)).toEqual(['DATABASE_URL', 'STRIPE_KEY', 'MULTI_LINE', 'SINGLE', 'PLAIN_WITH_COMMENT', 'EMPTY']);
    expect(preview.ignored).toEqual([{ source: 'line 9', reason: 'is not NAME=value' }]);
    expect(outcome.status).toBe('done');
    expect(await reveal(call, '', 'DATABASE_URL')).toBe('postgres://app:s3cret@db.internal:5432/app');
    expect(await reveal(call, '', 'STRIPE_KEY')).toBe('sk_test_51Hx"quoted" and \\ backslash');
    expect(await reveal(call, '', 'MULTI_LINE')).toBe('line one\nline two');
    expect(await reveal(call, '', 'SINGLE')).toBe('literal $HOME \\n stays');
    expect(await reveal(call, '', 'PLAIN_WITH_COMMENT')).toBe('value');
    expect(await reveal(call, '', 'EMPTY')).toBe('');
  }, 60_000);

  it("imports Bitwarden's JSON export with deterministic, collision-free key names", async () => {
    const { call } = await unlockedCore();
    const text = await fixture('bitwarden.json');
    const { preview, outcome } = await importText(call, text, 'bitwarden', { realmId: REALM });
    expect(preview.items.map((i) => [i.source, i.key])).toEqual([
      ['GitHub (deploy bot)', 'Work-APIs.GitHub-deploy-bot'],
      ['Server notes', 'Server-notes'],
      ['GitHub (deploy bot)', 'GitHub-deploy-bot'],
      ['Café ☕ login', 'Cafe-login'],
    ]);
    expect(preview.ignored).toEqual([{ source: 'Empty login', reason: 'has no value to store' }]);
    expect(outcome.stored).toHaveLength(4);
    expect(await reveal(call, REALM, 'Work-APIs.GitHub-deploy-bot')).toBe('ghp_exampleToken123');
    expect(await reveal(call, REALM, 'Server-notes')).toBe('ssh root@10.0.0.2\nport 2222');
    expect(await reveal(call, REALM, 'Cafe-login')).toBe('crème');
    const listing = okData(await call('vault.list', { realmId: REALM }));
    expect(listing.entries.find((e) => e.key === 'Work-APIs.GitHub-deploy-bot')?.notes).toBe('Username: deploy-bot\nURL: https://github.com/login\nrecovery: abcd-efgh\n\nRotate every 90 days.');
    // The same file again names the same keys, finds them all there with the same values, stores nothing.
    const again = await importText(call, text, 'bitwarden', { realmId: REALM });
    expect(again.preview.items.map((i) => i.key)).toEqual(preview.items.map((i) => i.key));
    expect(again.preview.items.every((i) => i.exists)).toBe(true);
    expect(again.outcome).toMatchObject({ status: 'done', stored: [], conflicts: [] });
    expect(again.outcome.skipped).toHaveLength(4);
  }, 60_000);

  it("imports KeePassXC's CSV export", async () => {
    const { call } = await unlockedCore();
    const { preview, outcome } = await importText(call, await fixture('keepassxc.csv'), 'keepassxc');
    expect(preview.items.map((i) => [i.source, i.key])).toEqual([
      ['Mail', 'Mail'],
      ['Work/Cloud/AWS root', 'Work.Cloud.AWS-root'],
      ['Work/Cloud/AWS root', 'Work.Cloud.AWS-root-2'],
      ['_hv.sneaky', 'imported-_hv.sneaky'],
    ]);
    expect(outcome.stored).toHaveLength(4);
    expect(await reveal(call, '', 'Mail')).toBe('p@ss,word');
    expect(await reveal(call, '', 'Work.Cloud.AWS-root')).toBe('aws-"quoted"-secret');
    const listing = okData(await call('vault.list', { realmId: '' }));
    expect(listing.entries.find((e) => e.key === 'Work.Cloud.AWS-root')?.notes).toBe('Username: admin\nURL: https://aws.amazon.com\nTOTP: otpauth://totp/AWS?secret=ABC\n\nMFA on the phone\nsecond line');
  }, 60_000);

  it('an import that fails halfway says what was stored and what was not, and a second run adds no duplicates', async () => {
    const { call } = await unlockedCore();
    okData(await call('vault.save', { realmId: '', key: 'SINGLE', value: 'something else', notes: '', mode: 'create' }));
    const preview = okData(await call('backup.preview', { jobId: 'p', format: 'env', text: await fixture('sample.env') }));
    // The server refuses to store the third entry, every time it is asked.
    sandbox().faults.add({ method: 'PATCH', path: '/api/v1/vault/keys/MULTI_LINE', status: 500 });
    const first = okData(await call('backup.import', { jobId: 'i1', importId: preview.importId }));
    expect(first).toMatchObject({
      status: 'failed',
      stored: ['global/DATABASE_URL', 'global/STRIPE_KEY'],
      failed: { key: 'global/MULTI_LINE', message: expect.any(String) },
      notStored: ['global/MULTI_LINE', 'global/SINGLE', 'global/PLAIN_WITH_COMMENT', 'global/EMPTY'],
    });
    sandbox().faults.clear();
    const second = okData(await call('backup.import', { jobId: 'i2', importId: preview.importId }));
    expect(second).toEqual({
      status: 'done',
      stored: ['global/MULTI_LINE', 'global/PLAIN_WITH_COMMENT', 'global/EMPTY'],
      skipped: ['global/DATABASE_URL', 'global/STRIPE_KEY'],
      // Already there with another value: left as it was.
      conflicts: ['global/SINGLE'],
      notStored: [],
    });
    const keys = okData(await call('vault.list', { realmId: '' })).entries.map((e) => e.key).sort();
    expect(keys).toEqual(['DATABASE_URL', 'EMPTY', 'MULTI_LINE', 'PLAIN_WITH_COMMENT', 'SINGLE', 'STRIPE_KEY']);
    expect(await reveal(call, '', 'SINGLE')).toBe('something else');
    // Done, the import is closed.
    expect(await call('backup.import', { jobId: 'i3', importId: preview.importId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', fields: { importId: 'is not an open import' } } });
  }, 60_000);

  it('an import and an export can be cancelled; the cancelled import can be finished later', async () => {
    const { call, progress } = await unlockedCore();
    const preview = okData(await call('backup.preview', { jobId: 'p', format: 'env', text: await fixture('sample.env') }));
    // The first store is held back by the server, so the cancel lands while the import runs.
    const held = sandbox().faults.add({ method: 'PATCH', path: '/api/v1/vault/keys/DATABASE_URL', latencyMs: 1500, times: 1 });
    const running = call('backup.import', { jobId: 'slow', importId: preview.importId });
    await vi.waitFor(() => expect(sandbox().faults.list().some((f) => f.id === held.id)).toBe(false), { timeout: 30_000, interval: 10 });
    expect(okData(await call('backup.cancel', { jobId: 'slow' }))).toEqual({ cancelled: true });
    const outcome = okData(await running);
    expect(outcome).toMatchObject({ status: 'cancelled', stored: ['global/DATABASE_URL'] });
    expect(outcome.notStored).toHaveLength(5);
    expect(okData(await call('vault.list', { realmId: '' })).entries.map((e) => e.key)).toEqual(['DATABASE_URL']);
    expect(progress.filter((p) => p.jobId === 'slow').map((p) => p.done)).toEqual([0, 1]);
    const rest = okData(await call('backup.import', { jobId: 'rest', importId: preview.importId }));
    expect(rest).toMatchObject({ status: 'done', skipped: ['global/DATABASE_URL'] });
    expect(rest.stored).toHaveLength(5);

    // An export cancelled while it reads stops there and writes nothing.
    sandbox().faults.add({ method: 'GET', path: '/api/v1/vault/keys/STRIPE_KEY', latencyMs: 1500, times: 1 });
    const exporting = call('backup.export', { jobId: 'ex', kind: 'json', confirmPlaintext: true });
    await vi.waitFor(() => expect(progress.some((p) => p.jobId === 'ex' && p.done >= 1)).toBe(true), { timeout: 30_000, interval: 10 });
    expect(okData(await call('backup.cancel', { jobId: 'ex' }))).toEqual({ cancelled: true });
    expect(okData(await exporting)).toMatchObject({ status: 'cancelled', total: 6 });
  }, 60_000);

  it('a previewed import holds opened values in memory only until the vault locks', async () => {
    const { call } = await unlockedCore();
    const preview = okData(await call('backup.preview', { jobId: 'p', format: 'env', text: 'A=1\n' }));
    okData(await call('vault.lock'));
    okData(await call('vault.unlock', { passphrase: 'backup test passphrase' }));
    expect(await call('backup.import', { jobId: 'i', importId: preview.importId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', fields: { importId: 'is not an open import' } } });
    expect(okData(await call('vault.list', { realmId: '' })).entries).toEqual([]);
  }, 60_000);

  it('names the bad input: no password for an encrypted export, no file, a file of another format', async () => {
    const { call } = await unlockedCore();
    expect(await call('backup.export', { jobId: 'e', kind: 'encrypted' })).toMatchObject({ ok: false, error: { fields: { password: 'is needed to seal an encrypted backup' } } });
    expect(await call('backup.preview', { jobId: 'p', format: 'env' })).toMatchObject({ ok: false, error: { fields: { text: 'needs a file (fileId) or its text' } } });
    expect(await call('backup.preview', { jobId: 'p', format: 'bitwarden', text: 'KEY=value' })).toMatchObject({ ok: false, error: { fields: { text: 'is not JSON' } } });
    expect(await call('backup.preview', { jobId: 'p', format: 'keepassxc', text: 'a,b\n1,2' })).toMatchObject({ ok: false, error: { fields: { text: 'is not a keepassxc file' } } });
    expect(await call('backup.preview', { jobId: 'p', format: 'backup', text: '{"format":"hoody-vault-backup"}', password: 'x' })).toMatchObject({ ok: false, error: { fields: { text: 'is not a hoody-vault-backup file' } } });
  }, 60_000);
});
