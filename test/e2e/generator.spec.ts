import { serveWorld } from './world.js';
import { expect, test } from '@playwright/test';
import { EFF_WORDS } from '../../common/eff-words.js';
import { signInWithToken } from './flows.js';

// The generator as a person uses it: on its own from the vault toolbar (copy), and inside New
// secret, where the generated value is what gets sealed and stored.

const world = serveWorld('generator');

test('generate and copy from the toolbar, then store a generated API token as a new secret', async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const user = await world.sandbox.admin.createUser();
  const { token } = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(world.serve!.url);
  await signInWithToken(page, world.sandbox.url, token);
  await expect(page.getByRole('heading', { level: 1, name: 'Vault' })).toBeVisible();
  // The vault's first run, with room for Argon2id (256 MiB) on a busy machine.
  await page.getByLabel('Vault passphrase').fill('harbor quilt meadow ember');
  await page.getByLabel('Type it again').fill('harbor quilt meadow ember');
  await page.getByRole('checkbox', { name: /nobody can reset/ }).check();
  await page.getByRole('button', { name: 'Create my vault' }).click();
  await page.getByRole('checkbox', { name: /saved my recovery key/ }).check({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Open my vault' }).click();

  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate' });
  const value = dialog.getByLabel('Generated value');
  await expect(value).toHaveText(/^.{20}$/);
  await dialog.getByRole('radio', { name: 'Passphrase' }).check();
  await expect(dialog.getByLabel('Entropy')).toContainText('77 bits');
  const words = (await value.textContent())!.split('-');
  expect(words).toHaveLength(6);
  for (const word of words) expect(EFF_WORDS).toContain(word);
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect(dialog.getByRole('button', { name: /Copied/ })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await value.textContent());
  await page.screenshot({ path: 'test-results/screenshots/generator-dialog.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'New secret' }).click();
  const editor = page.getByRole('dialog', { name: 'New secret' });
  await editor.getByLabel('Key', { exact: true }).fill('stripe-key');
  await editor.getByRole('button', { name: 'Generate a value' }).click();
  await editor.getByRole('radio', { name: 'API token' }).check();
  await editor.getByRole('textbox', { name: 'Prefix' }).fill('sk_live_');
  const generated = (await editor.getByLabel('Generated value').textContent())!;
  expect(generated).toMatch(/^sk_live_[0-9A-Za-z]{40}$/);
  await page.screenshot({ path: 'test-results/screenshots/generator-in-editor.png' });
  await editor.getByRole('button', { name: 'Use this value' }).click();
  await expect(editor.getByLabel('Value', { exact: true })).toHaveValue(generated);
  await editor.getByRole('button', { name: 'Save secret' }).click();
  await expect(editor).toBeHidden();

  const row = page.getByRole('listitem').filter({ hasText: 'stripe-key' });
  await row.getByRole('button', { name: 'Reveal stripe-key' }).click();
  await expect(row.getByLabel('Value of stripe-key')).toHaveText(generated);
});
