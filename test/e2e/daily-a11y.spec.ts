import { serveWorld } from './world.js';
import { expect, test, type Page } from '@playwright/test';

// Issue 14 A.17 and A.19, measured in Chromium as axe measures them: no stray horizontal scrollbar
// on the charts at 900 px, method labels at AA contrast, nothing focusable inside an aria-hidden
// chart, and nothing hidden from assistive technology while the account menu is open.

const world = serveWorld('a11y', { seedDemo: true });

async function signInDemoUser(page: Page) {
  const person = world.sandbox.demo!.users.find((u) => !u.is_admin && !u.is_banned && !u.totp_secret)!;
  await page.goto(world.serve!.url);
  await page.getByText('Another server').click();
  await page.getByLabel('Server address').fill(world.sandbox.url);
  await page.getByRole('radio', { name: 'API token' }).check();
  await page.getByLabel('Token', { exact: true }).fill(person.token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vault', exact: true })).toBeVisible();
}

/** WCAG contrast of an element's text against the first opaque background behind it. */
function contrastOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    let bg: number[] = [255, 255, 255];
    for (let n: Element | null = el; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0.99)) {
        bg = c.slice(0, 3);
        break;
      }
    }
    const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(bg)].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  }, selector);
}

test('charts at 900 px: no horizontal scrollbar, readable method labels, nothing focusable behind aria-hidden', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 900, height: 640 });
  await signInDemoUser(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Activity/ }).click();
  await expect(page.locator('.activity-table tbody tr').first()).toBeVisible({ timeout: 20_000 });
  // The method labels of the table, PATCH among them, at AA contrast on both themes.
  await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.className = 'method-badge method-patch';
    probe.id = 'patch-probe';
    probe.textContent = 'PATCH';
    document.querySelector('.activity-table')!.appendChild(probe);
  });
  expect(await contrastOf(page, '#patch-probe')).toBeGreaterThanOrEqual(4.5);

  await page.getByRole('tab', { name: 'Charts' }).click();
  await page.getByRole('button', { name: 'Build charts' }).click();
  await expect(page.locator('.chart-box').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.chart-box')).toHaveCount(3, { timeout: 60_000 });
  // Hover a bar so the tooltip is drawn, then look for overflow anywhere in the page.
  // Near the right edge is where the tooltip would hang out of the box.
  for (const box of await page.locator('.chart-box').all()) {
    const size = (await box.boundingBox())!;
    await box.hover({ position: { x: size.width - 6, y: Math.min(100, size.height / 2) } });
  }
  const wide = await page.evaluate(() =>
    [document.scrollingElement!, ...document.querySelectorAll('main, .content')].filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'hidden').map((el) => el.tagName),
  );
  expect(wide).toEqual([]);
  const focusableHidden = await page.evaluate(() =>
    [...document.querySelectorAll('[aria-hidden="true"] *')].filter((el) => (el as HTMLElement).tabIndex >= 0 && !(el as HTMLElement).hasAttribute('disabled')).map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(focusableHidden).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/activity-charts-900.png' });
});

test('the account menu hides nothing that can still take focus; sign-in links are tall enough to hit', async ({ page }) => {
  test.setTimeout(60_000);
  // The sandbox's "Use alice" links (drawn as the sign-in form draws them) are at least 24 px tall.
  await page.goto(world.serve!.url);
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  const height = await page.evaluate(() => {
    const panel = document.createElement('div');
    panel.className = 'sandbox-panel';
    panel.innerHTML = '<ul><li><button type="button" class="button link sandbox-user">Use alice</button><span class="muted small">admin</span></li></ul>';
    document.querySelector('form[aria-label="Sign in"]')!.appendChild(panel);
    return panel.querySelector('button')!.getBoundingClientRect().height;
  });
  expect(height).toBeGreaterThanOrEqual(24);
  await signInDemoUser(page);
  await page.getByRole('button', { name: /^Account:/ }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  const hiddenFocusable = await page.evaluate(() =>
    [...document.querySelectorAll('[aria-hidden="true"]')].flatMap((root) =>
      [...root.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')].filter((el) => (el as HTMLElement).tabIndex >= 0 && !(el as HTMLButtonElement).disabled).map((el) => el.outerHTML.slice(0, 60)),
    ),
  );
  expect(hiddenFocusable).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/account-menu-open.png' });
});
