import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../main/core/core.js';
import { MIN_ARGON2 } from '../main/core/crypto/kdf.js';
import { REALM_NAMES_KEY, SETTLE_MS } from '../main/core/vault/realm-names.js';
import { median, report } from './measure.js';
import { startSandboxProcess } from './sandbox-process.js';

// The scope list (`vault.realms`) at each return to the vault and each Refresh, once the names were
// read before: the realms and the sealed names, from the sandbox on loopback, then from a server
// 20 ms away (every GET delayed by the sandbox, as a real server's round trip is). The baseline is
// the floor no client can go below: the two requests it needs, sent at once.
// A rename (`vault.nameRealm`) on loopback, against the requests it must make one after another
// (read the names, write them, read them back, wait the settle time, read them back again) sent by
// a bare client: what the app adds to them (opening and sealing the names, its local copy).

const ROUND_TRIP_MS = 20;
const REALM = 'c2c2c2c2c2c2c2c2c2c2c2c2';

export async function benchRealmNames(): Promise<void> {
  const sandbox = await startSandboxProcess();
  const dataDir = await mkdtemp(join(tmpdir(), 'hoody-bench-realm-names-'));
  const core = await createCore({ dataDir, mode: 'serve', version: 'bench', keychain: { unavailable: 'benchmark' }, argon2: MIN_ARGON2 });
  try {
    const must = async <T>(result: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>): Promise<T> => {
      const answer = await result;
      if (!answer.ok) throw new Error(answer.error.message);
      return answer.data;
    };
    await must(core.call('accounts.signInWithToken', { serverUrl: sandbox.url, token: sandbox.tokens.dave!, sessionOnly: true }));
    await must(core.call('vault.setup', { passphrase: 'benchmark passphrase words' }));
    await must(core.call('vault.save', { realmId: REALM, key: 'deploy-token', value: 'a value', notes: '', mode: 'create' }));
    await must(core.call('vault.nameRealm', { realmId: REALM, name: 'Production' }));
    const client = core.accounts.client();
    const realms = async () => {
      const data = await must(core.call('vault.realms'));
      if (data.names?.[REALM] !== 'Production') throw new Error('the realm name is missing');
    };
    const requests = () => Promise.all([client.realms(), client.getKey(REALM_NAMES_KEY)]);
    await realms();
    // On loopback, what the app adds to the requests shows.
    const oursNear = await median(31, realms);
    const floorNear = await median(31, requests);
    report(
      `Scope list again (vault.realms through the core, names unchanged), sandbox on loopback, median of 31`,
      { label: 'vault.realms', ms: oursNear },
      { label: 'the two API requests it needs, sent at once (the floor)', ms: floorNear },
    );
    let turn = 0;
    const rename = async () => {
      turn += 1;
      const data = await must(core.call('vault.nameRealm', { realmId: REALM, name: `Production ${turn}` }));
      if (data.names[REALM] !== `Production ${turn}`) throw new Error('the rename did not show');
    };
    const renameRequests = async () => {
      const stored = await client.getKey(REALM_NAMES_KEY);
      await client.setKey(REALM_NAMES_KEY, { value: stored.value, metadata: stored.metadata as Record<string, unknown> });
      await client.getKey(REALM_NAMES_KEY);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      await client.getKey(REALM_NAMES_KEY);
    };
    await rename();
    const renameOurs = await median(15, rename);
    const renameFloor = await median(15, renameRequests);
    report(
      `Rename a realm (vault.nameRealm through the core), sandbox on loopback, median of 15`,
      { label: 'vault.nameRealm', ms: renameOurs },
      { label: `its requests one after another, with the ${SETTLE_MS} ms settle (the floor)`, ms: renameFloor },
    );
    process.stdout.write(`  what the app adds to its requests: ${(renameOurs - renameFloor).toFixed(1)} ms\n`);
    await must(core.call('vault.nameRealm', { realmId: REALM, name: 'Production' }));
    await sandbox.addFault({ method: 'GET', path: '/api/v1', latencyMs: ROUND_TRIP_MS });
    const ours = await median(15, realms);
    const floor = await median(15, requests);
    report(
      `Scope list again (vault.realms through the core, names unchanged), GETs ${ROUND_TRIP_MS} ms away, median of 15`,
      { label: 'vault.realms', ms: ours },
      { label: 'the two API requests it needs, sent at once (the floor)', ms: floor },
    );
  } finally {
    await core.close();
    await sandbox.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
