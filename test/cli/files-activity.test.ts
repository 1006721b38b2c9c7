import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { cli, expectCode, start, useDataDir } from './harness.js';

// Files and the activity log through the built binary: a file stored and fetched byte for byte, an
// upload stopped by Ctrl+C leaving nothing on the server, and exports parsed back.

const sandbox = useSandbox({ seedDemo: true });
const dataDir = useDataDir();
const PASSPHRASE = 'correct horse battery staple';
const alice = () => sandbox().demo!.users.find((u) => u.username === 'alice')!;
const run = (args: string[], options: Parameters<typeof cli>[1] = {}) => cli(['--data', dataDir(), ...args], options);
let session = '';
const withSession = () => ({ env: { HOODY_VAULT_SESSION: session } });

describe('hoody-vault vault put / fetch', { timeout: 120_000 }, () => {
  it('stores a file (progress on stderr) and fetches it back byte for byte, to a file and to stdout', async () => {
    expectCode(await run(['login', '--server', sandbox().url, '--token-stdin'], { input: alice().token }), 0);
    expectCode(await run(['vault', 'setup'], { input: `${PASSPHRASE}\n` }), 0);
    session = expectCode(await run(['vault', 'unlock', '--raw'], { input: `${PASSPHRASE}\n` }), 0).stdout.trim();
    const bytes = randomBytes(300 * 1024 + 17);
    const source = join(dataDir(), 'photo.bin');
    await writeFile(source, bytes);
    const put = expectCode(await run(['vault', 'put', source, '--key', 'photo'], withSession()), 0);
    expect(put.stdout).toBe('Stored photo.bin as “photo” (300 KB).\n');
    expect(put.stderr).toMatch(/photo\.bin: .* of 300 KB/);
    const list = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list', '--search', 'photo'], withSession()), 0).stdout);
    expect(list).toEqual([expect.objectContaining({ key: 'photo', type: 'file', size: bytes.length, filename: 'photo.bin' })]);
    const target = join(dataDir(), 'back.bin');
    expectCode(await run(['vault', 'fetch', 'photo', '--out', target], withSession()), 0);
    expect((await readFile(target)).equals(bytes)).toBe(true);
    // Not overwritten without -y.
    expectCode(await run(['vault', 'fetch', 'photo', '--out', target], withSession()), 1);
    const piped = expectCode(await run(['vault', 'fetch', 'photo', '--out', '-'], withSession()), 0);
    expect(piped.stdoutBytes.equals(bytes)).toBe(true);
    expect(expectCode(await run(['vault', 'get', 'photo'], withSession()), 0).stdoutBytes.equals(bytes)).toBe(true);
    expectCode(await run(['vault', 'put', join(dataDir(), 'missing.bin')], withSession()), 2);
    expectCode(await run(['vault', 'put', source, '--key', 'photo'], withSession()), 1);
  });

  it('Ctrl+C mid-upload cancels it: exit 130 and nothing of it on the server', async () => {
    const source = join(dataDir(), 'big.bin');
    await writeFile(source, randomBytes(8 * 1024 * 1024));
    // The server holds the request before reading its body, so the upload is caught mid-way.
    const hold = 4000;
    sandbox().faults.add({ method: 'PATCH', path: '/api/v1/vault/keys/big', latencyMs: hold, times: 1 });
    const { child, done } = start(['--data', dataDir(), 'vault', 'put', source, '--key', 'big'], withSession());
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/big\.bin: [\d.]+ (KB|MB) of/.test(stderr) && !/ 0 B of/.test(stderr.split('\r').at(-1)!)) resolve();
      });
      child.on('close', () => reject(new Error(`ended before the upload started: ${stderr}`)));
    });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/cancelled/);
    // The held request resumes after `hold` ms with its client gone: wait it out, then look.
    await new Promise((resolve) => setTimeout(resolve, hold + 500));
    const list = JSON.parse(expectCode(await run(['-o', 'json', 'vault', 'list', '--search', 'big']), 0).stdout);
    expect(list).toEqual([]);
  });
});

describe('hoody-vault activity', { timeout: 120_000 }, () => {
  it('reads a page and every page, with the API’s filters; bad filters are exit 2 naming the flag', async () => {
    const page = JSON.parse(expectCode(await run(['-o', 'json', 'activity', 'log', '--limit', '5', '--method', 'get']), 0).stdout);
    expect(page.records).toHaveLength(5);
    expect(page.records.every((r: { method: string }) => r.method === 'GET')).toBe(true);
    expect(page.metadata).toMatchObject({ page: 1, limit: 5 });
    const errors = JSON.parse(expectCode(await run(['-o', 'json', 'activity', 'log', '--errors-only', '--all', '--limit', '100']), 0).stdout);
    expect(errors.records.length).toBe(errors.total);
    expect(errors.records.every((r: { status_code: number }) => r.status_code >= 400)).toBe(true);
    const bad = expectCode(await run(['-o', 'json', 'activity', 'log', '--min-status', '500', '--max-status', '200']), 2);
    expect(JSON.parse(bad.stderr).error.fields).toEqual({ '--max-status': 'must not be below the minimum status' });
    const method = expectCode(await run(['-o', 'json', 'activity', 'log', '--method', 'FETCH']), 2);
    expect(Object.keys(JSON.parse(method.stderr).error.fields)).toEqual(['--method']);
    const stats = JSON.parse(expectCode(await run(['-o', 'json', 'activity', 'stats']), 0).stdout);
    expect(stats.total_records).toBeGreaterThan(100);
  });

  it('exports CSV and JSON, to stdout and to a file, parsed back', async () => {
    const json = JSON.parse(expectCode(await run(['activity', 'export', '--format', 'json', '--errors-only']), 0).stdout);
    expect(json).toMatchObject({ records_count: expect.any(Number), complete: true });
    expect(json.records.length).toBe(json.records_count);
    expect(json.records.every((r: { status_code: number }) => r.status_code >= 400)).toBe(true);
    const file = join(dataDir(), 'activity.csv');
    const saved = expectCode(await run(['activity', 'export', '--format', 'csv', '--out', file]), 0);
    expect(saved.stderr).toMatch(/exporting: page \d+ of \d+/);
    const lines = (await readFile(file, 'utf8')).trim().split(/\r\n/);
    const reported = Number(/Exported (\d+) records to /.exec(saved.stderr)?.[1]);
    expect(reported).toBeGreaterThan(100);
    expect(lines[0]).toMatch(/^[a-z_]+(,[a-z_]+)+$/);
    expect(lines.length - 1).toBe(reported);
    expectCode(await run(['activity', 'export', '--format', 'xml']), 2);

    // Ctrl+C while pages are read: exit 130 and no file at all.
    const stopped = join(dataDir(), 'stopped.json');
    const { id } = sandbox().faults.add({ method: 'GET', path: '/api/v1/users/auth/activity', latencyMs: 5000, times: 1 });
    const { child, done } = start(['--data', dataDir(), 'activity', 'export', '--format', 'json', '--out', stopped]);
    // The fault is used up when the export's first page request reaches the server, which holds it.
    await new Promise<void>((resolve) => {
      const poll = () => (sandbox().faults.list().some((f) => f.id === id) ? setTimeout(poll, 20) : resolve());
      poll();
    });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    await expect(readFile(stopped)).rejects.toMatchObject({ code: 'ENOENT' });
    // No temporary file is left beside the export.
    expect((await readdir(dataDir())).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});
