import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { setUpVault, signInWithToken } from './flows.js';
import { afterKdf, testBudget } from './waits.js';

// Files and offline as a person meets them: in Chromium, against serve mode and a sandbox that is
// stopped and started again on the same port and data folder.

let sandbox: Sandbox;
let sandboxDir: string;
let port: number;
let dataDir: string;
let serve: ServeProcess | undefined;

test.beforeEach(async () => {
  sandboxDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-sbx-'));
  sandbox = await startSandbox({ dataDir: sandboxDir });
  port = Number(new URL(sandbox.url).port);
  dataDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-files-'));
  serve = await startServeProcess(['--data', dataDir]);
});
test.afterEach(async () => {
  await serve?.stop();
  await sandbox.close().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
  await rm(sandboxDir, { recursive: true, force: true });
});

async function signInAndSetUp(page: Page) {
  const user = await sandbox.admin.createUser();
  const { token } = sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(serve!.url);
  await signInWithToken(page, sandbox.url, token);
  await setUpVault(page, 'files and offline words');
  return token;
}

test('drop files onto the vault, see progress, preview one, download one and compare its bytes', async ({ page }) => {
  await signInAndSetUp(page);
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
  const token = await signInAndSetUp(page);
  await page.getByRole('button', { name: 'New secret' }).click();
  const editor = page.getByRole('dialog', { name: 'New secret' });
  await editor.getByLabel('Key', { exact: true }).fill('db-password');
  await editor.getByLabel('Value', { exact: true }).fill('before-offline');
  await editor.getByRole('textbox', { name: 'Notes' }).fill('production database');
  const savedAt = Date.now();
  await editor.getByRole('button', { name: 'Save secret' }).click();
  // Wait for this computer's copy to be synced after the save (the time the app shows).
  await expect.poll(async () => Date.parse((await page.locator('.stats-panel time').getAttribute('dateTime').catch(() => null)) ?? '') || 0, { timeout: 30_000 }).toBeGreaterThan(savedAt);

  await sandbox.close();
  await page.reload();
  // The vault lives in main: reloading the window does not lock it. Lock, then unlock offline.
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('Vault passphrase').fill('files and offline words');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('You are offline.')).toBeVisible(afterKdf());
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

  sandbox = await startSandbox({ dataDir: sandboxDir, port });
  // The app also probes on its own: by the time of this click it may have found the server and
  // taken the button away. A failed click counts only while the button is still there.
  const checkAgain = page.getByRole('button', { name: 'Check again' });
  await checkAgain.click({ timeout: 10_000 }).catch(async (error: unknown) => {
    if (await checkAgain.count()) throw error;
  });
  await expect(page.getByText('You are offline.')).toHaveCount(0, { timeout: 30_000 });
  await expect(row.getByText('Waiting to sync')).toHaveCount(0, { timeout: 30_000 });
  // The server now holds the edit (sealed), and the app opens it.
  const stored = (await (await fetch(`${sandbox.url}/api/v1/vault/keys/db-password`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { value: string } };
  expect(stored.data.value).toMatch(/^\{"hv":1/);
  expect(stored.data.value).not.toContain('changed-while-offline');
  await row.getByRole('button', { name: /Reveal db-password|Hide db-password/ }).click();
  if (!(await row.getByLabel('Value of db-password').isVisible())) await row.getByRole('button', { name: 'Reveal db-password' }).click();
  await expect(row.getByLabel('Value of db-password')).toHaveText('changed-while-offline');
});
