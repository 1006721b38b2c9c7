import { serveWorld } from './world.js';
import { expect, test, type Page } from '@playwright/test';
import { signInWithToken } from './flows.js';

// The vault as a working surface (issue 14 B): one scroll area, compact rows where the window is
// short, and enough entries in view to work in, at a laptop's size and at a small window's.

const world = serveWorld('density');

/** Rows wholly inside the list's visible area: what a person can read without scrolling. */
async function visibleRows(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.querySelector('[role="list"][aria-label^="Entries in"]');
    if (!list) return 0;
    const box = list.getBoundingClientRect();
    const bottom = Math.min(box.bottom, window.innerHeight);
    return [...list.querySelectorAll('[role="listitem"]')].filter((row) => {
      const r = row.getBoundingClientRect();
      return r.height > 0 && r.top >= box.top - 0.5 && r.bottom <= bottom + 0.5;
    }).length;
  });
}

/** Everything that scrolls vertically in the page: the list must be the only one. */
async function scrollers(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('*')]
      .filter((el) => el.scrollHeight > el.clientHeight + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowY))
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`),
  );
}

/** As flows.setUpVault, waiting on the state rather than a fixed time: Argon2id 256 MiB is slow on a busy machine. */
async function setUpVault(page: Page, passphrase: string) {
  await page.getByLabel('Vault passphrase').fill(passphrase);
  await page.getByLabel('Type it again').fill(passphrase);
  await page.getByRole('checkbox', { name: /nobody can reset/ }).check();
  await expect(page.getByRole('button', { name: 'Create my vault' })).toBeEnabled({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Create my vault' }).click();
  await expect(page.getByRole('heading', { name: 'Keep your recovery key' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('checkbox', { name: /saved my recovery key/ }).check();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('button', { name: 'New secret' })).toBeVisible({ timeout: 30_000 });
}

async function setTheme(page: Page, theme: 'light' | 'dark') {
  await page.evaluate(async (t) => {
    await (window as unknown as { hoody: { settings: { update(p: unknown): Promise<unknown> } } }).hoody.settings.update({ theme: t });
  }, theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test('at 1280×800 at least 12 entries are in view, at 900×640 at least 6, in one scroll area', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const user = await world.sandbox.admin.createUser();
  const { token } = world.sandbox.admin.createApiToken({ userId: user.id, vaultAccess: true });
  await page.goto(world.serve!.url);
  await signInWithToken(page, world.sandbox.url, token);
  await expect(page.getByRole('heading', { level: 1, name: 'Vault', exact: true })).toBeVisible();
  await setUpVault(page, 'dense list of many words');
  await page.evaluate(async () => {
    const api = (window as unknown as { hoody: { vault: { save(input: unknown): Promise<{ ok: boolean }> } } }).hoody;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, n) => api.vault.save({ realmId: '', key: `service-${String(n).padStart(2, '0')}`, value: `value ${n}`, notes: n % 3 ? `note for service ${n}` : '', mode: 'create' })),
    );
    if (results.some((r) => !r.ok)) throw new Error('a save failed');
  });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText('40 entries.')).toBeVisible();

  // 800 px is short: compact rows by default.
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'true');
  expect(await visibleRows(page)).toBeGreaterThanOrEqual(12);
  expect(await scrollers(page)).toEqual(['div.entry-list']);
  await page.screenshot({ path: 'test-results/screenshots/vault-dense-1280x800-light.png' });
  await setTheme(page, 'dark');
  await page.screenshot({ path: 'test-results/screenshots/vault-dense-1280x800-dark.png' });

  await page.setViewportSize({ width: 900, height: 640 });
  await expect.poll(() => visibleRows(page)).toBeGreaterThanOrEqual(6);
  expect(await scrollers(page)).toEqual(['div.entry-list']);
  await page.screenshot({ path: 'test-results/screenshots/vault-dense-900x640-dark.png' });
  await setTheme(page, 'light');
  await page.screenshot({ path: 'test-results/screenshots/vault-dense-900x640-light.png' });

  // Comfortable rows are one click away, and the choice is kept.
  await page.getByRole('button', { name: 'Compact rows' }).click();
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'false');
  await page.screenshot({ path: 'test-results/screenshots/vault-comfortable-900x640-light.png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await visibleRows(page)).toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: 'test-results/screenshots/vault-comfortable-1280x800-light.png' });
});
