import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { setUpVault, signInWithToken } from './flows.js';
import { afterKdf, testBudget } from './waits.js';

// A conflict as a person meets it: an edit made offline, while another tool changed the same secret
// on the server. The other tool writes while this app still cannot reach the server (the sandbox's
// data folder served on another port for that moment), so the order is certain, not a race.

let sandbox: Sandbox;
let sandboxDir: string;
let dataDir: string;
let serve: ServeProcess | undefined;

test.beforeEach(async () => {
  sandboxDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-conflict-sbx-'));
  sandbox = await startSandbox({ dataDir: sandboxDir });
  dataDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-conflict-'));
  serve = await startServeProcess(['--data', dataDir]);
});
test.afterEach(async () => {
  await serve?.stop();
  await sandbox.close().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
  await rm(sandboxDir, { recursive: true, force: true });
});

test('an offline edit meets another tool’s change: both values shown on request, "keep mine" keeps theirs in the history', async ({ page }) => {
  test.setTimeout(testBudget(2, 120_000));
  const port = Number(new URL(sandbox.url).port);
  const user = await sandbox.admin.createUser();
  const { token } = sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(serve!.url);
  await signInWithToken(page, sandbox.url, token);
  await setUpVault(page, 'conflict passphrase words');

  await page.getByRole('button', { name: 'New secret' }).click();
  const editor = page.getByRole('dialog', { name: 'New secret' });
  await editor.getByLabel('Key', { exact: true }).fill('deploy-token');
  await editor.getByLabel('Value', { exact: true }).fill('first-value');
  const savedAt = Date.now();
  await editor.getByRole('button', { name: 'Save secret' }).click();
  await expect.poll(async () => Date.parse((await page.locator('.stats-panel time').getAttribute('dateTime').catch(() => null)) ?? '') || 0, { timeout: 30_000 }).toBeGreaterThan(savedAt);

  // Offline: lock and unlock from this computer's copy, then edit.
  await sandbox.close();
  await page.reload();
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('Vault passphrase').fill('conflict passphrase words');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('You are offline.')).toBeVisible(afterKdf());
  const row = page.getByRole('listitem').filter({ hasText: 'deploy-token' });
  await row.getByRole('button', { name: 'Edit deploy-token' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit deploy-token' });
  await edit.getByLabel('Value', { exact: true }).fill('mine-from-offline');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(row.getByText('Waiting to sync')).toBeVisible();

  // Meanwhile another tool (plain HTTP, as a script would) rotates the same key on the server.
  const elsewhere = await startSandbox({ dataDir: sandboxDir });
  const put = await fetch(`${elsewhere.url}/api/v1/vault/keys/deploy-token`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ value: 'theirs-from-a-script' }),
  });
  expect(put.status).toBe(200);
  await elsewhere.close();

  // The server is back where the app looks for it: the waiting edit meets the newer value.
  sandbox = await startSandbox({ dataDir: sandboxDir, port });
  const checkAgain = page.getByRole('button', { name: 'Check again' });
  await checkAgain.click({ timeout: 10_000 }).catch(async (error: unknown) => {
    if (await checkAgain.count()) throw error;
  });
  const banner = page.getByRole('alert').filter({ hasText: 'deploy-token' });
  await expect(banner).toBeVisible({ timeout: 30_000 });
  // Neither value is on screen until asked for.
  await expect(banner).not.toContainText('mine-from-offline');
  await expect(banner).not.toContainText('theirs-from-a-script');
  await banner.getByRole('button', { name: 'Show your value' }).click();
  await expect(banner).toContainText('mine-from-offline');
  await banner.getByRole('button', { name: 'Show their value' }).click();
  await expect(banner).toContainText('theirs-from-a-script');
  await page.screenshot({ path: 'test-results/screenshots/conflict-both-shown.png' });

  await banner.getByRole('button', { name: 'Keep mine' }).click();
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  await expect(row.getByText('Waiting to sync')).toHaveCount(0, { timeout: 30_000 });
  // The server now holds this computer's edit, sealed; the value it replaced is an earlier value.
  const stored = (await (await fetch(`${sandbox.url}/api/v1/vault/keys/deploy-token`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { value: string } };
  expect(stored.data.value).toMatch(/^\{"hv":1/);
  await row.getByRole('button', { name: 'Edit deploy-token' }).click();
  const after = page.getByRole('dialog', { name: 'Edit deploy-token' });
  const earlier = after.getByRole('region', { name: 'Earlier values' });
  // Newest first: the script's value that "keep mine" replaced, then the one saved before going offline.
  await expect(earlier.getByRole('heading')).toHaveText('Earlier values (2 of at most 10)');
  await earlier.getByRole('listitem').first().getByRole('button', { name: /^Show value of deploy-token/ }).click();
  await expect(earlier.getByRole('listitem').first()).toContainText('theirs-from-a-script');
  await earlier.getByRole('listitem').nth(1).getByRole('button', { name: /^Show value of deploy-token/ }).click();
  await expect(earlier.getByRole('listitem').nth(1)).toContainText('first-value');
  await after.getByRole('button', { name: 'Show current value of deploy-token' }).click();
  await expect(after.getByLabel('current value of deploy-token', { exact: true })).toHaveText('mine-from-offline');
  await page.screenshot({ path: 'test-results/screenshots/conflict-kept-mine.png' });
});
