import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startServeProcess } from '../support/serve-process.js';
import { setUpVault, signInWithToken } from './flows.js';
import { afterKdf, testBudget } from './waits.js';
import { serveWorld } from './world.js';

// Realm names and All scopes (issue 15 §4, §5) as a person uses them, in Chromium against serve
// mode and the sandbox: real Argon2id, real sealing in main, real HTTP; a second serve process on
// its own data folder is the user's other computer.

const world = serveWorld('realms');
const PASSPHRASE = 'copper meadow signal harbor';

/** Stores a secret through the window's own bridge (what New secret sends), in any scope. */
async function save(page: Page, realmId: string, key: string, value: string, notes = '') {
  const result = await page.evaluate(
    (entry) => (window as unknown as { hoody: { vault: { save(input: unknown): Promise<{ ok: boolean }> } } }).hoody.vault.save({ ...entry, mode: 'create' }),
    { realmId, key, value, notes },
  );
  expect(result).toMatchObject({ ok: true });
}

const scope = (page: Page) => page.getByLabel('Scope', { exact: true });

test('realms get names that follow the user to another computer; All scopes searches every scope', async ({ page, browser, context }) => {
  // Two key derivations: set-up here, the unlock on the second computer.
  test.setTimeout(testBudget(2, 120_000));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const user = await world.sandbox.admin.createUser();
  const { token } = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  const prod = world.sandbox.admin.createRealm({ ownerId: user.id }).id.toLowerCase();
  const staging = world.sandbox.admin.createRealm({ ownerId: user.id }).id.toLowerCase();

  await page.goto(world.serve!.url);
  await signInWithToken(page, world.sandbox.url, token);
  await setUpVault(page, PASSPHRASE);
  await save(page, '', 'stripe-key', 'sk_test_global', 'the test account');
  await save(page, prod, 'stripe-key', 'sk_live_production', 'live payments');
  await save(page, prod, 'db-password', 'prod-db-secret');
  await save(page, staging, 'deploy-token', 'staging-deploy');

  // The realms show by id until named. Name one from the picker.
  await page.reload();
  await expect(scope(page).getByRole('option', { name: `Realm ${prod}` })).toHaveCount(1);
  await scope(page).selectOption(prod);
  await expect(page.getByRole('listitem').filter({ hasText: 'db-password' })).toBeVisible();
  await page.getByRole('button', { name: 'Name this realm' }).click();
  const naming = page.getByRole('dialog', { name: 'Name this realm' });
  await naming.getByLabel('Name', { exact: true }).fill('global');
  await expect(naming.getByText('Name must not be “global” (the name of the scope outside every realm).')).toBeVisible();
  await expect(naming.getByRole('button', { name: 'Save name' })).toBeDisabled();
  await naming.getByLabel('Name', { exact: true }).fill('Production');
  await page.screenshot({ path: 'test-results/screenshots/realms-name-dialog.png' });
  await naming.getByRole('button', { name: 'Save name' }).click();
  await expect(naming).toBeHidden();
  await expect(page.getByText(`Realm ${prod} is now called Production.`)).toBeVisible();
  await expect(scope(page).locator('option:checked')).toHaveText('Production');
  await expect(page.getByText(/stored in Production/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Entries in Production' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/realms-named.png' });

  // What the server holds: a sealed value under the reserved key, the name nowhere in clear.
  const stored = await (await fetch(`${world.sandbox.apiUrl}/vault/keys/_hv.realm-names`, { headers: { Authorization: `Bearer ${token}` } })).text();
  expect(stored).not.toContain('Production');
  // It is not an entry of the global scope.
  await scope(page).selectOption('');
  await expect(page.getByRole('listitem').filter({ hasText: 'stripe-key' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: '_hv.' })).toHaveCount(0);
  await expect(page.getByText('1 entry.')).toBeVisible();

  await scope(page).selectOption(staging);
  // Unnamed, a realm is confirmed by its id, and the dialog says why.
  await expect(page.getByRole('listitem').filter({ hasText: 'deploy-token' })).toBeVisible();
  await page.getByRole('button', { name: 'More vault actions' }).click();
  await page.getByRole('menuitem', { name: 'Delete all…' }).click();
  const unnamed = page.getByRole('dialog', { name: `Delete everything in Realm ${staging}?` });
  await expect(unnamed.getByLabel(`This realm has no name: type its id, ${staging}, to confirm`)).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/realms-delete-all-unnamed.png' });
  await unnamed.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Name this realm' }).click();
  await page.getByRole('dialog', { name: 'Name this realm' }).getByLabel('Name', { exact: true }).fill('Staging');
  await page.getByRole('dialog', { name: 'Name this realm' }).getByRole('button', { name: 'Save name' }).click();
  await expect(scope(page).locator('option:checked')).toHaveText('Staging');

  // All scopes: one search across the global scope and both realms, each hit saying where it is.
  await scope(page).selectOption({ label: 'All scopes' });
  await expect(page.getByText('4 entries.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'New secret' })).toBeDisabled();
  await page.getByRole('searchbox', { name: 'Search names and notes' }).fill('stripe');
  const hits = page.getByRole('list', { name: 'Entries in all scopes' }).getByRole('listitem');
  await expect(hits).toHaveCount(2);
  const prodHit = hits.filter({ hasText: 'Production' });
  const globalHit = hits.filter({ hasText: 'Global' });
  await expect(prodHit).toContainText('live payments');
  await expect(globalHit).toContainText('the test account');
  // Revealing and copying a hit open it in its own scope.
  await prodHit.getByRole('button', { name: 'Reveal stripe-key' }).click();
  await expect(prodHit.getByLabel('Value of stripe-key')).toHaveText('sk_live_production');
  await expect(globalHit.getByLabel('Value of stripe-key')).toHaveCount(0);
  await globalHit.getByRole('button', { name: 'Copy stripe-key' }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('sk_test_global');
  await page.screenshot({ path: 'test-results/screenshots/realms-all-scopes.png' });

  // Editing a hit saves it in its own scope.
  await prodHit.getByRole('button', { name: 'Edit stripe-key' }).click();
  const editor = page.getByRole('dialog', { name: /stripe-key/ });
  await editor.getByRole('textbox', { name: 'Notes' }).fill('live payments, rotated');
  await editor.getByRole('button', { name: /^Save/ }).click();
  await expect(editor).toBeHidden();
  await expect(hits.filter({ hasText: 'Production' })).toContainText('live payments, rotated');
  await expect(hits.filter({ hasText: 'Global' })).toContainText('the test account');

  // Deleting everything in a named realm asks for its name.
  await page.getByRole('searchbox', { name: 'Search names and notes' }).fill('');
  await scope(page).selectOption({ label: 'Staging' });
  await expect(page.getByRole('listitem').filter({ hasText: 'deploy-token' })).toBeVisible();
  await page.getByRole('button', { name: 'More vault actions' }).click();
  await page.getByRole('menuitem', { name: 'Delete all…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete everything in Staging?' });
  await expect(confirm).toContainText('The 1 entry of this scope is deleted from the server for good.');
  await confirm.getByLabel('Type Staging to confirm').fill(staging);
  await expect(confirm.getByRole('button', { name: 'Delete 1 entry' })).toBeDisabled();
  await confirm.getByLabel('Type Staging to confirm').fill('Staging');
  await page.screenshot({ path: 'test-results/screenshots/realms-delete-all.png' });
  await confirm.getByRole('button', { name: 'Delete 1 entry' }).click();
  await expect(page.getByText('Deleted 1 entry.')).toBeVisible();

  // The user's other computer: its own data folder, the same account. The names are there.
  const otherDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-realms-other-'));
  const other = await startServeProcess(['--data', otherDir]);
  try {
    const second = await (await browser.newContext()).newPage();
    await second.goto(other.url);
    await signInWithToken(second, world.sandbox.url, token);
    await expect(second.getByRole('heading', { name: 'Your vault is locked' })).toBeVisible();
    await second.getByLabel('Vault passphrase').fill(PASSPHRASE);
    await second.getByRole('button', { name: 'Unlock' }).click();
    await expect(second.getByRole('button', { name: 'New secret' })).toBeVisible(afterKdf());
    await expect(scope(second).getByRole('option', { name: 'Production' })).toHaveCount(1);
    await expect(scope(second).getByRole('option', { name: 'Staging' })).toHaveCount(1);
    // Renamed here, seen there.
    await scope(second).selectOption({ label: 'Production' });
    await second.getByRole('button', { name: 'Rename Production' }).click();
    await second.getByRole('dialog', { name: 'Rename Production' }).getByLabel('Name', { exact: true }).fill('Prod (EU)');
    await second.getByRole('dialog', { name: 'Rename Production' }).getByRole('button', { name: 'Save name' }).click();
    await expect(scope(second).locator('option:checked')).toHaveText('Prod (EU)');
    await second.screenshot({ path: 'test-results/screenshots/realms-second-computer.png' });
    await second.close();
  } finally {
    await other.stop();
    await rm(otherDir, { recursive: true, force: true });
  }
  // Back on the first computer, Refresh reads the names again.
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(scope(page).getByRole('option', { name: 'Prod (EU)' })).toHaveCount(1);
});
