import { expect, test } from '@playwright/test';
import { checkAgain, saveSecretSynced, signedInWithVault, unlockOffline } from './flows.js';
import { testBudget } from './waits.js';
import { offlineWorld } from './world.js';

// A conflict as a person meets it: an edit made offline, while another tool changed the same secret
// on the server. The other tool writes while this app still cannot reach the server (the sandbox's
// data folder served on another port for that moment), so the order is certain, not a race.

const world = offlineWorld('conflict');

test('an offline edit meets another tool’s change: both values shown on request, "keep mine" keeps theirs in the history', async ({ page }) => {
  test.setTimeout(testBudget(2, 120_000));
  const token = await signedInWithVault(page, world, 'conflict passphrase words');
  await saveSecretSynced(page, 'deploy-token', 'first-value');

  // Offline: lock and unlock from this computer's copy, then edit.
  await world.sandbox.close();
  await unlockOffline(page, 'conflict passphrase words');
  const row = page.getByRole('listitem').filter({ hasText: 'deploy-token' });
  await row.getByRole('button', { name: 'Edit deploy-token' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit deploy-token' });
  await edit.getByLabel('Value', { exact: true }).fill('mine-from-offline');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(row.getByText('Waiting to sync')).toBeVisible();

  // Meanwhile another tool (plain HTTP, as a script would) rotates the same key on the server.
  const elsewhere = await world.startSandbox('elsewhere');
  const put = await fetch(`${elsewhere.url}/api/v1/vault/keys/deploy-token`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ value: 'theirs-from-a-script' }),
  });
  expect(put.status).toBe(200);
  await elsewhere.close();

  // The server is back where the app looks for it: the waiting edit meets the newer value.
  await world.startSandbox('same-port');
  await checkAgain(page);
  const banner = page.getByRole('alert').filter({ hasText: 'deploy-token' });
  await expect(banner).toBeVisible({ timeout: 30_000 });
  // Neither value is on screen until asked for.
  await expect(banner).not.toContainText('mine-from-offline');
  await expect(banner).not.toContainText('theirs-from-a-script');
  await banner.getByRole('button', { name: 'Show your value' }).click();
  await expect(banner).toContainText('mine-from-offline');
  await banner.getByRole('button', { name: 'Show their value' }).click();
  await expect(banner).toContainText('theirs-from-a-script');
  await page.screenshot({ path: 'test-results/screenshots/conflict-both-shown.png' });

  await banner.getByRole('button', { name: 'Keep mine' }).click();
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  await expect(row.getByText('Waiting to sync')).toHaveCount(0, { timeout: 30_000 });
  // The server now holds this computer's edit, sealed; the value it replaced is an earlier value.
  const stored = (await (await fetch(`${world.sandbox.url}/api/v1/vault/keys/deploy-token`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { value: string } };
  expect(stored.data.value).toMatch(/^\{"hv":1/);
  await row.getByRole('button', { name: 'Edit deploy-token' }).click();
  const after = page.getByRole('dialog', { name: 'Edit deploy-token' });
  const earlier = after.getByRole('region', { name: 'Earlier values' });
  // Newest first: the script's value that "keep mine" replaced, then the one saved before going offline.
  await expect(earlier.getByRole('heading')).toHaveText('Earlier values (2 of at most 10)');
  await earlier.getByRole('listitem').first().getByRole('button', { name: /^Show value of deploy-token/ }).click();
  await expect(earlier.getByRole('listitem').first()).toContainText('theirs-from-a-script');
  await earlier.getByRole('listitem').nth(1).getByRole('button', { name: /^Show value of deploy-token/ }).click();
  await expect(earlier.getByRole('listitem').nth(1)).toContainText('first-value');
  await after.getByRole('button', { name: 'Show current value of deploy-token' }).click();
  await expect(after.getByLabel('current value of deploy-token', { exact: true })).toHaveText('mine-from-offline');
  await page.screenshot({ path: 'test-results/screenshots/conflict-kept-mine.png' });
});
