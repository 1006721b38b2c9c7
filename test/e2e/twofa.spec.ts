import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { signInWithPassword } from './flows.js';
import { computersWorld } from './world.js';

// Two-factor sign-in as a person turns it on and off in Profile: serve mode in Chromium (with its
// strict CSP), the sandbox over HTTP, and the real keychain (npm test runs inside a private one).

const PASSWORD = 'Two-Factor-E2E-Pass-1';
const world = computersWorld('twofa');

async function openProfile(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Profile/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
}

test('turn on with the QR code, keep the backup codes, sign in with one, make new ones, turn off', async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  const person = await world.sandbox.admin.createUser({ password: PASSWORD });
  const serve = await world.computer();
  await page.goto(serve.url);
  await signInWithPassword(page, world.sandbox.url, person.username, PASSWORD);
  await openProfile(page);

  const card = page.getByRole('region', { name: 'Two-factor sign-in' });
  await expect(card.getByText('Off.')).toBeVisible();
  await card.getByLabel('Your password').fill(PASSWORD);
  await card.getByRole('button', { name: 'Set up two-factor sign-in' }).click();

  // The QR code is drawn in the window and allowed by the CSP: the image has loaded.
  const qr = card.getByRole('img', { name: 'QR code for your authenticator app' });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const secret = (await card.getByLabel('Setup key').textContent())!.replace(/\s+/g, '');
  const authenticator = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/twofa-setup.png', fullPage: true });

  await card.getByLabel('Code from your authenticator app').fill(authenticator.generate());
  await card.getByRole('button', { name: 'Confirm and turn on' }).click();

  const codes = page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const backupCodes = await codes.allTextContents();
  await page.getByRole('button', { name: 'Copy codes' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(backupCodes.join('\n'));
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download as a file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('hoody-backup-codes.txt');
  const saved = await readFile((await download.path())!, 'utf8');
  for (const code of backupCodes) expect(saved).toContain(code);
  await page.screenshot({ path: 'test-results/screenshots/twofa-backup-codes.png', fullPage: true });
  await page.getByRole('checkbox', { name: /saved my backup codes/ }).check();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(card.getByText(/since .*10 backup codes left/)).toBeVisible();
  await expect(codes).toHaveCount(0);

  // Turning it on ended the other sessions; this window kept working on the new tokens.
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(person.id)).toBeVisible();

  // Another computer: the password, then a backup code instead of the app's code.
  const other = await world.computer();
  await page.goto(other.url);
  await signInWithPassword(page, world.sandbox.url, person.username, PASSWORD);
  await page.getByLabel('Authentication code').fill(backupCodes[0]!.toLowerCase());
  await page.screenshot({ path: 'test-results/screenshots/signin-backup-code.png' });
  await page.getByRole('button', { name: 'Verify' }).click();
  await openProfile(page);
  await expect(card.getByText(/9 backup codes left/)).toBeVisible();

  // New backup codes need the app's code; the old ones are gone.
  await card.locator('summary', { hasText: 'Make new backup codes' }).click();
  const regenerate = card.getByRole('form', { name: 'Make new backup codes' });
  await regenerate.getByLabel('Your password').fill(PASSWORD);
  await regenerate.getByLabel('Code from your authenticator app').fill(authenticator.generate());
  await regenerate.getByRole('button', { name: 'Make new backup codes' }).click();
  await expect(codes).toHaveCount(10);
  const fresh = await codes.allTextContents();
  expect(fresh.filter((c) => backupCodes.includes(c))).toEqual([]);
  await page.getByRole('checkbox', { name: /saved my backup codes/ }).check();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.screenshot({ path: 'test-results/screenshots/twofa-on.png', fullPage: true });

  // Off again: password and a code.
  await card.locator('summary', { hasText: 'Turn off two-factor sign-in' }).click();
  const off = card.getByRole('form', { name: 'Turn off' });
  await off.getByLabel('Your password').fill(PASSWORD);
  await off.getByLabel(/or a backup code/).fill(fresh[0]!);
  await off.getByRole('button', { name: 'Turn off' }).click();
  await expect(card.getByText('Off.')).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/twofa-off.png' });
  expect(refused).toEqual([]);
});
