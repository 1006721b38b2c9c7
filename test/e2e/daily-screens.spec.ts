import { serveWorld } from './world.js';
import { expect, test, type Page } from '@playwright/test';

// The screens issue 14 changed, at 1280×800 and 900×640 in both themes, for a person to look at:
// signing in (Another server's hint) and Admin › Users (opened by id, with the ids offered).

const world = serveWorld('screens', { seedDemo: true });

const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 640 },
] as const;

async function shoot(page: Page, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate(async (t) => {
        await (window as unknown as { hoody: { settings: { update(p: unknown): Promise<unknown> } } }).hoody.settings.update({ theme: t });
      }, theme);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.mouse.move(size.width - 5, size.height - 5);
      await page.screenshot({ path: `test-results/screenshots/${name}-${size.width}x${size.height}-${theme}.png` });
    }
  }
}

test('sign-in and Admin › Users, at both sizes and in both themes', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(world.serve!.url);
  await page.getByText('Another server').click();
  await expect(page.getByText(/with or without \/api\/v1/)).toBeVisible();
  await shoot(page, 'sign-in-another-server');

  const admin = world.sandbox.demo!.users.find((u) => u.is_admin)!;
  await page.getByLabel('Server address').fill(`${world.sandbox.url}/api/v1`);
  await page.getByRole('radio', { name: 'API token' }).check();
  await page.getByLabel('Token', { exact: true }).fill(admin.token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vault', exact: true })).toBeVisible();
  await page.keyboard.press('Control+4');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  const offered = page.getByRole('navigation', { name: 'Users to open' });
  await expect(offered.getByRole('button').first()).toBeVisible({ timeout: 15_000 });
  await offered.getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: 'Roles' })).toBeVisible();
  await shoot(page, 'admin-users');
});
