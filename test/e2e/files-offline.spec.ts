import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { checkAgain, saveSecretSynced, signedInWithVault, unlockOffline } from './flows.js';
import { testBudget } from './waits.js';
import { offlineWorld } from './world.js';

// Files and offline as a person meets them: in Chromium, against serve mode and a sandbox that is
// stopped and started again on the same port and data folder.

const world = offlineWorld('files');

test('drop files onto the vault, see progress, preview one, download one and compare its bytes', async ({ page }) => {
  await signedInWithVault(page, world, 'files and offline words');
  const binary = randomBytes(300_000);
  const text = 'Hoody Vault notes ✓\nsecond line — with unicode\n';
  await page.evaluate(
    ({ binaryB64, text }) => {
      const bytes = Uint8Array.from(atob(binaryB64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'meeting notes.txt', { type: 'text/plain' }));
      dt.items.add(new File([bytes], 'random.bin', { type: 'application/octet-stream' }));
      const target = document.querySelector('.vault-view')!;
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { binaryB64: binary.toString('base64'), text },
  );
  const dialog = page.getByRole('dialog', { name: 'Store 2 files' });
  // Keys are derived from the names to fit the key rule, and can be edited.
  await expect(dialog.getByLabel('Key for meeting notes.txt')).toHaveValue('meeting-notes.txt');
  await expect(dialog.getByLabel('Key for random.bin')).toHaveValue('random.bin');
  await dialog.getByRole('button', { name: 'Encrypt and store' }).click();
  const uploads = page.getByRole('region', { name: 'Uploads' });
  await expect(uploads.getByRole('progressbar', { name: /random.bin/ })).toBeVisible();
  await expect(uploads.getByRole('progressbar', { name: 'random.bin: Stored' })).toHaveAttribute('aria-valuenow', '100');
  await expect(uploads.getByRole('progressbar', { name: 'meeting notes.txt: Stored' })).toHaveAttribute('aria-valuenow', '100');

  const list = page.getByRole('list', { name: /^Entries in/ });
  await list.getByRole('button', { name: 'Open meeting-notes.txt' }).click();
  const preview = page.getByRole('dialog', { name: 'meeting notes.txt' });
  await expect(preview.getByLabel('Contents of meeting notes.txt')).toHaveText(text.trimEnd());
  await page.screenshot({ path: 'test-results/screenshots/vault-file-preview.png' });
  await preview.getByRole('button', { name: 'Done' }).click();

  const downloading = page.waitForEvent('download');
  await list.getByRole('button', { name: 'Save random.bin to disk' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('random.bin');
  const saved = await readFile((await download.path())!);
  expect(saved.equals(binary)).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/vault-files.png' });
});

test('offline: stop the server, reload, unlock, read and edit a secret; start it, and the edit arrives', async ({ page }) => {
  test.setTimeout(testBudget(2, 90_000));
  const token = await signedInWithVault(page, world, 'files and offline words');
  await saveSecretSynced(page, 'db-password', 'before-offline', 'production database');

  await world.sandbox.close();
  await unlockOffline(page, 'files and offline words');
  const row = page.getByRole('listitem').filter({ hasText: 'db-password' });
  await row.getByRole('button', { name: 'Reveal db-password' }).click();
  await expect(row.getByLabel('Value of db-password')).toHaveText('before-offline');

  await row.getByRole('button', { name: 'Edit db-password' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit db-password' });
  await edit.getByLabel('Value', { exact: true }).fill('changed-while-offline');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(row.getByText('Waiting to sync')).toBeVisible();
  await expect(page.getByText(/1 change is waiting to be sent/)).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/vault-offline.png' });

  await world.startSandbox('same-port');
  await checkAgain(page);
  await expect(page.getByText('You are offline.')).toHaveCount(0, { timeout: 30_000 });
  await expect(row.getByText('Waiting to sync')).toHaveCount(0, { timeout: 30_000 });
  // The server now holds the edit (sealed), and the app opens it.
  const stored = (await (await fetch(`${world.sandbox.url}/api/v1/vault/keys/db-password`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { value: string } };
  expect(stored.data.value).toMatch(/^\{"hv":1/);
  expect(stored.data.value).not.toContain('changed-while-offline');
  await row.getByRole('button', { name: /Reveal db-password|Hide db-password/ }).click();
  if (!(await row.getByLabel('Value of db-password').isVisible())) await row.getByRole('button', { name: 'Reveal db-password' }).click();
  await expect(row.getByLabel('Value of db-password')).toHaveText('changed-while-offline');
});
