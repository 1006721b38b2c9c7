// Child process for bench/local-copy.bench.ts: one core, signed in to a sandbox in another process,
// measuring this computer's copy of a scope. Prints one JSON line. Usage:
//   tsx copy-child.ts <sandbox url> <token> <file path> store-sync   (store the file, then the sync after it: memory)
//   tsx copy-child.ts <sandbox url> <token> <file path> no-change <n> (no-change syncs, before and after n files: time)
//   tsx copy-child.ts <sandbox url> <token> <file path> many-files <n> (no-change syncs of n secrets, before and after n small files: time)
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../main/core/core.js';
import { MIN_ARGON2 } from '../main/core/crypto/kdf.js';
import type { VaultEntry } from '../common/hoody-types.js';

const [url, token, path, mode, count] = process.argv.slice(2) as [string, string, string, 'store-sync' | 'no-change' | 'many-files', string | undefined];
const dataDir = await mkdtemp(join(tmpdir(), 'hoody-copy-bench-'));
const core = await createCore({ dataDir, mode: 'serve', version: 'bench', keychain: { unavailable: 'not needed' }, argon2: MIN_ARGON2 });
const must = (result: { ok: boolean; error?: unknown }) => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
};
must(await core.dispatch('accounts.signInWithToken', { serverUrl: url, token, sessionOnly: true }));
must(await core.dispatch('vault.setup', { passphrase: 'local copy measurement' }));
const size = (await stat(path)).size;

/** A listing of the global scope and the sync it starts, to the app's own "synced" event. */
async function listAndSync(realmId = ''): Promise<number> {
  const started = performance.now();
  const synced = new Promise<void>((resolve) => {
    const stop = core.events.subscribe((event, payload) => {
      if (event !== 'vault.synced' || (payload as { realmId: string }).realmId !== realmId) return;
      stop();
      resolve();
    });
  });
  must(await core.dispatch('vault.list', { realmId }));
  await synced;
  return performance.now() - started;
}

const storeFile = (key: string) =>
  core.files.store(
    { realmId: '', key, uploadId: crypto.randomUUID() },
    { name: 'big.bin', type: 'application/octet-stream', size, replayable: true, open: () => createReadStream(path, { highWaterMark: 64 * 1024 }) },
  );

const settle = async () => {
  for (let i = 0; i < 3; i += 1) {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
};

/** The server's own part of a listing (its two requests, made as a bare client would): what no client can go below. */
async function serverListing(): Promise<number> {
  const started = performance.now();
  const headers = { Authorization: `Bearer ${token}` };
  await Promise.all([`${url}/api/v1/vault/keys`, `${url}/api/v1/vault/stats`].map(async (u) => (await fetch(u, { headers })).arrayBuffer()));
  return performance.now() - started;
}

/** Syncs run before the timed ones (the code warmed up, and the same way for both figures). */
const WARM_UP = 5;

/** The sync alone, as a listing starts it, with the entries the server lists (fetched once, outside the timing). */
async function syncOnly(runs: number): Promise<number> {
  const entries = ((await (await fetch(`${url}/api/v1/vault/keys`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: VaultEntry[] }).data;
  const open = core.vault.session.openVault();
  const times: number[] = [];
  // Work the listing left running (its keyring check, its opened items) is let end first.
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (let i = 0; i < WARM_UP + runs; i += 1) {
    // A sync the listing started (or one queued behind it) ends first: a sync asked for while one
    // runs only queues, so each figure is one whole sync, started and ended by itself.
    await core.vault.mirror.whenSynced('');
    const started = performance.now();
    await core.vault.mirror.sync(open, '', entries);
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  return median(times);
}

const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
};

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

let out: Record<string, unknown>;
if (mode === 'store-sync') {
  await listAndSync();
  await settle();
  const before = memory();
  const beforeRss = before.rss;
  // maxRSS is a lifetime high-water mark: if the store and sync raise it, it is exact; if not,
  // samples every 2 ms bound the peak.
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = beforeRss;
  const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 2);
  await storeFile('big-file');
  // Settled between the two, to tell which one leaves memory behind (the store is files-service's).
  await settle();
  const afterStore = memory();
  const syncMs = await listAndSync();
  clearInterval(sampler);
  const maxAfter = process.resourceUsage().maxRSS * 1024;
  const peakRss = maxAfter > maxBefore ? maxAfter : sampled;
  await settle();
  const after = memory();
  out = { size, beforeRss, peakRss, afterRss: after.rss, syncMs, before, afterStore, after };
} else if (mode === 'many-files') {
  // Many small files: what a no-change sync does per file (not per byte) shows. Two scopes with as
  // many entries, synced in turn so that both figures see the same machine: the global scope holds
  // 2n secrets; a realm holds n secrets and n files.
  const n = Number(count ?? 300);
  const realm = 'c3c3c3c3c3c3c3c3c3c3c3c3';
  const client = core.accounts.client();
  const bytes = new Uint8Array(2048).fill(7);
  for (const [scope, secrets] of [['', 2 * n], [realm, n]] as const) {
    must(await core.dispatch('vault.save', { realmId: scope, key: 'first', value: 'a value', notes: '', mode: 'create' }));
    for (let i = 0; i < secrets; i += 1) await client.setKey(`secret-${i}`, { value: `a secret value ${i}`, metadata: {} }, scope || undefined);
  }
  for (let i = 0; i < n; i += 1) {
    await core.files.store(
      { realmId: realm, key: `small-file-${i}`, uploadId: crypto.randomUUID() },
      { name: 'small.bin', type: 'application/octet-stream', size: bytes.length, replayable: true, open: async function* () { yield bytes; } },
    );
  }
  await listAndSync('');
  await listAndSync(realm);
  const entriesOf = async (scope: string) => ((await (await fetch(`${url}/api/v1/vault/keys${scope ? `?realm_id=${scope}` : ''}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: VaultEntry[] }).data;
  const scopes = [{ scope: '', entries: await entriesOf(''), times: [] as number[] }, { scope: realm, entries: await entriesOf(realm), times: [] as number[] }];
  const open = core.vault.session.openVault();
  // A listing comes minutes after the last change, not at once: the files' folder is older than the
  // 2 s after which its listing may be reused (scope-copy-files.ts).
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  for (let i = 0; i < WARM_UP + 31; i += 1) {
    for (const { scope, entries, times } of scopes) {
      await core.vault.mirror.whenSynced(scope);
      const started = performance.now();
      await core.vault.mirror.sync(open, scope, entries);
      if (i >= WARM_UP) times.push(performance.now() - started);
    }
  }
  out = { files: n, syncWithoutMs: median(scopes[0]!.times), syncWithMs: median(scopes[1]!.times) };
} else {
  const runs = 7;
  const n = Number(count ?? 6);
  await listAndSync();
  const without: number[] = [];
  const bareWithout: number[] = [];
  for (let i = 0; i < runs; i += 1) without.push(await listAndSync());
  for (let i = 0; i < runs; i += 1) bareWithout.push(await serverListing());
  // As in many-files: a listing comes well after the last change, past the 2 s after which the files'
  // folder listing may be reused (scope-copy-files.ts); both scopes wait the same.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const syncWithout = await syncOnly(31);
  for (let i = 0; i < n; i += 1) await storeFile(`file-${i}`);
  const firstMs = await listAndSync();
  const withFiles: number[] = [];
  const bareWith: number[] = [];
  for (let i = 0; i < runs; i += 1) withFiles.push(await listAndSync());
  for (let i = 0; i < runs; i += 1) bareWith.push(await serverListing());
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const syncWith = await syncOnly(31);
  await settle();
  out = { size, files: n, withoutMs: median(without), withMs: median(withFiles), bareWithoutMs: median(bareWithout), bareWithMs: median(bareWith), syncWithoutMs: syncWithout, syncWithMs: syncWith, firstMs, rss: process.memoryUsage().rss };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
await core.close();
await rm(dataDir, { recursive: true, force: true });
process.exit(0);
