import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { testBudget } from './waits.js';

// The activity log as a person uses it, in Chromium against serve mode and a sandbox seeded with
// weeks of demo activity: filter, page, details, charts with progress, a CSV export downloaded.

let sandbox: Sandbox;
let dataDir: string;
let serve: ServeProcess | undefined;

test.use({ viewport: { width: 1280, height: 1180 } });
test.beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true, faults: true });
});
test.afterAll(async () => {
  await sandbox?.close();
});
test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoody-e2e-activity-'));
  serve = await startServeProcess(['--data', dataDir]);
});
test.afterEach(async () => {
  sandbox.faults.clear();
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function signInDemoUser(page: Page) {
  const person = sandbox.demo!.users.find((u) => !u.is_admin && !u.is_banned && !u.totp_secret)!;
  await page.goto(serve!.url);
  await page.getByText('Another server').click();
  await page.getByLabel('Server address').fill(sandbox.url);
  await page.getByRole('radio', { name: 'API token' }).check();
  await page.getByLabel('Token', { exact: true }).fill(person.token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vault' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Activity/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
  return person;
}

/** RFC 4180 rows (quoted fields may hold commas, doubled quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  expect(row).toEqual([]);
  return rows;
}

test('filter, page, open a call, chart with progress, export CSV', async ({ page }) => {
  test.setTimeout(testBudget(0, 120_000));
  const cspViolations: string[] = [];
  page.on('console', (message) => /Content Security Policy|Refused to/.test(message.text()) && cspViolations.push(message.text()));
  await signInDemoUser(page);

  // Statistics and the first page of weeks of seeded activity.
  const stats = page.getByRole('region', { name: 'Log statistics' });
  await expect(stats).toContainText('Retention');
  await expect(stats).toContainText('30 days');
  await expect(page.getByText(/^Page 1 of \d+ · [\d,]+ records$/)).toBeVisible();

  // A filter checked as typed, then applied: GET calls that failed.
  await page.getByLabel('Minimum status').fill('99');
  await expect(page.getByText('Minimum status must be a whole number from 100 to 599.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Apply filters' })).toBeDisabled();
  await page.getByLabel('Minimum status').fill('');
  await page.getByLabel('Method').selectOption('GET');
  await page.getByRole('checkbox', { name: /Errors only/ }).check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const summary = page.getByText(/^Page 1 of \d+ · [\d,]+ records$/);
  await expect(summary).toBeVisible();
  const body = page.locator('.activity-table tbody');
  await expect(body.locator('tr').first()).toBeVisible();
  for (const method of await body.locator('.col-method').allTextContents()) expect(method).toBe('GET');
  for (const status of await body.locator('.col-status').allTextContents()) expect(Number(status)).toBeGreaterThanOrEqual(400);

  // Ten to a page, then the second page.
  await page.getByLabel('Rows per page').selectOption('10');
  await expect(page.getByText(/^Page 1 of \d+ · [\d,]+ records$/)).toBeVisible();
  const total = Number((await page.getByText(/^Page 1 of \d+ · [\d,]+ records$/).textContent())!.match(/· ([\d,]+) records/)![1]!.replace(/,/g, ''));
  expect(total).toBeGreaterThan(10);
  await expect(body.locator('tr')).toHaveCount(10);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/^Page 2 of \d+ · [\d,]+ records$/)).toBeVisible();

  // A row's details, by keyboard. (The rows of page 2 may still be replacing page 1's: retry the
  // focus-and-Enter until a row that stays in the page takes it.)
  const dialog = page.getByRole('dialog', { name: 'Call details' });
  await expect(async () => {
    await body.locator('tr').first().focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 30_000 });
  for (const label of ['Time', 'Path', 'Status', 'IP address', 'User agent', 'Realm']) await expect(dialog.getByRole('rowheader', { name: label })).toBeVisible();
  await expect(dialog.getByText('GET', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'First page' }).click();
  await expect(page.getByText(/^Page 1 of \d+ · /)).toBeVisible();
  await scrollMain(page, 0);
  await page.screenshot({ path: 'test-results/screenshots/activity-table.png' });

  // Export the filtered log (failed GETs) as CSV: serve mode downloads it in the window.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^hoody-activity-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
  const rows = parseCsv(await readFile((await download.path())!, 'utf8'));
  expect(rows[0]).toEqual(['created_at', 'method', 'path', 'status_code', 'realm_id', 'ip_address', 'user_agent', 'id', 'user_id']);
  const records = rows.slice(1);
  // The log grows as the app reads it, but only with successful calls: the filtered total holds.
  expect(records).toHaveLength(total);
  expect(new Set(records.map((r) => r[7])).size).toBe(total);
  for (const record of records) {
    expect(record).toHaveLength(9);
    expect(record[1]).toBe('GET');
    expect(Number(record[3])).toBeGreaterThanOrEqual(400);
  }
  await expect(page.getByText(`Downloaded ${download.suggestedFilename()} with ${total.toLocaleString('en-US')} records.`)).toBeVisible();

  // Charts over the whole log (four pages or so), slowed down so the progress shows.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByLabel('Method')).toHaveValue('');
  await expect(page.getByText(/^Page 1 of \d+ · [\d,]+ records$/)).not.toHaveText(`Page 1 of ${Math.ceil(total / 10)} · ${total} records`);
  await page.getByRole('tab', { name: 'Charts' }).click();
  await page.getByLabel('Pages to read').fill('5');
  sandbox.faults.add({ path: '/api/v1/users/auth/activity', method: 'GET', latencyMs: 500, times: 8 });
  await page.getByRole('button', { name: 'Build charts' }).click();
  const progress = page.getByRole('progressbar', { name: 'Reading the log for the charts' });
  await expect(progress).toHaveAttribute('aria-valuenow', /^[1-3]$/);
  await expect(progress).toHaveAttribute('aria-valuemax', /^[3-5]$/);
  await expect(page.getByText(/of [3-5] pages read, [\d,]+ records/)).toBeVisible();
  await expect(progress).toBeHidden({ timeout: 30_000 });
  await expect(page.getByRole('figure', { name: /Requests over time/ })).toBeVisible();
  await expect(page.getByText(/^All [\d,]+ matching calls/)).toBeVisible();
  await expect(page.getByRole('figure', { name: /Requests over time/ }).locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('figure', { name: /Busiest paths/ }).locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('figure', { name: /Busiest paths/ })).toContainText(':id');
  await expect(page.getByRole('figure', { name: /Method mix/ })).toContainText('DELETE');
  await scrollMain(page, '.activity-tabbar');
  await page.screenshot({ path: 'test-results/screenshots/activity-charts.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/activity-charts-dark.png' });
  await page.getByRole('tab', { name: 'Log' }).click();
  await expect(body.locator('tr').first()).toBeVisible();
  await scrollMain(page, 0);
  await page.screenshot({ path: 'test-results/screenshots/activity-table-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(cspViolations).toEqual([]);
});

test('the last filters come back after a restart', async ({ page }) => {
  await signInDemoUser(page);
  await page.getByLabel('Method').selectOption('DELETE');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText(/^Page 1 of \d+ · [\d,]+ records$/)).toBeVisible();
  // Saved beside the query, so it may land a moment after the table.
  await expect.poll(async () => (await savedFilters(dataDir))?.filters).toEqual({ method: 'DELETE' });

  // The same data folder, a new serve process: a token sign-in is kept in the keychain and the filters on disk.
  await serve!.stop();
  serve = await startServeProcess(['--data', dataDir]);
  await page.goto(serve.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Activity/ }).click();
  await expect(page.getByLabel('Method')).toHaveValue('DELETE');
  await expect(page.locator('.activity-table tbody .col-method').first()).toHaveText('DELETE');
});

/** Scrolls the view (the main landmark scrolls, not the page) to the top or to put an element at the top. */
async function scrollMain(page: Page, to: 0 | string) {
  await page.locator('#main').evaluate((main, target) => {
    const element = typeof target === 'string' ? main.querySelector<HTMLElement>(target) : null;
    main.scrollTo(0, element ? element.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16 : 0);
  }, to);
}

/** The saved filters file in the data folder (one per account, under a hashed folder name), if written yet. */
async function savedFilters(dir: string): Promise<{ filters?: unknown } | undefined> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(join(dir, 'accounts'), { recursive: true }).catch(() => []);
  const file = entries.map(String).find((entry) => entry.endsWith('activity-filters.json'));
  if (!file) return undefined;
  return JSON.parse(await readFile(join(dir, 'accounts', file), 'utf8')) as { filters?: unknown };
}
