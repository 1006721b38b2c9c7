import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VaultListing, VaultStatus } from '../../common/vault.js';
import { OfflineBanners } from '../../renderer/src/views/vault/OfflineBanners.js';
import { VaultStatusBar } from '../../renderer/src/views/vault/VaultStatusBar.js';
import { installBridge } from './bridge.js';

// Issue 14 A.13: a conflict is not chosen blind (both times shown), and the counts agree during it.

const mineAt = '2026-11-28T10:00:00.000Z';
const theirsAt = '2026-11-28T11:30:00.000Z';
const status: VaultStatus = {
  state: 'unlocked',
  accountId: 'a@h',
  failures: 0,
  retryAt: 0,
  allowedRealms: null,
  online: true,
  pendingChanges: 1,
  conflict: { opId: '00000000-0000-4000-8000-000000000000', realmId: '', key: 'db-password', change: 'save', reason: 'changed', message: 'db-password was changed on the server since you edited it offline.', theirsUpdatedAt: theirsAt },
};
const entry = (key: string, extra = {}) => ({ key, realmId: '', kind: 'secret' as const, format: 'hv1' as const, notes: '', size: 5, storedBytes: 90, createdAt: mineAt, updatedAt: mineAt, ...extra });
// The server counts 3 keys; this computer shows 4 (one made offline, not yet sent).
const listing: VaultListing = {
  realmId: '',
  entries: [entry('a'), entry('b'), entry('db-password', { pending: 'save' }), entry('made-offline', { pending: 'save' })],
  stats: { keys: 3, scopeBytes: 270, accountUsedBytes: 270, accountLimitBytes: 50 * 1024 * 1024, usedPercentage: 0, remainingBytes: 50 * 1024 * 1024 - 270 },
  copy: { state: 'ok', syncedAt: mineAt },
};

describe('a conflict', () => {
  it('shows when each side changed beside the choices', () => {
    render(<OfflineBanners status={status} listing={listing} />);
    const banner = screen.getByRole('alert');
    expect([...banner.querySelectorAll('time')].map((t) => t.getAttribute('datetime'))).toEqual([mineAt, theirsAt]);
    expect(banner).toHaveTextContent(/Yours\s*saved on this computer/);
    expect(banner).toHaveTextContent(/Theirs\s*changed on the server/);
    expect(within(banner).getByRole('button', { name: 'Keep both' })).toBeInTheDocument();
  });

  it('shows each side\'s value masked, and reveals it on request from main (vault.revealConflict)', async () => {
    // The core opens both sides (test/main/core/vault/offline.test.ts); here the window's side only.
    const asked: unknown[] = [];
    const core = await installBridge(await mkdtemp(join(tmpdir(), 'conflict-')), async (op, input) => {
      if (op !== 'vault.revealConflict') return undefined;
      asked.push(input);
      const { side } = input as { side: 'mine' | 'theirs' };
      return { ok: true, data: side === 'mine' ? { value: 'mine-value', format: 'hv1', at: mineAt } : { value: 'theirs-value', format: 'plain', at: theirsAt } };
    });
    try {
      render(<OfflineBanners status={status} listing={listing} />);
      const banner = screen.getByRole('alert');
      expect(banner).not.toHaveTextContent('mine-value');
      await userEvent.click(within(banner).getByRole('button', { name: 'Show your value' }));
      expect(await within(banner).findByText('mine-value')).toBeInTheDocument();
      expect(banner).not.toHaveTextContent('theirs-value');
      await userEvent.click(within(banner).getByRole('button', { name: 'Show their value' }));
      expect(await within(banner).findByText('theirs-value')).toBeInTheDocument();
      await userEvent.click(within(banner).getByRole('button', { name: 'Hide your value' }));
      expect(banner).not.toHaveTextContent('mine-value');
      expect(asked).toEqual([{ opId: status.conflict!.opId, side: 'mine' }, { opId: status.conflict!.opId, side: 'theirs' }]);
    } finally {
      await core.close();
    }
  });

  it('the status line counts what the list shows', () => {
    render(<VaultStatusBar listing={listing} shown={4} searching={false} loading={false} scopeLabel="the global scope" />);
    expect(screen.getByRole('status')).toHaveTextContent('4 entries.');
  });
});
