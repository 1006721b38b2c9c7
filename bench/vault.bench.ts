import { spawnSync } from 'node:child_process';
import { HoodyClient } from '../main/core/api/hoody-client.js';
import { HttpEngine } from '../main/core/api/http.js';
import { AuthSession } from '../main/core/api/session.js';
import { mapLimit } from '../main/core/util/concurrency.js';
import { openValue, sealValue } from '../main/core/crypto/envelope.js';
import { openHoodyEnc1, sealHoodyEnc1 } from '../main/core/crypto/hoody-enc1.js';
import { DEFAULT_ARGON2, prewarmArgon2 } from '../main/core/crypto/kdf.js';
import { createKeyring, unwrapWithPassphrase } from '../main/core/crypto/keyring.js';
import { deriveVaultKeys } from '../main/core/crypto/vault-keys.js';
import { fetchStoredValues } from '../main/core/vault/bulk-fetch.js';
import { startSandboxProcess } from './sandbox-process.js';
import { median, report } from './measure.js';

const ENTRIES = 1000;
const ENC1_SAMPLE = Number(process.env.BENCH_ENC1_SAMPLE ?? 12);
const PASSPHRASE = 'benchmark passphrase words';

export async function benchUnlock(): Promise<void> {
  const { record } = await createKeyring(PASSPHRASE, DEFAULT_ARGON2);
  const cold = await median(5, () => unwrapWithPassphrase(record, PASSPHRASE));
  // As the app does it: the worker is warmed while the user types, then the unlock is timed.
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    await prewarmArgon2(DEFAULT_ARGON2);
    const started = performance.now();
    await unwrapWithPassphrase(record, PASSPHRASE);
    times.push(performance.now() - started);
  }
  const ours = times.sort((a, b) => a - b)[2]!;
  const kib = DEFAULT_ARGON2.memlimit / 1024;
  const log2 = Math.log2(kib);
  const args = ['somesaltsomesalt', '-id', '-t', String(DEFAULT_ARGON2.opslimit), '-m', String(log2), '-p', '1', '-l', '32', '-r'];
  const probe = spawnSync('argon2', args, { input: PASSPHRASE });
  if (probe.error) {
    process.stdout.write(`\nUnlock: ours ${ours.toFixed(0)} ms; the native baseline needs Debian's argon2 tool (apt install argon2), not found.\n`);
    return;
  }
  const native = await median(5, async () => {
    spawnSync('argon2', args, { input: PASSPHRASE });
  });
  const spawnOnly = await median(5, async () => {
    spawnSync('true');
  });
  report(
    `Unlock: Argon2id t=${DEFAULT_ARGON2.opslimit}, m=${kib / 1024} MiB, p=1 (the app's parameters), median of 5`,
    { label: `app unlock, worker warmed while typing (cold: ${cold.toFixed(0)} ms)`, ms: ours },
    { label: `native argon2 CLI, same parameters (minus ${spawnOnly.toFixed(1)} ms spawn)`, ms: native - spawnOnly },
  );
}

export async function benchOpenEntries(): Promise<void> {
  const sandbox = await startSandboxProcess();
  try {
    const token = sandbox.tokens.dave!;
    const client = new HoodyClient(new AuthSession(new HttpEngine({ baseUrl: sandbox.url }), { kind: 'api-token', token }));
    const { record, vaultKey } = await createKeyring(PASSPHRASE, DEFAULT_ARGON2);
    const keys = await deriveVaultKeys(vaultKey, record.vault_id);
    const names = Array.from({ length: ENTRIES }, (_, i) => `entry-${String(i).padStart(4, '0')}`);
    const envelopes = await Promise.all(names.map((name, i) => sealValue(keys, '', name, `secret value number ${i}`)));
    await mapLimit(names, 16, (name, i) => client.setKey(name, { value: envelopes[i]! }));

    // Crypto alone: one Argon2id then 1,000 XChaCha20-Poly1305 opens, against one PBKDF2 per value.
    const ours = await median(3, async () => {
      const vk = await unwrapWithPassphrase(record, PASSPHRASE);
      const k = await deriveVaultKeys(vk!, record.vault_id);
      for (let i = 0; i < ENTRIES; i += 1) await openValue(k, '', names[i]!, envelopes[i]!);
    });
    const enc1 = await Promise.all(Array.from({ length: ENC1_SAMPLE }, (_, i) => sealHoodyEnc1(`secret value number ${i}`, PASSPHRASE)));
    const started = performance.now();
    for (const envelope of enc1) await openHoodyEnc1(envelope, PASSPHRASE);
    const perValue = (performance.now() - started) / ENC1_SAMPLE;
    report(
      `Open ${ENTRIES.toLocaleString()} values, crypto only (values already fetched)`,
      { label: `app format: 1 Argon2id unlock + ${ENTRIES} XChaCha20-Poly1305 opens`, ms: ours },
      { label: `Hoody _enc:1: ${ENTRIES} × (PBKDF2-SHA512 600k + AES-GCM), one by one`, ms: perValue * ENTRIES, note: `${ENC1_SAMPLE} values measured at ${perValue.toFixed(0)} ms each, times ${ENTRIES}` },
    );

    // Over HTTP from the sandbox (its own process): the app's overlapped fetch against
    // fetch-then-decrypt one at a time; on loopback, then with 20 ms added to every request.
    for (const latencyMs of [0, 20]) {
      if (latencyMs) await sandbox.addFault({ path: '/api/v1/vault/keys/entry-', latencyMs });
      const runs = latencyMs ? 1 : 3;
      const overlapped = await median(runs, async () => {
        // The app's own overlapped fetch (the sync's path), then each value opened.
        for (const [name, value] of await fetchStoredValues(client, '', names)) {
          if (value === undefined || (await openValue(keys, '', name, value)) === undefined) throw new Error('an entry did not open');
        }
      });
      const sequential = await median(runs, async () => {
        for (const name of names) {
          const entry = await client.getKey(name);
          if ((await openValue(keys, '', name, entry.value)) === undefined) throw new Error('an entry did not open');
        }
      });
      report(
        `Fetch and open ${ENTRIES.toLocaleString()} entries from the sandbox over HTTP, ${latencyMs ? `${latencyMs} ms added per request (a typical internet round trip)` : 'loopback'}, median of ${runs}`,
        { label: 'app: 8 fetches in flight, open each', ms: overlapped },
        { label: 'sequential loop: fetch one, decrypt it, next', ms: sequential },
      );
      await sandbox.clearFaults();
    }
  } finally {
    await sandbox.stop();
  }
}
