import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AccountSummary, SignInResult } from '../../common/accounts.js';
import type { Result } from '../../common/errors.js';
import type { ActivityRecord } from '../../common/hoody-types.js';
import { useActivity } from '../../renderer/src/stores/activity.js';
import { ActivityView } from '../../renderer/src/views/activity/ActivityView.js';
import { useSandbox } from '../support/sandbox.js';
import { useTempDir } from '../support/temp-dir.js';
import { installBridge } from './bridge.js';

// The activity view against the real core and the sandbox: filters checked as typed, pages, sorting,
// the row details, and the empty and error states.

const sandbox = useSandbox();
const tempDir = useTempDir();
const iso = (ms: number) => new Date(ms).toISOString();
const REALM = 'abcdefabcdefabcdefabcdef';

/** A user with `count` records one every 10 minutes back from t0, signed in; the view opens on `end_date = t0`. */
async function openView(count: number, options: { filters?: Record<string, unknown>; pageSize?: number } = {}) {
  const person = await sandbox().admin.createUser();
  const { token } = sandbox().admin.createApiToken({ userId: person.id });
  const t0 = Date.now() - 60_000;
  sandbox().admin.addActivity(
    Array.from({ length: count }, (_, i) => ({
      userId: person.id,
      method: ['GET', 'POST', 'DELETE'][i % 3]!,
      path: `/api/v1/vault/keys/key-${i}`,
      statusCode: [200, 404, 503, 301][i % 4]!,
      realmId: i % 2 ? REALM : '',
      ipAddress: `203.0.113.${i % 250}`,
      userAgent: `agent-${i}`,
      createdAt: t0 - i * 600_000,
    })),
  );
  const core = await installBridge(await tempDir(), undefined, { engine: { sleep: async () => {} } });
  const signIn = (await core.dispatch('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true })) as Result<SignInResult>;
  if (!signIn.ok || signIn.data.status !== 'signed-in') throw new Error('sign-in failed');
  const account: AccountSummary = signIn.data.account;
  // Bounded by t0, so the view's own calls (which the log records too) do not move the pages.
  await core.dispatch('activity.saveFilters', { filters: { end_date: iso(t0), ...options.filters }, pageSize: options.pageSize ?? 25 });
  const user = userEvent.setup();
  render(<ActivityView account={account} />);
  return { user, core, t0, token, account };
}

const bodyRows = () => within(screen.getAllByRole('rowgroup')[1]!).getAllByRole('row');

describe('the activity view', () => {
  it('checks the filters as typed with the API rules, applies them and keeps them', async () => {
    const { user, core } = await openView(40);
    await screen.findByText('Page 1 of 2 · 40 records');
    const apply = screen.getByRole('button', { name: 'Apply filters' });
    expect(apply).toBeDisabled();

    const min = screen.getByLabelText('Minimum status');
    await user.type(min, '99');
    expect(await screen.findByText('Minimum status must be a whole number from 100 to 599.')).toBeInTheDocument();
    expect(min).toHaveAttribute('aria-invalid', 'true');
    expect(apply).toBeDisabled();
    await user.clear(min);
    await user.type(min, '4x');
    expect(screen.getByText('Minimum status must be a whole number from 100 to 599.')).toBeInTheDocument();
    await user.clear(min);
    await user.type(min, '500');
    await user.type(screen.getByLabelText('Maximum status'), '400');
    expect(screen.getByText('Maximum status must not be below the minimum status.')).toBeInTheDocument();
    expect(screen.getByLabelText('Maximum status')).toHaveAttribute('aria-invalid', 'true');
    expect(min).not.toHaveAttribute('aria-invalid');
    await user.clear(screen.getByLabelText('Maximum status'));
    await user.type(screen.getByLabelText('Maximum status'), '599');

    const realm = screen.getByLabelText('Realm ID');
    await user.type(realm, 'not-hex');
    expect(screen.getByText('Realm ID must be 24 hexadecimal characters.')).toBeInTheDocument();
    await user.clear(realm);
    await user.type(realm, REALM.toUpperCase());
    expect(screen.queryByText(/Realm ID must be/)).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Method'), 'DELETE');
    expect(apply).toBeEnabled();
    await user.click(apply);

    // Status 503, realm set (odd i), DELETE (i % 3 == 2): i % 4 == 2, i odd — none; so widen to errors only.
    expect(await screen.findByRole('heading', { name: 'No activity matches these filters' })).toBeInTheDocument();
    await user.clear(min);
    await user.click(screen.getByRole('checkbox', { name: /Errors only/ }));
    await user.click(apply);
    // Errors only (404 at i%4==1, 503 at i%4==2), realm (odd i), DELETE (i%3==2): i ∈ {5, 17, 29}.
    await screen.findByText('Page 1 of 1 · 3 records');
    expect(bodyRows().map((row) => within(row).getAllByRole('cell')[2]!.textContent)).toEqual(['/api/v1/vault/keys/key-5', '/api/v1/vault/keys/key-17', '/api/v1/vault/keys/key-29']);

    // Kept in main for next time (the save runs beside the query, so it may land a moment later).
    await expect
      .poll(async () => ((await core.dispatch('activity.loadFilters', undefined)) as { data: { filters: unknown } }).data.filters)
      .toEqual({ end_date: expect.any(String), errors_only: 'true', max_status: 599, method: 'DELETE', realm_id: REALM });
  });

  it('shows pages with totals, moves between them, changes the page size and sorts the page', async () => {
    const { user } = await openView(60);
    await screen.findByText('Page 1 of 3 · 60 records');
    expect(bodyRows()).toHaveLength(25);
    expect(within(bodyRows()[0]!).getByText('/api/v1/vault/keys/key-0')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Page 2 of 3 · 60 records');
    expect(within(bodyRows()[0]!).getByText('/api/v1/vault/keys/key-25')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Last page' }));
    await screen.findByText('Page 3 of 3 · 60 records');
    expect(bodyRows()).toHaveLength(10);
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'First page' }));
    await screen.findByText('Page 1 of 3 · 60 records');

    await user.selectOptions(screen.getByLabelText('Rows per page'), '10');
    await screen.findByText('Page 1 of 6 · 60 records');
    expect(bodyRows()).toHaveLength(10);

    // Newest first is the server's order: the Time column says so; sorting by status reorders this page.
    const timeHeader = screen.getByRole('columnheader', { name: /Time/ });
    expect(timeHeader).toHaveAttribute('aria-sort', 'descending');
    await user.click(screen.getByRole('button', { name: /Status/ }));
    const statusHeader = screen.getByRole('columnheader', { name: /Status/ });
    expect(statusHeader).toHaveAttribute('aria-sort', 'descending');
    expect(timeHeader).not.toHaveAttribute('aria-sort');
    const statuses = () => bodyRows().map((row) => Number(within(row).getAllByRole('cell')[3]!.textContent));
    expect(statuses()).toEqual([...statuses()].sort((a, b) => b - a));
    await user.click(screen.getByRole('button', { name: /Status/ }));
    expect(statusHeader).toHaveAttribute('aria-sort', 'ascending');
    expect(statuses()).toEqual([...statuses()].sort((a, b) => a - b));
    expect(within(bodyRows()[0]!).getByText('200')).toHaveClass('status-badge', 'status-2xx');
    expect(screen.getAllByText('503')[0]).toHaveClass('status-5xx');
    expect(useActivity.getState().pageSize).toBe(10);
  });

  it('opens a row’s details by click or keyboard, and steps through the page', async () => {
    const { user } = await openView(12);
    await screen.findByText('Page 1 of 1 · 12 records');
    await user.click(within(bodyRows()[1]!).getByText('/api/v1/vault/keys/key-1'));
    const dialog = await screen.findByRole('dialog', { name: 'Call details' });
    const record = (await activityRecord(1))!;
    for (const text of ['/api/v1/vault/keys/key-1', '404', '4xx client error', '203.0.113.1', 'agent-1', REALM, record.id!, record.created_at!]) {
      expect(within(dialog).getByText(text)).toBeInTheDocument();
    }
    await user.click(within(dialog).getByRole('button', { name: 'Next' }));
    expect(within(dialog).getByText('agent-2')).toBeInTheDocument();
    expect(within(dialog).getByText('Global (no realm)')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    bodyRows()[3]!.focus();
    await user.keyboard('{ArrowDown}');
    expect(bodyRows()[4]).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(within(await screen.findByRole('dialog', { name: 'Call details' })).getByText('agent-4')).toBeInTheDocument();
  });

  it('says what to do when the server fails, and recovers on retry', async () => {
    sandbox().faults.add({ path: '/api/v1/users/auth/activity', status: 500 });
    try {
      const { user } = await openView(5);
      expect(await screen.findByRole('heading', { name: 'The activity log could not be loaded' })).toBeInTheDocument();
      expect(await screen.findByText(/The log's statistics could not be read/)).toBeInTheDocument();
      sandbox().faults.clear();
      await user.click(screen.getByRole('button', { name: 'Try again' }));
      await screen.findByText('Page 1 of 1 · 5 records');
    } finally {
      sandbox().faults.clear();
    }
  });

  it('offers to clear filters that match nothing', async () => {
    const { user } = await openView(5, { filters: { method: 'PATCH' } });
    expect(await screen.findByRole('heading', { name: 'No activity matches these filters' })).toBeInTheDocument();
    expect(screen.getByText('Widen the dates or clear the filters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Method')).toHaveValue('PATCH');
    await user.click(screen.getByRole('button', { name: 'Clear the filters' }));
    // Without an end date the view's own calls count too: at least the five seeded.
    await screen.findByText(/^Page 1 of 1 · \d+ records$/);
    expect(screen.getByLabelText('Method')).toHaveValue('');
    expect(screen.getByRole('region', { name: 'Log statistics' })).toHaveTextContent('30 days');
  });
});

/** The i-th newest record of the current user, as the view's store holds it. */
async function activityRecord(i: number): Promise<ActivityRecord | undefined> {
  return useActivity.getState().result?.records[i];
}
