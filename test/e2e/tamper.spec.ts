import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { setUpVault, signInWithToken } from './flows.js';

// Local rollback as a person meets it: an older outbox put back in the data folder while the vault
// was locked is reported in the vault view after the unlock.

let sandbox: Sandbox;
let sandboxDir: string;
let dataDir: string;
let serve: ServeProcess | undefined;

test.beforeEach(async () => {
  sandboxDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-sbx-'));
  sandbox = await startSandbox({ dataDir: sandboxDir });
  dataDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-tamper-'));
  serve = await startServeProcess(['--data', dataDir]);
});
test.afterEach(async () => {
  await serve?.stop();
  await sandbox.close().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
  await rm(sandboxDir, { recursive: true, force: true });
});

test('an older outbox put back while locked is reported after the unlock', async ({ page }) => {
  const user = await sandbox.admin.createUser();
  const { token } = sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(serve!.url);
  await signInWithToken(page, sandbox.url, token);
  await setUpVault(page, 'tamper banner words');
  type Bridge = { vault: Record<string, (input?: unknown) => Promise<{ ok: boolean }>> };
  const call = (op: string, input?: unknown) => page.evaluate(({ op, input }) => (window as unknown as { hoody: Bridge }).hoody.vault[op]!(input), { op, input });
  expect(await call('save', { realmId: '', key: 'db-password', value: 'first', notes: '', mode: 'create' })).toMatchObject({ ok: true });
  await call('list', { realmId: '' });
  const accounts = join(dataDir, 'accounts');
  const copyOf = async () => (await readdir(accounts, { recursive: true })).some((f) => f.endsWith('global.hvs'));
  await expect.poll(copyOf).toBe(true);

  await sandbox.close();
  expect(await call('save', { realmId: '', key: 'db-password', value: 'offline 1', notes: '', mode: 'update' })).toMatchObject({ ok: true });
  const outbox = join(accounts, (await readdir(accounts))[0]!, 'outbox.hvs');
  const older = await readFile(outbox);
  expect(await call('save', { realmId: '', key: 'db-password', value: 'offline 2', notes: '', mode: 'update' })).toMatchObject({ ok: true });
  await page.getByRole('button', { name: 'Lock', exact: true }).first().click();
  await expect(page.getByLabel('Vault passphrase')).toBeVisible();

  await writeFile(outbox, older);
  await page.getByLabel('Vault passphrase').fill('tamper banner words');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText(/put back to an older state outside the app/)).toBeVisible({ timeout: 20_000 });
  // The vault is still usable: the secret shows, with the change the older outbox still holds.
  await expect(page.getByRole('listitem').filter({ hasText: 'db-password' })).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: 'test-results/screenshots/vault-local-rollback.png' });
});
