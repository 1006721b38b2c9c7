import { serveWorld } from './world.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { type DemoUser } from '../../sandbox/server.js';
import { startServeProcess } from '../support/serve-process.js';
import { signInWithPassword as signInByPassword, signInWithToken as signInByToken } from './flows.js';

// Accounts as a person uses them: serve mode in Chromium, against a seeded sandbox, with the real
// keychain (npm test runs inside a private GNOME Keyring session).

const world = serveWorld('accounts', { seedDemo: true });

const demoUser = (name: string): DemoUser => world.sandbox.demo!.users.find((u) => u.username === name)!;
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

const signInWithToken = (page: Page, token: string) => signInByToken(page, world.sandbox.url, token);
const signInWithPassword = (page: Page, login: string, password: string) => signInByPassword(page, world.sandbox.url, login, password);

async function openProfile(page: Page) {
  await nav(page).getByRole('button', { name: /^Profile/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
}

test('sign in with a token, see the profile, a bad public key refused at the field, the alias saved', async ({ page }) => {
  const alice = demoUser('alice');
  await page.goto(world.serve!.url);
  await signInWithToken(page, alice.token);
  await openProfile(page);
  await expect(page.getByText(alice.id)).toBeVisible();
  await expect(page.getByText(alice.email)).toBeVisible();

  const key = page.getByRole('textbox', { name: 'Public key' });
  await key.fill('not-a-key');
  await key.blur();
  await expect(page.getByText('Public key must be exactly 64 hexadecimal characters (an ED25519 public key).')).toBeVisible();
  await expect(key).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Save public key' })).toBeDisabled();

  const alias = page.getByRole('textbox', { name: 'Alias' });
  await alias.fill('Alice in Chromium');
  await page.getByRole('button', { name: 'Save alias' }).click();
  await expect(page.getByRole('form', { name: 'Alias' }).getByRole('status')).toHaveText('Saved.');
  expect(world.sandbox.admin.getUser(alice.id)?.alias).toBe('Alice in Chromium');
  await page.reload();
  await openProfile(page);
  await expect(page.getByRole('textbox', { name: 'Alias' })).toHaveValue('Alice in Chromium');
  await page.screenshot({ path: 'test-results/screenshots/profile.png' });

  // The token is in the keychain only: not in the data folder, not in what the app printed.
  let onDisk = '';
  for (const entry of await readdir(world.dataDir, { recursive: true })) {
    const path = join(world.dataDir, entry);
    if ((await stat(path)).isFile()) onDisk += await readFile(path, 'latin1');
  }
  expect(onDisk).toContain(alice.id);
  expect(onDisk).not.toContain(alice.token);
  expect(world.serve!.stderr()).not.toContain(alice.token);
});

test('sign in with a password and the two-factor step', async ({ page }) => {
  const bob = demoUser('bob');
  await page.goto(world.serve!.url);
  await signInWithPassword(page, bob.email, bob.password);
  const code = page.getByLabel('Authentication code');
  await expect(code).toBeVisible();
  await code.fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Is not the current code.')).toBeVisible();
  await code.fill(world.sandbox.admin.totpCode(bob.id));
  await page.getByRole('button', { name: 'Verify' }).click();
  await openProfile(page);
  await expect(page.getByText(bob.id)).toBeVisible();
});

test('an admin bans a user, who then sees a read-only profile', async ({ page }) => {
  const admin = demoUser('admin');
  const dave = demoUser('dave');
  await page.goto(world.serve!.url);
  await signInWithPassword(page, admin.username, admin.password);
  await nav(page).getByRole('button', { name: /^Users/ }).click();
  const id = page.getByLabel('User ID');
  await id.fill('xyz');
  await id.blur();
  await expect(page.getByText('User ID must be 24 hexadecimal characters.')).toBeVisible();
  await id.fill(dave.id);
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('heading', { name: /Dave/ })).toBeVisible();
  await page.getByRole('button', { name: 'Ban user' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('will be able to sign in and read');
  await confirm.getByRole('button', { name: /^Ban / }).click();
  await expect(page.getByRole('button', { name: 'Lift the ban' })).toBeVisible();
  expect(world.sandbox.admin.getUser(dave.id)?.is_banned).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/users.png' });

  // Banning an admin is not offered, and says why.
  await id.fill(admin.id);
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('button', { name: 'Ban user' })).toBeDisabled();
  await expect(page.getByText('Admin users cannot be banned: remove the admin role first.')).toBeVisible();

  // Dave, added as a second account, sees the banner and no forms.
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: /Add another account/ }).click();
  await signInByToken(page.getByRole('dialog', { name: 'Add an account' }), world.sandbox.url, dave.token);
  await openProfile(page);
  await expect(page.getByText('This account is banned.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save alias' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/profile-banned.png' });
  world.sandbox.admin.setUserFlags(dave.id, { isBanned: false });
});

test('sign out of one account; after a restart the others are still signed in', async ({ page }) => {
  const carol = demoUser('carol');
  const admin = demoUser('admin');
  await page.goto(world.serve!.url);
  await signInWithToken(page, carol.token);
  await openProfile(page);
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: /Add another account/ }).click();
  await signInByPassword(page.getByRole('dialog', { name: 'Add an account' }), world.sandbox.url, admin.username, admin.password);
  await expect(page.getByRole('button', { name: /^Account: Admin/ })).toBeVisible();

  // Switch back to carol, then sign her out (with a confirmation).
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: /Carol/ }).click();
  await expect(page.getByRole('button', { name: /^Account: Carol/ })).toBeVisible();
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('menuitem', { name: /Sign out of Carol/ }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: /^Account: Admin/ })).toBeVisible();

  await world.serve!.stop();
  world.serve = await startServeProcess(['--data', world.dataDir]);
  await page.goto(world.serve.url);
  await openProfile(page);
  await expect(page.getByText(admin.id)).toBeVisible();
  await page.getByRole('button', { name: /^Account:/ }).click();
  await expect(page.getByRole('menuitem', { name: /Carol/ })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: /Admin/ }).first()).toBeVisible();
});
