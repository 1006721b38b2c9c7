import { expect, test, type Page } from '@playwright/test';
import { signedInWithVault } from './flows.js';
import { testBudget } from './waits.js';
import { serveWorld } from './world.js';

// The vault list's rows (issue 16 §4): every row of a density has one height, so the list can place
// rows by index without measuring them and a search keystroke costs the rows in view at any vault
// size. Long notes are cut to one line but readable in full (tooltip); a revealed value grows its
// row, pushes the rows below down, and can be read to its end; the list scrolls to its last entry.

const world = serveWorld('vault-rows');
const COUNT = 120;
const LONG_NOTES = `${'Rotated every quarter by the platform team; ask in #infra before changing. '.repeat(5)}End of the note.`;
const LONG_VALUE = Array.from({ length: 40 }, (_, n) => `line ${n + 1}: ${'x'.repeat(60 + n)}`).join('\n');
const LONG_KEY = `aaa-${'very-long-service-name-'.repeat(6)}key`;

/** The drawn rows: their entry name, top and height in the page, and position in the list. */
async function rows(page: Page): Promise<Array<{ key: string; top: number; height: number; posinset: number; setsize: number }>> {
  return page.getByRole('list', { name: /^Entries in/ }).evaluate((list) =>
    [...list.querySelectorAll<HTMLElement>('[role="listitem"]')]
      .map((row) => {
        const box = row.getBoundingClientRect();
        return { key: row.querySelector('.entry-key')!.textContent!, top: box.top, height: box.height, posinset: Number(row.getAttribute('aria-posinset')), setsize: Number(row.getAttribute('aria-setsize')) };
      })
      .sort((a, b) => a.top - b.top),
  );
}

test('rows keep one height per density; long notes are cut but readable; a revealed value grows its row alone', async ({ page }) => {
  test.setTimeout(testBudget(1, 120_000));
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signedInWithVault(page, world, 'rows of one height each');
  await page.evaluate(
    async ({ count, longNotes, longValue, longKey }) => {
      const api = (window as unknown as { hoody: { vault: { save(input: unknown): Promise<{ ok: boolean }> } } }).hoody;
      const saves = [
        { key: 'aaa-long-value', value: longValue, notes: longNotes },
        { key: longKey, value: 'short', notes: longNotes },
        ...Array.from({ length: count - 2 }, (_, n) => ({ key: `service-${String(n).padStart(3, '0')}`, value: `value ${n}`, notes: n % 3 ? `note for service ${n}` : '' })),
      ];
      const results = await Promise.all(saves.map((save) => api.vault.save({ realmId: '', mode: 'create', ...save })));
      if (results.some((r) => !r.ok)) throw new Error('a save failed');
    },
    { count: COUNT, longNotes: LONG_NOTES, longValue: LONG_VALUE, longKey: LONG_KEY },
  );
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(`${COUNT} entries.`)).toBeVisible();
  const list = page.getByRole('list', { name: /^Entries in/ });

  // Comfortable (a tall window): every drawn row is 56 px, and the rows are drawn, not all 120.
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'false');
  const comfortable = await rows(page);
  expect(new Set(comfortable.map((row) => row.height))).toEqual(new Set([56]));
  expect(comfortable.length).toBeLessThan(COUNT);
  expect(comfortable.every((row) => row.setsize === COUNT)).toBe(true);

  // The long note is one line with an ellipsis, and its whole text is the line's tooltip.
  const note = list.getByRole('listitem').filter({ hasText: 'aaa-long-value' }).locator('.entry-notes');
  await expect(note).toHaveAttribute('title', LONG_NOTES);
  expect(await note.evaluate((p) => p.scrollWidth > p.clientWidth && getComputedStyle(p).textOverflow === 'ellipsis')).toBe(true);

  // Compact: 36 px each, a long name with notes included (its notes stay on its line).
  await page.getByRole('button', { name: 'Compact rows' }).click();
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => [...new Set((await rows(page)).map((row) => row.height))]).toEqual([36]);
  await page.screenshot({ path: 'test-results/screenshots/vault-rows-compact.png' });

  // A revealed value: its row grows to show it, the next row starts where it ends, the others keep
  // their height, and the value can be scrolled to its last line.
  await list.getByRole('button', { name: 'Reveal aaa-long-value' }).click();
  const value = list.getByLabel('Value of aaa-long-value');
  await expect(value).toBeVisible();
  expect(await value.evaluate((pre) => pre.textContent)).toBe(LONG_VALUE);
  await expect
    .poll(async () => {
      const [first, second, ...rest] = await rows(page);
      return first!.key === 'aaa-long-value' && first!.height > 36 + 100 && Math.abs(second!.top - (first!.top + first!.height)) < 0.5 && rest.every((row) => row.height === 36);
    })
    .toBe(true);
  await value.evaluate((pre) => (pre.scrollTop = pre.scrollHeight));
  await expect(value).toBeVisible();
  expect(await value.evaluate((pre) => pre.scrollHeight > pre.clientHeight && pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 1)).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/vault-rows-compact-revealed.png' });
  await page.getByRole('button', { name: 'Compact rows' }).click();
  await expect.poll(async () => (await rows(page)).slice(1).every((row) => row.height === 56)).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/vault-rows-comfortable-revealed.png' });

  // Scrolled to the end, the last entry is drawn and in view, placed as the last of 120.
  await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect.poll(async () => (await rows(page)).at(-1)?.posinset).toBe(COUNT);
  await expect(list.getByRole('listitem').filter({ hasText: 'service-117' })).toBeInViewport();

  // A search keeps the heights, and the revealed value stays with its row.
  await page.getByRole('searchbox', { name: 'Search names and notes' }).fill('aaa');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  const found = await rows(page);
  expect(found.map((row) => [row.key, row.setsize])).toEqual([
    ['aaa-long-value', 2],
    [LONG_KEY, 2],
  ]);
  expect(found[1]!.height).toBe(56);
  expect(Math.abs(found[1]!.top - (found[0]!.top + found[0]!.height))).toBeLessThan(0.5);
});

test('rows are reused for other entries, and focus stays with its entry: back to the row after Edit, to the search after a delete', async ({ page }) => {
  test.setTimeout(testBudget(1, 120_000));
  await page.setViewportSize({ width: 1280, height: 1000 });
  await signedInWithVault(page, world, 'focus follows the entry');
  await page.evaluate(async () => {
    const api = (window as unknown as { hoody: { vault: { save(input: unknown): Promise<{ ok: boolean }> } } }).hoody;
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => api.vault.save({ realmId: '', mode: 'create', key: `entry-${String(n).padStart(2, '0')}`, value: `v${n}`, notes: n % 2 ? 'odd' : 'even' })));
    if (results.some((r) => !r.ok)) throw new Error('a save failed');
  });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText('30 entries.')).toBeVisible();
  const list = page.getByRole('list', { name: /^Entries in/ });
  const search = page.getByRole('searchbox', { name: 'Search names and notes' });

  // A search fills the first row with another entry: the row element is the same, its entry is not.
  const firstRow = list.getByRole('listitem').first();
  await expect(firstRow).toContainText('entry-00');
  const before = await firstRow.elementHandle();
  await search.fill('odd');
  await expect(firstRow).toContainText('entry-01');
  expect(await before!.evaluate((row) => row.isConnected && row.textContent!.includes('entry-01'))).toBe(true);
  await search.fill('');

  // Edit, then Cancel: focus is back on the Edit button of the same entry.
  await list.getByRole('button', { name: 'Edit entry-04' }).click();
  await page.getByRole('dialog', { name: 'Edit entry-04' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(list.getByRole('button', { name: 'Edit entry-04' })).toBeFocused();

  // Delete: the row that held entry-04 now shows entry-05; focus does not land on its Delete button.
  await list.getByRole('button', { name: 'Delete entry-04' }).press('Enter');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Deleted entry-04.')).toBeVisible();
  await expect(search).toBeFocused();
  await expect(list.getByRole('button', { name: 'Delete entry-05' })).not.toBeFocused();
});
