import { expect, type Locator, type Page } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.js';
import type { ServeProcess } from '../support/serve-process.js';
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

/** A user with vault access on the world's sandbox, signed in in the window, with a vault set up; returns the token. */
export async function signedInWithVault(page: Page, world: { sandbox: Sandbox; serve: ServeProcess | undefined }, passphrase: string): Promise<string> {
  const user = await world.sandbox.admin.createUser();
  const { token } = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(world.serve!.url);
  await signInWithToken(page, world.sandbox.url, token);
  await setUpVault(page, passphrase);
  return token;
}

/** Fills New secret and presses Save; returns the dialog (it closes once main has stored the secret, or shows why not). */
export async function addSecret(page: Page, key: string, value: string, notes = ''): Promise<Locator> {
  await page.getByRole('button', { name: 'New secret' }).click();
  const editor = page.getByRole('dialog', { name: 'New secret' });
  await editor.getByLabel('Key', { exact: true }).fill(key);
  await editor.getByLabel('Value', { exact: true }).fill(value);
  if (notes) await editor.getByRole('textbox', { name: 'Notes' }).fill(notes);
  await editor.getByRole('button', { name: 'Save secret' }).click();
  return editor;
}

/** Creates a secret from New secret and waits until this computer's copy is synced after it (the time the app shows). */
export async function saveSecretSynced(page: Page, key: string, value: string, notes = ''): Promise<void> {
  const savedAt = Date.now();
  await addSecret(page, key, value, notes);
  await expect.poll(async () => Date.parse((await page.locator('.stats-panel time').getAttribute('dateTime').catch(() => null)) ?? '') || 0, { timeout: 30_000 }).toBeGreaterThan(savedAt);
}

/** With the server gone: reload (the vault lives in main, so it stays open), lock, and unlock from this computer's copy. */
export async function unlockOffline(page: Page, passphrase: string): Promise<void> {
  await page.reload();
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('Vault passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('You are offline.')).toBeVisible(afterKdf());
}

/** The server is back: "Check again", unless the app's own probe found it first and took the button away. */
export async function checkAgain(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Check again' });
  await button.click({ timeout: 10_000 }).catch(async (error: unknown) => {
    if (await button.count()) throw error;
  });
}
