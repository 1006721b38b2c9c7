import { serveWorld } from './world.js';
import { expect, test, type Page } from '@playwright/test';
import { signInWithToken } from './flows.js';

// Issue 14 A in the vault, as a person meets it, in Chromium against serve mode and the sandbox:
// the unlock wait that must end, focus that must not fall to <body>, the current passphrase asked
// before a change, messages that leave, and a realm-restricted token.

const world = serveWorld('daily');

async function signIn(page: Page, token?: string) {
  let t = token;
  if (!t) {
    const user = await world.sandbox.admin.createUser();
    t = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true }).token;
  }
  await page.goto(world.serve!.url);
  await signInWithToken(page, world.sandbox.url, t);
  await expect(page.getByRole('heading', { level: 1, name: 'Vault', exact: true })).toBeVisible();
}

/** Waits on states, not times: Argon2id over 256 MiB takes seconds on a busy machine. */
async function setUp(page: Page, passphrase: string) {
  await page.getByLabel('Vault passphrase').fill(passphrase);
  await page.getByLabel('Type it again').fill(passphrase);
  await page.getByRole('checkbox', { name: /nobody can reset/ }).check();
  await expect(page.getByRole('button', { name: 'Create my vault' })).toBeEnabled({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Create my vault' }).click();
  await expect(page.getByRole('heading', { name: 'Keep your recovery key' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('checkbox', { name: /saved my recovery key/ }).check();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('button', { name: 'New secret' })).toBeVisible({ timeout: 30_000 });
}

const focusedName = (page: Page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}` : 'none';
});

test('Unlock comes back when the wait after wrong passphrases is over; focus lands in the vault', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await setUp(page, 'waiting game of words');
  // After "Open my vault" focus is in the search box, not on <body>.
  await expect(page.getByRole('searchbox', { name: 'Search names and notes' })).toBeFocused();

  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Your vault is locked' })).toBeVisible();
  const field = page.getByLabel('Vault passphrase');
  const unlock = page.getByRole('button', { name: 'Unlock' });
  // Three tries are free, then each wrong one waits longer (1 s, 2 s …).
  for (let i = 0; i < 6; i++) {
    if (await page.getByText(/Too many wrong attempts\. Try again in/).isVisible()) break;
    await field.fill(`wrong words number ${i}`);
    await expect(unlock).toBeEnabled({ timeout: 30_000 });
    await unlock.click();
    await expect(unlock).toHaveText('Unlock', { timeout: 30_000 });
  }
  await expect(page.getByText(/Too many wrong attempts\. Try again in \d+ s\./)).toBeVisible();
  await expect(unlock).toBeDisabled();
  await page.screenshot({ path: 'test-results/screenshots/unlock-wait.png' });
  // The countdown reaches 0 and the right passphrase can be sent.
  await expect(unlock).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByText('You can try again now.')).toBeVisible();
  await field.fill('waiting game of words');
  await unlock.click();
  await expect(page.getByRole('button', { name: 'New secret' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('searchbox', { name: 'Search names and notes' })).toBeFocused();
});

test('saving gives focus back, messages leave by themselves, and changing the passphrase asks for the current one', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await setUp(page, 'focus and notices words');

  const newSecret = page.getByRole('button', { name: 'New secret' });
  await newSecret.click();
  const dialog = page.getByRole('dialog', { name: 'New secret' });
  await dialog.getByLabel('Key', { exact: true }).fill('focus-test');
  await dialog.getByLabel('Value', { exact: true }).fill('some value');
  await dialog.getByRole('button', { name: 'Save secret' }).click();
  await expect(dialog).toBeHidden();
  await expect(newSecret).toBeFocused();
  expect(await focusedName(page)).toContain('New secret');

  // "Copied …" is true for a while, then it goes.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const row = page.getByRole('listitem').filter({ hasText: 'focus-test' });
  await row.getByRole('button', { name: 'Copy focus-test' }).click();
  const copied = page.getByText(/^Copied focus-test\./);
  await expect(copied).toBeVisible();
  await expect(copied).toHaveCount(0, { timeout: 15_000 });

  // Delete: "Deleted …" shows, then leaves.
  await row.getByRole('button', { name: 'Delete focus-test' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Deleted focus-test.')).toBeVisible();
  await expect(page.getByText('Deleted focus-test.')).toHaveCount(0, { timeout: 15_000 });

  // Change passphrase (in the toolbar's menu) asks for the current one first.
  await page.getByRole('button', { name: 'More vault actions' }).click();
  await page.getByRole('menuitem', { name: 'Change passphrase…' }).click();
  const change = page.getByRole('dialog', { name: 'Change the vault passphrase' });
  await change.getByLabel('Current passphrase').fill('not my passphrase');
  await change.getByLabel('New passphrase').fill('password12');
  await expect(change.getByText(/Passphrase is too easy to guess/)).toBeVisible();
  await change.getByLabel('New passphrase').fill('second set of vault words');
  await change.getByLabel('Type it again').fill('second set of vault words');
  await change.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(change.getByText('Is not the current vault passphrase.')).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: 'test-results/screenshots/change-passphrase-current.png' });
  await change.getByLabel('Current passphrase').fill('focus and notices words');
  await change.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(change.getByText(/The passphrase changed in 1 scope/)).toBeVisible({ timeout: 60_000 });
});

test('a realm-restricted token opens the realm it may use and says which', async ({ page }) => {
  test.setTimeout(90_000);
  const owner = await world.sandbox.admin.createUser();
  const realm = world.sandbox.admin.createRealm({ ownerId: owner.id, name: 'Work' });
  const { token } = world.sandbox.admin.createApiToken({ userId: owner.id, vaultAccess: true, allowedRealmIds: [realm.id] });
  await signIn(page, token);
  await setUp(page, 'restricted realm vault words');
  const scope = page.getByRole('combobox', { name: 'Scope' });
  await expect(scope).toHaveValue(realm.id);
  await expect(page.getByText(`This token may use only realm: ${realm.id}.`)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByText('Nothing here yet')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/vault-restricted-token.png' });
});
