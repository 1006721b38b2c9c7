import { expect, test, type Page } from '@playwright/test';
import { serveWorld } from './world.js';
import { setUpVault, signInWithToken } from './flows.js';
import { STEP_MS, testBudget } from './waits.js';

// Value history and renaming, as a person rotating an API key does it in Chromium: each save keeps
// the value it replaces (shown by date, masked until asked for), one click restores an earlier one,
// and the key is renamed from Edit, including when the server fails to delete the old name.

const world = serveWorld('history', { seedDemo: false, faults: true });

async function saveValue(page: Page, key: string, value: string) {
  const list = page.getByRole('list', { name: /^Entries in/ });
  await list.getByRole('button', { name: `Edit ${key}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${key}` });
  await edit.getByLabel('Value', { exact: true }).fill(value);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden({ timeout: STEP_MS });
}

test('rotate a key, see and restore an earlier value, then rename the key (once with a failed deletion)', async ({ page, context }) => {
  test.setTimeout(testBudget(1, 180_000));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const user = await world.sandbox.admin.createUser();
  const { token } = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(world.serve!.url);
  await signInWithToken(page, world.sandbox.url, token);
  await setUpVault(page, 'harbor quilt meadow ember');

  await page.getByRole('button', { name: 'New secret' }).click();
  const editor = page.getByRole('dialog', { name: 'New secret' });
  await editor.getByLabel('Key', { exact: true }).fill('stripe-key');
  await editor.getByLabel('Value', { exact: true }).fill('sk_live_one');
  await editor.getByRole('textbox', { name: 'Notes' }).fill('payments');
  await editor.getByRole('button', { name: 'Save secret' }).click();
  await expect(editor).toBeHidden({ timeout: STEP_MS });
  await saveValue(page, 'stripe-key', 'sk_live_two');
  await saveValue(page, 'stripe-key', 'sk_live_three');

  const list = page.getByRole('list', { name: /^Entries in/ });
  await list.getByRole('button', { name: 'Edit stripe-key' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit stripe-key' });
  const earlier = edit.getByRole('region', { name: 'Earlier values' });
  await expect(earlier.getByRole('listitem')).toHaveCount(2);
  await expect(earlier.getByRole('heading')).toHaveText('Earlier values (2 of at most 10)');
  await expect(edit.getByLabel('current value of stripe-key', { exact: true })).toHaveText(/^•+$/);
  await expect(earlier).not.toContainText('sk_live');
  await page.screenshot({ path: 'test-results/screenshots/history-edit-masked.png' });

  await edit.getByRole('button', { name: 'Show current value of stripe-key' }).click();
  await expect(edit.getByLabel('current value of stripe-key', { exact: true })).toHaveText('sk_live_three');
  const oldest = earlier.getByRole('listitem').nth(1);
  await oldest.getByRole('button', { name: /^Show value of stripe-key from/ }).click();
  await expect(oldest.getByText('sk_live_one')).toBeVisible();
  await earlier.getByRole('listitem').first().getByRole('button', { name: /^Copy the value of stripe-key from/ }).click();
  await expect(edit.getByRole('status')).toContainText('Copied the value from');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('sk_live_two');
  await edit.getByRole('status').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/history-edit-shown.png' });

  // One click: the oldest value is current again, and the value it replaced heads the history.
  await oldest.getByRole('button', { name: /^Restore the value of stripe-key from/ }).click();
  await expect(edit.getByRole('status')).toContainText('Restored the value from', { timeout: STEP_MS });
  await expect(earlier.getByRole('listitem')).toHaveCount(3);
  await expect(edit.getByLabel('current value of stripe-key', { exact: true })).toHaveText(/^•+$/);
  await edit.getByRole('button', { name: 'Show current value of stripe-key' }).click();
  await expect(edit.getByLabel('current value of stripe-key', { exact: true })).toHaveText('sk_live_one');
  await earlier.getByRole('listitem').first().getByRole('button', { name: /^Show value of stripe-key from/ }).click();
  await expect(earlier.getByRole('listitem').first().getByText('sk_live_three')).toBeVisible();
  await edit.getByRole('status').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/history-restored.png' });

  // Rename from the Key field: copied under the new name, the old name deleted.
  await edit.getByLabel('Key', { exact: true }).fill('stripe live');
  await expect(edit.getByText('Key must be 1 to 255 characters of letters, digits, dot, underscore or hyphen.')).toBeVisible();
  await expect(edit.getByRole('button', { name: 'Rename and save' })).toBeDisabled();
  await edit.getByLabel('Key', { exact: true }).fill('stripe-live');
  await edit.getByRole('button', { name: 'Rename and save' }).click();
  await expect(edit).toBeHidden({ timeout: STEP_MS });
  await expect(list.getByText('stripe-live', { exact: true })).toBeVisible();
  await expect(list.getByText('stripe-key', { exact: true })).toHaveCount(0);
  const row = page.getByRole('listitem').filter({ hasText: 'stripe-live' });
  await row.getByRole('button', { name: 'Reveal stripe-live' }).click();
  await expect(row.getByLabel('Value of stripe-live')).toHaveText('sk_live_one');
  await expect(row).toContainText('payments');

  // The server refuses to delete the old name: both exist, the dialog says so, and Save again finishes.
  world.sandbox.faults.add({ method: 'DELETE', path: '/api/v1/vault/keys/stripe-live', status: 500 });
  await list.getByRole('button', { name: 'Edit stripe-live' }).click();
  const again = page.getByRole('dialog', { name: 'Edit stripe-live' });
  await expect(again.getByRole('region', { name: 'Earlier values' }).getByRole('listitem')).toHaveCount(3);
  await again.getByLabel('Key', { exact: true }).fill('stripe-prod');
  await again.getByRole('button', { name: 'Rename and save' }).click();
  await expect(again.getByRole('alert').filter({ hasText: 'Both exist now' })).toContainText('“stripe-prod” was stored, but “stripe-live” could not be deleted', { timeout: STEP_MS * 2 });
  // Both names are on the server now (the list behind the dialog is reloaded; the dialog hides it from the accessibility tree).
  const status = async (key: string) => (await fetch(`${world.sandbox.apiUrl}/vault/keys/${key}`, { headers: { Authorization: `Bearer ${token}` } })).status;
  expect([await status('stripe-prod'), await status('stripe-live')]).toEqual([200, 200]);
  await again.getByRole('alert').filter({ hasText: 'Both exist now' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/history-rename-half-done.png' });
  world.sandbox.faults.clear();
  await again.getByRole('button', { name: 'Rename and save' }).click();
  await expect(again).toBeHidden({ timeout: STEP_MS });
  expect(await status('stripe-live')).toBe(404);
  await expect(list.getByText('stripe-live', { exact: true })).toHaveCount(0);
  await expect(list.getByText('stripe-prod', { exact: true })).toHaveCount(1);
  await list.getByRole('button', { name: 'Edit stripe-prod' }).click();
  const moved = page.getByRole('dialog', { name: 'Edit stripe-prod' });
  await expect(moved.getByRole('region', { name: 'Earlier values' }).getByRole('listitem')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/screenshots/history-renamed.png' });
});
