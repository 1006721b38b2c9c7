import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { signedInWithVault } from './flows.js';
import { afterKdf } from './waits.js';
import { offlineWorld } from './world.js';

// Local rollback as a person meets it: an older outbox put back in the data folder while the vault
// was locked is reported in the vault view after the unlock.

const world = offlineWorld('tamper');

test('an older outbox put back while locked is reported after the unlock', async ({ page }) => {
  await signedInWithVault(page, world, 'tamper banner words');
  type Bridge = { vault: Record<string, (input?: unknown) => Promise<{ ok: boolean }>> };
  const call = (op: string, input?: unknown) => page.evaluate(({ op, input }) => (window as unknown as { hoody: Bridge }).hoody.vault[op]!(input), { op, input });
  expect(await call('save', { realmId: '', key: 'db-password', value: 'first', notes: '', mode: 'create' })).toMatchObject({ ok: true });
  await call('list', { realmId: '' });
  const accounts = join(world.dataDir, 'accounts');
  const copyOf = async () => (await readdir(accounts, { recursive: true })).some((f) => f.endsWith('global.hvs'));
  await expect.poll(copyOf).toBe(true);

  await world.sandbox.close();
  expect(await call('save', { realmId: '', key: 'db-password', value: 'offline 1', notes: '', mode: 'update' })).toMatchObject({ ok: true });
  const outbox = join(accounts, (await readdir(accounts))[0]!, 'outbox.hvs');
  const older = await readFile(outbox);
  expect(await call('save', { realmId: '', key: 'db-password', value: 'offline 2', notes: '', mode: 'update' })).toMatchObject({ ok: true });
  await page.getByRole('button', { name: 'Lock', exact: true }).first().click();
  await expect(page.getByLabel('Vault passphrase')).toBeVisible();

  await writeFile(outbox, older);
  await page.getByLabel('Vault passphrase').fill('tamper banner words');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText(/put back to an older state outside the app/)).toBeVisible(afterKdf());
  // The vault is still usable: the secret shows, with the change the older outbox still holds.
  await expect(page.getByRole('listitem').filter({ hasText: 'db-password' })).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: 'test-results/screenshots/vault-local-rollback.png' });
});
