import { randomInt } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { HoodyClient } from '../main/core/api/hoody-client.js';
import { HttpEngine } from '../main/core/api/http.js';
import { AuthSession } from '../main/core/api/session.js';
import { sealMetadata, sealValue } from '../main/core/crypto/envelope.js';
import { DEFAULT_ARGON2 } from '../main/core/crypto/kdf.js';
import { createKeyring, KEYRING_KEY, type KeyringRecord } from '../main/core/crypto/keyring.js';
import { deriveVaultKeys } from '../main/core/crypto/vault-keys.js';
import { mapLimit } from '../main/core/util/concurrency.js';
import { serveBridge, startBenchServe } from './browser.js';

// The vault in the window, for the benchmarks about it (filter, vault open): an account filled with
// real sealed entries under the app's own Argon2id parameters, and serve mode in Chromium with that
// vault unlocked and its first sync done.

export const PASSPHRASE = 'filter benchmark words here';
export const WORDS = ['stripe', 'github', 'aws', 'postgres', 'redis', 'sentry', 'slack', 'openai', 'twilio', 'sendgrid', 'datadog', 'vercel', 'docker', 'npm', 'google', 'azure', 'mongo', 'kafka'];

export const entryName = (i: number) => `${WORDS[i % WORDS.length]}-${['api', 'token', 'secret', 'key'][i % 4]}-${randomInt(1_000_000)}`;

/**
 * A vault of `count` sealed secrets in the account, written with the core's own sealing; returns how
 * many entries the list shows (the demo account may hold a few already) and its keyring.
 */
export async function fillVault(url: string, token: string, count: number): Promise<{ listed: number; record: KeyringRecord }> {
  const client = new HoodyClient(new AuthSession(new HttpEngine({ baseUrl: url }), { kind: 'api-token', token }));
  const { record, vaultKey } = await createKeyring(PASSPHRASE, DEFAULT_ARGON2);
  await client.setKey(KEYRING_KEY, { value: JSON.stringify(record), metadata: { hv: 1, kind: 'keyring' } });
  const keys = await deriveVaultKeys(vaultKey, record.vault_id);
  const names = new Set<string>();
  while (names.size < count) names.add(entryName(names.size));
  await mapLimit([...names], 16, async (name) => {
    const value = 'x'.repeat(randomInt(8, 400));
    const metadata = await sealMetadata(keys, '', name, 'secret', value.length, { notes: `${WORDS[randomInt(WORDS.length)]} credentials for the ${name.split('-')[0]} account` });
    await client.setKey(name, { value: await sealValue(keys, '', name, value), metadata: metadata as unknown as Record<string, unknown> });
  });
  return { listed: (await client.listKeys()).filter((entry) => !entry.key.startsWith('_hv.')).length, record };
}

export interface VaultPage {
  page: Page;
  close(): Promise<void>;
}

/** Serve mode with the account signed in, its vault unlocked in Chromium, the first sync done. */
export async function openVaultPage(browser: Browser, sandboxUrl: string, token: string, count: number): Promise<VaultPage> {
  const serve = await startBenchServe();
  const bridge = await serveBridge(serve);
  await bridge.call('accounts.signInWithToken', { serverUrl: sandboxUrl, token, sessionOnly: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(serve.url);
  await page.getByLabel('Vault passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  // The listing, then the first sync of this computer's copy that follows it (a GET per value),
  // so that the serve process is quiet while keystrokes are timed.
  const synced = bridge.waitForEvent('vault.synced', 900_000);
  await page.getByText(`${count.toLocaleString('en-US')} entries.`).waitFor({ timeout: 900_000 });
  await synced;
  bridge.close();
  return {
    page,
    close: async () => {
      await page.close();
      await serve.close();
    },
  };
}

