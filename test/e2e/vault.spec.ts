import { serveWorld } from './world.js';
import { expect, test, type Page } from '@playwright/test';
import { setUpVault, signInWithToken } from './flows.js';
import { afterKdf, testBudget } from './waits.js';

// The vault as a person uses it, in Chromium against serve mode and the sandbox: real Argon2id,
// real sealing in main, real HTTP.

const world = serveWorld('vault');

async function signInFreshUser(page: Page) {
  const user = await world.sandbox.admin.createUser();
  const { token } = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(world.serve!.url);
  await signInWithToken(page, world.sandbox.url, token);
  await expect(page.getByRole('heading', { level: 1, name: 'Vault' })).toBeVisible();
  return { user, token };
}

const setUp = setUpVault;

async function addSecret(page: Page, key: string, value: string, notes: string) {
  await page.getByRole('button', { name: 'New secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'New secret' });
  await dialog.getByLabel('Key', { exact: true }).fill(key);
  await dialog.getByLabel('Value', { exact: true }).fill(value);
  await dialog.getByRole('textbox', { name: 'Notes' }).fill(notes);
  await dialog.getByRole('button', { name: 'Save secret' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('listitem').filter({ hasText: key })).toBeVisible();
}

test('set up, add, lock, unlock, reveal, copy, search among 1,000 entries, delete all', async ({ page, context }) => {
  // Three key derivations (set up, a wrong and a right passphrase), then 1,000 saves and a delete of all.
  test.setTimeout(testBudget(3, 180_000));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const { token } = await signInFreshUser(page);
  const recoveryKey = await setUp(page, 'river stone lantern violet');
  expect(recoveryKey).toMatch(/^HVRK-/);

  // A bad key name is refused at the field before anything is sent.
  await page.getByRole('button', { name: 'New secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'New secret' });
  await dialog.getByLabel('Key', { exact: true }).fill('has spaces');
  await expect(dialog.getByText(/Key must be 1 to 255 characters of letters/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Save secret' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await addSecret(page, 'github-token', 'ghp_e2e_secret_value', 'CI access token');
  await addSecret(page, 'db-password', 'correct-horse-db', 'Production database');
  await expect(page.getByText('Production database')).toBeVisible();
  // What the server holds is ciphertext, notes included.
  const stored = await (await fetch(`${world.sandbox.apiUrl}/vault/keys/github-token`, { headers: { Authorization: `Bearer ${token}` } })).text();
  expect(stored).not.toContain('ghp_e2e_secret_value');
  expect(stored).not.toContain('CI access token');

  // Lock: the window resets to the lock screen; unlock with the passphrase (no network needed).
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Your vault is locked' })).toBeVisible();
  await expect(page.getByText('ghp_e2e_secret_value')).toHaveCount(0);
  await page.getByLabel('Vault passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('Is not the vault passphrase.')).toBeVisible(afterKdf());
  await page.getByLabel('Vault passphrase').fill('river stone lantern violet');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('CI access token')).toBeVisible(afterKdf());

  // Reveal is masked until asked; copy puts the value on the clipboard and clears it after 30 s.
  const row = page.getByRole('listitem').filter({ hasText: 'github-token' });
  await expect(row.getByText('ghp_e2e_secret_value')).toHaveCount(0);
  await row.getByRole('button', { name: 'Reveal github-token' }).click();
  await expect(row.getByLabel('Value of github-token')).toHaveText('ghp_e2e_secret_value');
  await page.clock.install();
  await row.getByRole('button', { name: 'Copy github-token' }).click();
  await expect(page.getByText('Copied github-token. The clipboard is cleared in 30 s.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('ghp_e2e_secret_value');
  await page.clock.fastForward(31_000);
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('');
  await page.screenshot({ path: 'test-results/screenshots/vault.png' });

  // 1,000 more entries, sealed by the app itself through its own bridge, then searched.
  await page.evaluate(async () => {
    const api = (window as unknown as { hoody: { vault: { save(input: unknown): Promise<{ ok: boolean }> } } }).hoody;
    for (let start = 0; start < 1000; start += 25) {
      const batch = Array.from({ length: 25 }, (_, i) => start + i);
      const results = await Promise.all(batch.map((n) => api.vault.save({ realmId: '', key: `bulk-${String(n).padStart(4, '0')}`, value: `value ${n}`, notes: n === 777 ? 'the needle in the haystack' : `bulk note ${n}`, mode: 'create' })));
      if (results.some((r) => !r.ok)) throw new Error('a bulk save failed');
    }
  });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText('1,002 entries.')).toBeVisible({ timeout: 60_000 });
  // Virtualised: only a screenful of rows is in the page.
  const list = page.getByRole('list', { name: /^Entries in/ });
  expect(await list.getByRole('listitem').count()).toBeLessThan(60);
  await page.getByRole('searchbox', { name: 'Search names and notes' }).fill('needle');
  await expect(page.getByText('1 of 1,002 entries match.')).toBeVisible();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('listitem').first()).toContainText('bulk-0777');
  await page.screenshot({ path: 'test-results/screenshots/vault-search.png' });
  await page.getByRole('searchbox', { name: 'Search names and notes' }).fill('');

  // Delete all, with the scope's name typed.
  await page.getByRole('button', { name: 'More vault actions' }).click();
  await page.getByRole('menuitem', { name: 'Delete all…' }).click();
  const confirm = page.getByRole('dialog', { name: /Delete everything in global/ });
  await expect(confirm.getByRole('button', { name: /Delete all/ })).toBeDisabled();
  await confirm.getByLabel('Type global to confirm').fill('global');
  await confirm.getByRole('button', { name: 'Delete all 1002' }).click();
  await expect(page.getByText('Deleted 1002 entries.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Nothing here yet')).toBeVisible();
});

test('plain text is marked as not encrypted and can be encrypted in place; the recovery key unlocks', async ({ page }) => {
  const { token } = await signInFreshUser(page);
  const recoveryKey = await setUp(page, 'plain text test passphrase');
  await fetch(`${world.sandbox.apiUrl}/vault/keys/legacy-note`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ value: 'written by a script in plain text' }),
  });
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.getByRole('listitem').filter({ hasText: 'legacy-note' });
  await expect(row.getByText('Not encrypted')).toBeVisible();
  await row.getByRole('button', { name: 'Encrypt legacy-note' }).click();
  await expect(page.getByText('legacy-note is now encrypted with your vault key.')).toBeVisible();
  await expect(row.getByText('Not encrypted')).toHaveCount(0);
  const stored = await (await fetch(`${world.sandbox.apiUrl}/vault/keys/legacy-note`, { headers: { Authorization: `Bearer ${token}` } })).text();
  expect(stored).not.toContain('plain text');

  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'Your vault is locked' })).toBeVisible();
  await page.getByRole('button', { name: 'Use the recovery key instead' }).click();
  await page.getByLabel('Recovery key', { exact: true }).fill(recoveryKey.toLowerCase());
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('listitem').filter({ hasText: 'legacy-note' }).getByRole('button', { name: 'Reveal legacy-note' }).click();
  await expect(page.getByText('written by a script in plain text')).toBeVisible();
});

test("the profile's generated private key goes into the vault, encrypted", async ({ page }) => {
  await signInFreshUser(page);
  await setUp(page, 'signing key test words');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Profile/ }).click();
  await page.getByRole('button', { name: 'Generate a new key pair' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save your private key now' });
  const privateKey = (await dialog.getByLabel('Private key').textContent())!.trim();
  await dialog.getByRole('button', { name: 'Store in vault' }).click();
  await expect(dialog.getByText('Stored in your vault as “ed25519-signing-key”, encrypted.')).toBeVisible();
  await dialog.getByRole('button', { name: 'I have saved it' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Vault/ }).click();
  const row = page.getByRole('listitem').filter({ hasText: 'ed25519-signing-key' });
  await expect(row).toContainText(`Public key: ${privateKey.slice(64)}`);
  await row.getByRole('button', { name: 'Reveal ed25519-signing-key' }).click();
  await expect(row.getByLabel('Value of ed25519-signing-key')).toHaveText(privateKey);
});
