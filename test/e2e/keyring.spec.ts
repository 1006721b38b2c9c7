import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { addSecret, setUpVault, signInWithToken } from './flows.js';
import { computersWorld } from './world.js';

// One vault per scope, as a person meets it in the window (issue 12 §1 and §2): another tool
// (plain HTTP with the same token) replaces, deletes or copies what the app stored; the window
// says what happened and offers the way out. Two data folders are two computers.

const world = computersWorld('keyring');

function tool(token: string) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const url = (key: string) => `${world.sandbox.apiUrl}/vault/keys/${key}`;
  return {
    get: async (key: string) => ((await (await fetch(url(key), { headers })).json()) as { data: { value: string } }).data.value,
    put: (key: string, value: string, metadata?: unknown) => fetch(url(key), { method: 'PATCH', headers, body: JSON.stringify({ value, ...(metadata ? { metadata } : {}) }) }),
    delete: (key: string) => fetch(url(key), { method: 'DELETE', headers }),
  };
}

test('another vault in the scope, a deleted keyring, a copied value: told, and settled from the window', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const user = await world.sandbox.admin.createUser();
  const { token } = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  const other = tool(token);
  const first = await world.computer();
  await page.goto(first.url);
  await signInWithToken(page, world.sandbox.url, token);
  const recoveryKey = await setUpVault(page, 'river stone lantern violet');
  await expect(await addSecret(page, 'github-token', 'ghp_e2e_secret_value')).toBeHidden();

  // Another tool copies a sealed value under another name (without its metadata): listed as "Cannot open".
  await other.put('copied-token', await other.get('github-token'));
  // ...and writes another vault's keyring over this one (as a second set-up elsewhere did).
  const ours = JSON.parse(await other.get('_hv.keyring')) as Record<string, unknown>;
  const foreign = { ...ours, vault_id: randomBytes(16).toString('base64'), created_at: '2026-03-04T05:06:07.000Z', updated_at: '2026-03-04T05:06:07.000Z' };
  await other.put('_hv.keyring', JSON.stringify(foreign), { hv: 1, kind: 'keyring' });

  // The next write is refused, and the window asks which vault owns the scope, with both dates.
  const dialog = await addSecret(page, 'blocked-secret', 'not written');
  await expect(dialog.getByText(/different vault's keyring/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  const prompt = page.getByRole('alert', { name: 'Another vault in global' });
  await expect(prompt).toBeVisible();
  await expect(prompt.getByText("This computer's vault", { exact: true })).toBeVisible();
  await expect(prompt.getByText('1 entry here open with it')).toBeVisible();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'copied-token' }).getByText('Cannot open')).toBeVisible();
  await page.getByRole('listitem').filter({ hasText: 'copied-token' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/vault-cannot-open-badge.png' });
  await page.screenshot({ path: 'test-results/screenshots/vault-keyring-foreign.png', fullPage: true });

  await prompt.getByRole('button', { name: "Keep this computer's vault" }).click();
  await expect(prompt).toBeHidden();
  await expect(await addSecret(page, 'allowed-secret', 'written')).toBeHidden();

  // The keyring deleted (`hoody vault delete _hv.keyring`): put back at the next write, and said so.
  await other.delete('_hv.keyring');
  await expect(await addSecret(page, 'after-delete', 'still one vault')).toBeHidden();
  const restored = page.getByRole('status', { name: 'Keyring restored in global' });
  await expect(restored.getByText(/had been deleted .* put back from this computer's copy/)).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/vault-keyring-restored.png', fullPage: true });
  await restored.getByRole('button', { name: 'OK', exact: true }).click();
  await expect(restored).toBeHidden();

  // A second computer, with the keyring deleted again: no second vault, the recovery key rebuilds it.
  await other.delete('_hv.keyring');
  const second = await world.computer();
  const page2 = await browser.newPage();
  await page2.goto(second.url);
  await signInWithToken(page2, world.sandbox.url, token);
  await expect(page2.getByRole('heading', { name: "Your vault's keyring is missing" })).toBeVisible();
  await expect(page2.getByText(/sealed by Hoody Vault .* Restore the keyring/)).toBeVisible();
  await page2.getByLabel('Recovery key').fill(recoveryKey);
  await page2.getByLabel('Vault passphrase from now on').fill('river stone lantern violet');
  await page2.screenshot({ path: 'test-results/screenshots/vault-keyring-missing.png', fullPage: true });
  await page2.getByRole('button', { name: 'Restore the keyring' }).click();
  await expect(page2.getByRole('listitem').filter({ hasText: 'after-delete' })).toBeVisible({ timeout: 60_000 });
  await expect(page2.getByRole('listitem').filter({ hasText: 'github-token' })).toBeVisible();
});
