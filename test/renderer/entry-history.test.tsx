import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../common/errors.js';
import type { VaultItem } from '../../common/vault.js';
import type { Core } from '../../main/core/core.js';
import { EntryEditor } from '../../renderer/src/views/vault/EntryEditor.js';
import { installBridge } from './bridge.js';
import { resetStores } from './vault-harness.js';

// The Edit dialog as a person uses it: the current value masked until asked for, the earlier values
// with their dates (masked, shown, copied, restored in one click), and renaming the key, including
// a rename whose deletion failed and the second try that finishes it. Main is answered here by a
// small stand-in holding one secret (a vault key cannot be made under jsdom, whose typed arrays
// libsodium refuses); what main itself does is tested over the sandbox in
// test/main/core/vault/value-history.test.ts and rename.test.ts, and in test/e2e/history.spec.ts.

const d1 = '2026-11-20T09:15:00.000Z';
const d2 = '2026-11-24T16:40:00.000Z';
const item: VaultItem = { key: 'stripe', realmId: '', kind: 'secret', format: 'hv1', notes: 'payments', size: 10, storedBytes: 400, createdAt: d1, updatedAt: '2026-11-27T08:00:00.000Z' };

interface Held {
  key: string;
  current: string;
  history: Array<{ value: string; at: string }>;
  failDeletes: number;
  calls: Array<[string, unknown]>;
}

const cores: Core[] = [];
let held: Held;
beforeEach(async () => {
  resetStores();
  held = { key: 'stripe', current: 'sk_current', history: [{ value: 'sk_second', at: d2 }, { value: 'sk_first', at: d1 }], failDeletes: 0, calls: [] };
  const ok = <T,>(data: T): Result<T> => ({ ok: true, data });
  cores.push(
    await installBridge(await mkdtemp(join(tmpdir(), 'entry-history-')), async (op, input) => {
      const i = input as { key: string; index?: number; at?: string; newKey?: string };
      held.calls.push([op, input]);
      const earlier = () => (held.history[i.index!]?.at === i.at ? held.history[i.index!] : undefined);
      switch (op) {
        case 'vault.reveal':
          return ok({ value: held.current, format: 'hv1' });
        case 'vault.copy':
          return ok({ by: 'renderer', value: held.current, clearAfterSeconds: 30 });
        case 'vault.history':
          return ok({ key: held.key, realmId: '', max: 10, items: held.history.map((h, index) => ({ index, at: h.at, size: h.value.length })) });
        case 'vault.revealHistoryValue':
          return ok({ value: earlier()!.value, at: i.at });
        case 'vault.copyHistoryValue':
          return ok({ by: 'renderer', value: earlier()!.value, clearAfterSeconds: 30 });
        case 'vault.restoreValue': {
          const value = earlier()!.value;
          held.history.unshift({ value: held.current, at: new Date().toISOString() });
          held.current = value;
          return ok({ ...item, updatedAt: new Date().toISOString() });
        }
        case 'vault.renameKey':
          if (held.failDeletes > 0) {
            held.failDeletes -= 1;
            return { ok: false, error: { code: 'SERVER_ERROR', status: 500, message: `“${i.newKey}” was stored, but “${i.key}” could not be deleted: Injected fault. Both exist now: rename “${i.key}” to “${i.newKey}” again to finish; nothing is copied twice.`, fields: { key: 'still exists beside the copy: rename again to finish' } } };
          }
          held.key = i.newKey!;
          return ok({ item: { ...item, key: i.newKey }, pending: false, resumed: held.calls.filter(([o]) => o === 'vault.renameKey').length > 1 });
        case 'vault.list':
          return { ok: false, error: { code: 'LOCKED', message: 'not under test' } };
        default:
          return undefined;
      }
    }),
  );
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

const asked = (op: string) => held.calls.filter(([o]) => o === op).map(([, input]) => input);

/** Opens the Edit dialog and types `newKey` in the Key field, and `value` in the Value field when given. */
async function renameTyped(newKey: string, { value, onClose = () => {} }: { value?: string; onClose?: () => void } = {}) {
  const user = userEvent.setup();
  render(<EntryEditor entry={item} remainingBytes={1e9} onClose={onClose} />);
  const key = screen.getByRole('textbox', { name: 'Key' });
  await user.clear(key);
  await user.type(key, newKey);
  if (value !== undefined) await user.type(screen.getByRole('textbox', { name: 'Value' }), value);
  return { user, key };
}

describe('the Edit dialog', { timeout: 30_000 }, () => {
  it('shows the current value masked, and reveals it only on request', async () => {
    const user = userEvent.setup();
    render(<EntryEditor entry={item} remainingBytes={1e9} onClose={() => {}} />);
    const current = screen.getByLabelText('current value of stripe');
    expect(current).toHaveTextContent('••••');
    expect(document.body).not.toHaveTextContent('sk_current');
    await user.click(screen.getByRole('button', { name: 'Show current value of stripe' }));
    expect(await screen.findByText('sk_current')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Hide current value of stripe' }));
    expect(document.body).not.toHaveTextContent('sk_current');
  });

  it('lists the earlier values by date, masked; shows and copies one; restores one in a click', async () => {
    const user = userEvent.setup();
    render(<EntryEditor entry={item} remainingBytes={1e9} onClose={() => {}} />);
    const section = await screen.findByRole('region', { name: 'Earlier values' });
    await waitFor(() => expect(within(section).getAllByRole('listitem')).toHaveLength(2));
    expect(within(section).getByRole('heading')).toHaveTextContent('Earlier values (2 of at most 10)');
    expect([...section.querySelectorAll('time')].map((t) => t.getAttribute('datetime'))).toEqual([d2, d1]);
    expect(section).not.toHaveTextContent(/sk_/);
    const [newer, older] = within(section).getAllByRole('listitem');
    await user.click(within(older!).getByRole('button', { name: /^Show value of stripe from/ }));
    expect(await within(older!).findByText('sk_first')).toBeInTheDocument();
    await user.click(within(newer!).getByRole('button', { name: /^Copy the value of stripe from/ }));
    expect(await screen.findByRole('status')).toHaveTextContent(/Copied the value from .*cleared in 30 s/);
    expect(await navigator.clipboard.readText()).toBe('sk_second');

    await user.click(within(older!).getByRole('button', { name: /^Restore the value of stripe from/ }));
    expect(await screen.findByText(/Restored the value from/)).toBeInTheDocument();
    await waitFor(() => expect(within(section).getAllByRole('listitem')).toHaveLength(3));
    expect(asked('vault.restoreValue')).toEqual([{ realmId: '', key: 'stripe', index: 1, at: d1 }]);
    expect(held.current).toBe('sk_first');
    // The value the restore replaced is now the newest earlier one.
    const first = within(section).getAllByRole('listitem')[0]!;
    await user.click(within(first).getByRole('button', { name: /^Show value of stripe from/ }));
    expect(await within(first).findByText('sk_current')).toBeInTheDocument();
  });

  it('renames from the Key field, checked by the API key rules as typed; only the key changed, so nothing else is saved', async () => {
    const onClose = vi.fn();
    const { user, key } = await renameTyped('has space', { onClose });
    expect(screen.getByText('Key must be 1 to 255 characters of letters, digits, dot, underscore or hyphen.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rename and save' })).toBeDisabled();
    await user.clear(key);
    await user.type(key, 'stripe-live');
    await user.click(screen.getByRole('button', { name: 'Rename and save' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    // Only the key changed: a rename, and no save of the value or the notes.
    expect(asked('vault.renameKey')).toEqual([{ realmId: '', key: 'stripe', newKey: 'stripe-live' }]);
    expect(asked('vault.save')).toEqual([]);
  });

  it('says both exist when the old name could not be deleted, and the next click finishes without a duplicate', async () => {
    const onClose = vi.fn();
    const { user } = await renameTyped('stripe-live', { onClose });
    held.failDeletes = 1;
    await user.click(screen.getByRole('button', { name: 'Rename and save' }));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent).join(' ')).toMatch(/“stripe-live” was stored, but “stripe” could not be deleted.*Both exist now/);
    expect(screen.getByText('Still exists beside the copy: rename again to finish.')).toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Rename and save' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(asked('vault.renameKey')).toHaveLength(2);
  });

  it('renames first, then saves a new value under the new name', async () => {
    const { user } = await renameTyped('stripe-live', { value: 'sk_rotated' });
    await user.click(screen.getByRole('button', { name: 'Rename and save' }));
    await waitFor(() => expect(asked('vault.save')).toHaveLength(1));
    expect(held.calls.map(([op]) => op).filter((op) => op === 'vault.renameKey' || op === 'vault.save')).toEqual(['vault.renameKey', 'vault.save']);
    expect(asked('vault.save')[0]).toEqual({ realmId: '', key: 'stripe-live', value: 'sk_rotated', notes: 'payments', mode: 'update' });
  });

  it('after a rename whose save then failed, trying again only saves (under the new name)', async () => {
    const { user } = await renameTyped('stripe-live', { value: 'sk_rotated' });
    // The stand-in leaves vault.save to the real core, whose vault is not set up here: the save fails.
    await user.click(screen.getByRole('button', { name: 'Rename and save' }));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeEnabled();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(asked('vault.save')).toHaveLength(2));
    expect(asked('vault.renameKey')).toHaveLength(1);
    expect(asked('vault.save').map((input) => (input as { key: string }).key)).toEqual(['stripe-live', 'stripe-live']);
  });
});
