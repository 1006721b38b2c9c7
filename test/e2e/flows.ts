import { expect, type Locator, type Page } from '@playwright/test';
import { afterKdf } from './waits.js';

// Steps several end-to-end specs take the same way, as a person does them.

/** Signs in with an API token to the given server, from the sign-in screen or the add-account dialog. */
export async function signInWithToken(scope: Page | Locator, serverUrl: string, token: string): Promise<void> {
  await scope.getByText('Another server').click();
  await scope.getByLabel('Server address').fill(serverUrl);
  await scope.getByRole('radio', { name: 'API token' }).check();
  await scope.getByLabel('Token', { exact: true }).fill(token);
  await scope.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signInWithPassword(scope: Page | Locator, serverUrl: string, login: string, password: string): Promise<void> {
  await scope.getByText('Another server').click();
  await scope.getByLabel('Server address').fill(serverUrl);
  await scope.getByLabel('Username or email').fill(login);
  await scope.getByLabel('Password', { exact: true }).fill(password);
  await scope.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Sets up the vault from its first-run screen; returns the recovery key as shown. */
export async function setUpVault(page: Page, passphrase: string): Promise<string> {
  await page.getByLabel('Vault passphrase').fill(passphrase);
  await page.getByLabel('Type it again').fill(passphrase);
  await expect(page.getByRole('meter', { name: 'Passphrase strength' })).toBeVisible();
  await page.getByRole('checkbox', { name: /nobody can reset/ }).check();
  await page.getByRole('button', { name: 'Create my vault' }).click();
  // Creating the vault runs one Argon2id: wait for the screen it ends on, as long as that can take.
  await expect(page.getByRole('heading', { name: 'Keep your recovery key' })).toBeVisible(afterKdf());
  const recoveryKey = (await page.getByLabel('Recovery key', { exact: true }).textContent())!.trim();
  await page.getByRole('checkbox', { name: /saved my recovery key/ }).check();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('button', { name: 'New secret' })).toBeVisible();
  return recoveryKey;
}
