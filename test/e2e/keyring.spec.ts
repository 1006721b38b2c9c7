import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { signInWithToken } from './flows.js';

// One vault per scope, as a person meets it in the window (issue 12 §1 and §2): another tool
// (plain HTTP with the same token) replaces, deletes or copies what the app stored; the window
// says what happened and offers the way out. Two data folders are two computers.

let sandbox: Sandbox;
const dirs: string[] = [];
const serves: ServeProcess[] = [];

test.beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: false });
});
test.afterAll(async () => {
  await sandbox?.close();
});
test.afterEach(async () => {
  await Promise.all(serves.splice(0).map((s) => s.stop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function computer() {
  const dir = await mkdtemp(join(tmpdir(), 'hoody-e2e-keyring-'));
  dirs.push(dir);
  const serve = await startServeProcess(['--data', dir]);
  serves.push(serve);
  return serve;
}

function tool(token: string) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const url = (key: string) => `${sandbox.apiUrl}/vault/keys/${key}`;
  return {
    get: async (key: string) => ((await (await fetch(url(key), { headers })).json()) as { data: { value: string } }).data.value,
    put: (key: string, value: string, metadata?: unknown) => fetch(url(key), { method: 'PATCH', headers, body: JSON.stringify({ value, ...(metadata ? { metadata } : {}) }) }),
    delete: (key: string) => fetch(url(key), { method: 'DELETE', headers }),
  };
}

/** The first-run set-up (as flows.ts does it), waiting as long as a 256 MiB key derivation takes on a busy machine. */
async function setUp(page: Page, passphrase: string): Promise<string> {
  await page.getByLabel('Vault passphrase').fill(passphrase);
  await page.getByLabel('Type it again').fill(passphrase);
  await page.getByRole('checkbox', { name: /nobody can reset/ }).check();
  await page.getByRole('button', { name: 'Create my vault' }).click();
  await expect(page.getByRole('heading', { name: 'Keep your recovery key' })).toBeVisible({ timeout: 60_000 });
  const recoveryKey = (await page.getByLabel('Recovery key', { exact: true }).textContent())!.trim();
  await page.getByRole('checkbox', { name: /saved my recovery key/ }).check();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('button', { name: 'New secret' })).toBeVisible();
  return recoveryKey;
}

async function addSecret(page: Page, key: string, value: string) {
  await page.getByRole('button', { name: 'New secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'New secret' });
  await dialog.getByLabel('Key', { exact: true }).fill(key);
  await dialog.getByLabel('Value', { exact: true }).fill(value);
  await dialog.getByRole('button', { name: 'Save secret' }).click();
  return dialog;
}

test('another vault in the scope, a deleted keyring, a copied value: told, and settled from the window', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const user = await sandbox.admin.createUser();
  const { token } = sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  const other = tool(token);
  const first = await computer();
  await page.goto(first.url);
  await signInWithToken(page, sandbox.url, token);
  const recoveryKey = await setUp(page, 'river stone lantern violet');
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
  const second = await computer();
  const page2 = await browser.newPage();
  await page2.goto(second.url);
  await signInWithToken(page2, sandbox.url, token);
  await expect(page2.getByRole('heading', { name: "Your vault's keyring is missing" })).toBeVisible();
  await expect(page2.getByText(/sealed by Hoody Vault .* Restore the keyring/)).toBeVisible();
  await page2.getByLabel('Recovery key').fill(recoveryKey);
  await page2.getByLabel('Vault passphrase from now on').fill('river stone lantern violet');
  await page2.screenshot({ path: 'test-results/screenshots/vault-keyring-missing.png', fullPage: true });
  await page2.getByRole('button', { name: 'Restore the keyring' }).click();
  await expect(page2.getByRole('listitem').filter({ hasText: 'after-delete' })).toBeVisible({ timeout: 60_000 });
  await expect(page2.getByRole('listitem').filter({ hasText: 'github-token' })).toBeVisible();
});
