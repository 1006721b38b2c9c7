import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';

// The app as a person uses it: serve mode started from its real entry point, driven in Chromium.

let dataDir: string;
let serve: ServeProcess | undefined;

test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-'));
  serve = await startServeProcess(['--data', dataDir]);
});
test.afterEach(async () => {
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('navigates the shell before sign-in and takes screenshots', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(serve!.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Hoody Vault' })).toBeVisible();
  await expect(page.getByText('Serve mode')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/sign-in.png' });
  for (const [view, heading] of [
    ['Settings', 'Settings'],
    ['Account', 'Sign in to Hoody Vault'],
  ] as const) {
    await nav.getByRole('button', { name: new RegExp(`^${view}`) }).click();
    await expect(nav.getByRole('button', { name: new RegExp(`^${view}`) })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
  }
  await page.mouse.move(900, 700); // keep hover hints out of the picture
  await nav.getByRole('button', { name: /^Settings/ }).click();
  await page.screenshot({ path: 'test-results/screenshots/settings.png' });
  // Keyboard only: Ctrl+5 goes to the settings, whatever the role (signed out, only it and Account are offered).
  await page.keyboard.press('Control+1');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Hoody Vault' })).toBeFocused();
  await page.keyboard.press('Control+5');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
  // The strict CSP holds with nothing refused and nothing failing.
  expect(errors).toEqual([]);
});

test('the page paints the app frame before any script runs, and the app replaces it', async ({ browser, page }) => {
  // Scripts off: what the window shows while 430 KB of JavaScript is fetched and started.
  const bare = await browser.newContext({ javaScriptEnabled: false });
  const before = await bare.newPage();
  await before.goto(serve!.url);
  await expect(before.getByRole('status')).toHaveText('Starting Hoody Vault…');
  await expect(before.locator('.sidebar .brand-name')).toHaveText('Hoody Vault');
  await expect(before.locator('.sidebar .brand-mark svg')).toBeVisible();
  await before.screenshot({ path: 'test-results/screenshots/start-frame.png' });
  await bare.close();
  // Scripts on: the same frame, drawn by React, with the sign-in page in it and the placeholder gone.
  await page.goto(serve!.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Hoody Vault' })).toBeVisible();
  await expect(page.getByText('Starting Hoody Vault…')).toHaveCount(0);
  await expect(page.getByRole('main')).toHaveCount(1);
});

test('a changed setting is kept across a restart', async ({ page }) => {
  await page.goto(serve!.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Settings/ }).click();
  const minutes = page.getByRole('spinbutton', { name: /idle minutes/ });
  await minutes.fill('0');
  await minutes.blur();
  await expect(page.getByText('Auto-lock must be a whole number of minutes from 1 to 1440.')).toBeVisible();
  await minutes.fill('7');
  await page.getByRole('radio', { name: 'Dark' }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved.');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await serve!.stop();
  serve = await startServeProcess(['--data', dataDir]);
  await page.goto(serve.url);
  await page.keyboard.press('Control+5');
  await expect(page.getByRole('spinbutton', { name: /idle minutes/ })).toHaveValue('7');
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.mouse.move(900, 700);
  await page.screenshot({ path: 'test-results/screenshots/settings-dark.png' });
});

test('the page cannot be reached without the secret, even from the same browser', async ({ page }) => {
  const origin = new URL(serve!.url).origin;
  const response = await page.goto(`${origin}/`);
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).not.toContainText('Hoody Vault');
});
