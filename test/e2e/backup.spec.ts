import { serveWorld } from './world.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { addSecret, setUpVault, signInWithToken } from './flows.js';
import { afterKdf, testBudget } from './waits.js';

// Backup and import as a person uses them, in Chromium against serve mode and the sandbox: an
// encrypted backup downloaded through the window and read into another account, the plain-text warning, and a
// KeePassXC export imported with its preview. Real Argon2id, real sealing in main, real HTTP.

const world = serveWorld('backup');

const KEEPASSXC = [
  '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"',
  '"Root/Work","Stripe live","ops@example.com","sk_live_e2e","https://dashboard.stripe.com","","","0","2026-10-01T10:00:00Z","2026-09-01T10:00:00Z"',
  '"Root","Mail","me@example.com","p@ss,word","","","","0","2026-10-01T10:00:00Z","2026-09-01T10:00:00Z"',
].join('\r\n');

test('export an encrypted backup, read it into a new account, see the plain-text warning, import a KeePassXC file', async ({ page }) => {
  // Two set-ups, the export's sealing and the backup's opening: four key derivations.
  test.setTimeout(testBudget(4, 120_000));
  const user = await world.sandbox.admin.createUser();
  const { token } = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(world.serve!.url);
  await signInWithToken(page, world.sandbox.url, token);
  await setUpVault(page, 'river stone lantern violet');
  await expect(await addSecret(page, 'github-token', 'ghp_e2e_backup')).toBeHidden();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ }).click();
  const section = page.getByRole('region', { name: 'Backup and import' });
  await expect(section.getByRole('heading', { name: 'Export the vault' })).toBeVisible();

  // The encrypted backup: downloaded through the window, sealed (no value readable in it).
  await section.getByLabel('Export password', { exact: true }).fill('backup password e2e');
  await section.getByLabel('Repeat the export password').fill('backup password e2e');
  const downloading = page.waitForEvent('download', { timeout: afterKdf().timeout });
  await section.getByRole('button', { name: 'Export encrypted backup' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^hoody-vault-\d{4}-\d\d-\d\d-\d{4}\.hvbackup$/);
  const backupPath = join(world.dataDir, download.suggestedFilename());
  await download.saveAs(backupPath);
  const text = await readFile(backupPath, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'hoody-vault-backup', version: 1 });
  expect(text).not.toContain('ghp_e2e_backup');
  await expect(section.getByText(/^Downloaded hoody-vault-.*\.hvbackup with 1 secret and 0 files from 1 scope\.$/)).toBeVisible();

  // A new account: sign the first one out, sign in as someone else, set up their vault, and read
  // the backup into it (sealed again under the new vault's key).
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: /Sign out of/ }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click();
  const other = await world.sandbox.admin.createUser();
  const { token: otherToken } = world.sandbox.admin.createApiToken({ userId: other.id, vaultAccess: true });
  await signInWithToken(page, world.sandbox.url, otherToken);
  await setUpVault(page, 'another long passphrase here');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ }).click();
  await section.getByLabel('Backup password').fill('backup password e2e');
  await section.getByLabel('File', { exact: true }).setInputFiles(backupPath);
  await section.getByRole('button', { name: 'Read and preview' }).click();
  const entries = section.getByRole('region', { name: 'Entries to import' });
  await expect(entries.getByRole('row')).toHaveCount(2, afterKdf());
  await expect(entries.getByRole('row').nth(1)).toContainText('github-token');
  await section.getByRole('button', { name: 'Import 1 entry' }).click();
  await expect(section.getByText('Import finished.')).toBeVisible();
  await expect(section.getByText('Stored: 1')).toBeVisible();

  // Plain text: a warning that must be acknowledged before anything is written.
  await section.getByRole('radio', { name: /Plain-text \.env/ }).check();
  await expect(section.getByRole('alert')).toContainText('Every secret will be readable in this file.');
  await section.getByRole('button', { name: 'Export in plain text' }).click();
  await expect(section.getByText('Tick the box to confirm you want the secrets in plain text.')).toBeVisible();
  await section.getByRole('heading', { name: 'Export the vault' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/backup-plaintext-warning.png' });

  // A KeePassXC export: the preview shows the names each item will be stored under.
  await section.getByLabel('File format').selectOption('keepassxc');
  await section.getByLabel('File', { exact: true }).setInputFiles({ name: 'passwords.csv', mimeType: 'text/csv', buffer: Buffer.from(KEEPASSXC) });
  await section.getByRole('button', { name: 'Read and preview' }).click();
  await expect(entries.getByRole('row')).toHaveCount(3);
  await expect(entries.getByRole('row').nth(1)).toContainText('Work.Stripe-live');
  await entries.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/backup-import-preview.png' });
  await section.getByRole('button', { name: 'Import 2 entries' }).click();
  await expect(section.getByText('Import finished.')).toBeVisible();
  await expect(section.getByText('Stored: 2')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/backup-import-done.png', fullPage: true });

  // The imported entries are in the vault, sealed like any other.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Vault/ }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Work.Stripe-live' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Mail' })).toBeVisible();
  // …and so is the entry from the first account's backup, opened with this vault's key.
  const moved = page.getByRole('listitem').filter({ hasText: 'github-token' });
  await moved.getByRole('button', { name: 'Reveal github-token' }).click();
  await expect(moved.getByLabel('Value of github-token')).toHaveText('ghp_e2e_backup');
  await page.screenshot({ path: 'test-results/screenshots/backup-moved-vault.png' });
});
