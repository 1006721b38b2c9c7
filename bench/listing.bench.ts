import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../main/core/core.js';
import { sealMetadata, sealValue } from '../main/core/crypto/envelope.js';
import { MIN_ARGON2 } from '../main/core/crypto/kdf.js';
import { mapLimit } from '../main/core/util/concurrency.js';
import { median, report } from './measure.js';
import { startSandboxProcess } from './sandbox-process.js';

// Opening the vault at scale: the same listing through the core's dispatcher with 100 and with
// 10,000 real sealed entries, each in its own realm of one account, from the sandbox in its own
// process. The baselines are the small vault (a flat cost is a ratio near 1) and the API's own
// requests at the same size (the floor no client can go below).

const SMALL = 100;
const LARGE = 10_000;
const SMALL_REALM = 'a0a0a0a0a0a0a0a0a0a0a0a0';
const LARGE_REALM = 'b1b1b1b1b1b1b1b1b1b1b1b1';

export async function benchListing(): Promise<void> {
  const sandbox = await startSandboxProcess();
  const dataDir = await mkdtemp(join(tmpdir(), 'hoody-bench-listing-'));
  // The key derivation is not what is measured here: the floor parameters keep set-up short.
  const core = await createCore({ dataDir, mode: 'serve', version: 'bench', keychain: { unavailable: 'benchmark' }, argon2: MIN_ARGON2 });
  try {
    const signIn = await core.call('accounts.signInWithToken', { serverUrl: sandbox.url, token: sandbox.tokens.dave!, sessionOnly: true });
    if (!signIn.ok) throw new Error(signIn.error.message);
    const setup = await core.call('vault.setup', { passphrase: 'benchmark passphrase words' });
    if (!setup.ok) throw new Error(setup.error.message);
    const { keys } = core.vault.session.openVault();
    const client = core.accounts.client();
    const fill = async (realmId: string, count: number) => {
      const names = Array.from({ length: count }, (_, i) => `entry-${String(i).padStart(5, '0')}`);
      // Written in random order, as a real vault grows, so nothing depends on the server's order.
      names.sort(() => Math.random() - 0.5);
      await mapLimit(names, 16, async (name) => {
        const value = `secret value of ${name}`;
        const metadata = await sealMetadata(keys, realmId, name, 'secret', value.length, { notes: `notes for ${name}` });
        await client.setKey(name, { value: await sealValue(keys, realmId, name, value), metadata: metadata as unknown as Record<string, unknown> }, realmId);
      });
    };
    process.stdout.write(`\n(filling ${SMALL} and ${LARGE.toLocaleString()} sealed entries…)\n`);
    await fill(SMALL_REALM, SMALL);
    await fill(LARGE_REALM, LARGE);
    const list = (realmId: string, expected: number) => async () => {
      const listing = await core.call('vault.list', { realmId });
      if (!listing.ok || listing.data.entries.length !== expected) throw new Error(`listing ${realmId} failed`);
    };
    // The first listing of each opens every entry; the ones after are what a user sees on every return to the vault.
    const firstSmall = await median(1, list(SMALL_REALM, SMALL));
    const firstLarge = await median(1, list(LARGE_REALM, LARGE));
    const small = await median(5, list(SMALL_REALM, SMALL));
    const large = await median(5, list(LARGE_REALM, LARGE));
    report(
      `Vault open (vault.list through the core), first listing of the session`,
      { label: `${LARGE.toLocaleString()} entries`, ms: firstLarge },
      { label: `${SMALL} entries (goal: ours ≤ 2.5× this)`, ms: firstSmall },
    );
    report(
      `Vault open again (vault.list through the core), median of 5`,
      { label: `${LARGE.toLocaleString()} entries`, ms: large },
      { label: `${SMALL} entries (goal: ours ≤ 2.5× this)`, ms: small },
    );
    // The API has no paging and no "changed since": its own answer grows with the vault. What the
    // app adds on top of that floor is what the app can make flat.
    const floor = (realmId: string) => () => Promise.all([client.listKeys(realmId), client.vaultStats(realmId)]);
    const floorSmall = await median(5, floor(SMALL_REALM));
    const floorLarge = await median(5, floor(LARGE_REALM));
    report(
      `Vault open again at ${LARGE.toLocaleString()} entries against the API's own floor (list + stats requests only), median of 5`,
      { label: `app's listing (its own share: ${(large - floorLarge).toFixed(0)} ms)`, ms: large },
      { label: `the two API requests the listing needs`, ms: floorLarge },
    );
    report(
      `The same at ${SMALL} entries`,
      { label: `app's listing (its own share: ${(small - floorSmall).toFixed(0)} ms)`, ms: small },
      { label: `the two API requests the listing needs`, ms: floorSmall },
    );
  } finally {
    await core.close();
    await sandbox.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
