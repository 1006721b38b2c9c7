// Child process: stores one file through the app's core (sealed, streamed) into a sandbox, then
// prints what it measured as JSON: how long the store took, and the process's resident memory
// before and at its peak (maxRSS is the process-lifetime high-water mark, so a fresh process
// gives a clean figure). Usage: tsx store-file-child.ts <sandbox url> <token> <file path>
import { mkdtemp } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../main/core/core.js';
import { MIN_ARGON2 } from '../../main/core/crypto/kdf.js';
import { sealerBackend } from '../../main/core/crypto/stream-sealer.js';

const [url, token, path] = process.argv.slice(2) as [string, string, string];
const core = await createCore({ dataDir: await mkdtemp(join(tmpdir(), 'hoody-store-')), mode: 'serve', version: 'bench', keychain: { unavailable: 'not needed' }, argon2: MIN_ARGON2 });
const signIn = await core.dispatch('accounts.signInWithToken', { serverUrl: url, token, sessionOnly: true });
if (!signIn.ok) throw new Error(JSON.stringify(signIn.error));
// The account's vault is set up by the first child and unlocked by the next ones (a benchmark stores
// several files in one account).
const status = await core.dispatch('vault.status', {});
const passphrase = 'memory measurement words';
const open = status.ok && (status.data as { state: string }).state === 'locked' ? await core.dispatch('vault.unlock', { passphrase }) : await core.dispatch('vault.setup', { passphrase });
if (!open.ok) throw new Error(JSON.stringify(open.error));
// Serve mode lists the vault as soon as it is unlocked, and that listing's sync fetches into this
// computer's copy the files earlier runs stored: let that finish first, so the figure is the store's
// own and not a race with a download a user's app would have done well before they store a file.
await core.dispatch('vault.list', { realmId: '' });
await core.vault.mirror.whenSynced('');
await core.vault.mirror.idle();
await core.vault.opened.whenSaved('');
const size = (await stat(path)).size;
global.gc?.();
await new Promise((resolve) => setTimeout(resolve, 200));
global.gc?.();
const baselineRss = process.memoryUsage().rss;
// maxRSS is a lifetime high-water mark (the vault set-up's Argon2 worker may have set it): if it
// rises during the store, the new peak is exact; if not, the store stayed below it, and samples
// taken every few milliseconds bound it.
const maxBefore = process.resourceUsage().maxRSS * 1024;
let sampled = baselineRss;
const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 2);
const started = performance.now();
await core.files.store(
  { realmId: '', key: `file-${Date.now()}`, uploadId: crypto.randomUUID() },
  { name: 'big.bin', type: 'application/octet-stream', size, replayable: true, open: () => createReadStream(path, { highWaterMark: 64 * 1024 }) },
);
const ms = performance.now() - started;
clearInterval(sampler);
const maxAfter = process.resourceUsage().maxRSS * 1024;
const peakRss = maxAfter > maxBefore ? maxAfter : sampled;
process.stdout.write(`${JSON.stringify({ ms, size, baselineRss, peakRss, sealer: sealerBackend() })}\n`);
await core.close();
process.exit(0);
