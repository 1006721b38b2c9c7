// Child process for the kill-during-replay test: the app's core on a user-data folder, with the
// real keychain (the test's service), unlocked, so the outbox left there starts replaying. It
// prints "unlocked" and waits to be killed. Usage: tsx replay-child.ts <data dir> <keychain service> <passphrase>
import { createCore } from '../../main/core/core.js';
import { MIN_ARGON2 } from '../../main/core/crypto/kdf.js';
import { realKeychain } from './keychain.js';

const [dataDir, service, passphrase] = process.argv.slice(2) as [string, string, string];
const core = await createCore({ dataDir, mode: 'serve', version: 't', keychain: await realKeychain(service), argon2: MIN_ARGON2, engine: { sleep: async () => {}, timeoutMs: 30_000 } });
const unlocked = await core.dispatch('vault.unlock', { passphrase });
if (!unlocked.ok) throw new Error(JSON.stringify(unlocked.error));
process.stdout.write('unlocked\n');
setInterval(() => {}, 60_000);
