import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../common/realm-names.js';
import type { VaultItem, VaultListing, VaultStatus } from '../../common/vault.js';
import { entryId, mergeListings } from '../../renderer/src/stores/all-scopes.js';
import { deleteEntry, revealEntry } from '../../renderer/src/stores/vault-actions.js';
import { followSyncs, useVault, visibleEntries } from '../../renderer/src/stores/vault.js';
import { EntryRow } from '../../renderer/src/views/vault/EntryRow.js';
import { KeyringNotices } from '../../renderer/src/views/vault/KeyringNotice.js';
import { OfflineBanners } from '../../renderer/src/views/vault/OfflineBanners.js';
import { ScopeProblems } from '../../renderer/src/views/vault/ScopeProblems.js';
import { UploadDialog } from '../../renderer/src/views/vault/UploadDialog.js';
import { ScopePicker } from '../../renderer/src/views/vault/ScopePicker.js';
import { DeleteAllDialog } from '../../renderer/src/views/vault/VaultDialogs.js';
import { VaultToolbar } from '../../renderer/src/views/vault/VaultToolbar.js';
import { useTempDir } from '../support/temp-dir.js';
import { installBridge } from './bridge.js';
import { resetStores } from './vault-harness.js';

// Realm names and All scopes in the window, over the real bridge and core (every input passes the
// core's own schema first, so a bad name is refused as over IPC). The vault operations themselves
// are answered here: under jsdom the core's libsodium cannot run (jsdom's typed arrays are another
// realm's); main's side is in test/main/core/vault/realm-names.test.ts, the whole in test/e2e/realms.spec.ts.

const tempDir = useTempDir();
beforeEach(resetStores);
afterEach(resetStores);

const A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const unlocked: VaultStatus = { state: 'unlocked', accountId: 'acc', failures: 0, retryAt: 0, allowedRealms: null, online: true, pendingChanges: 0 };

const item = (realmId: string, key: string, notes = ''): VaultItem => ({ key, realmId, kind: 'secret', format: 'hv1', notes, size: 5, storedBytes: 90, createdAt: '2026-11-28T10:00:00.000Z', updatedAt: '2026-11-28T10:00:00.000Z' });
const listing = (realmId: string, entries: VaultItem[]): VaultListing => ({
  realmId,
  entries,
  stats: { keys: entries.length, scopeBytes: entries.length * 90, accountUsedBytes: 1000, accountLimitBytes: 50 * 1024 * 1024, usedPercentage: 0, remainingBytes: 50 * 1024 * 1024 - 1000 },
  copy: { state: 'ok', syncedAt: '2026-11-28T10:00:00.000Z' },
});

/** A vault with the global scope and two realms, `shared-key` in two of them; main's answers kept here, the inputs checked by the core. */
async function world(options: { unlisted?: string } = {}) {
  const names: Record<string, string> = {};
  const scopes: Record<string, VaultItem[]> = { '': [item('', 'shared-key', 'global one')], [A]: [item(A, 'shared-key', 'prod one'), item(A, 'db-password')], [B]: [item(B, 'b-only')] };
  const sent: Array<{ op: string; input: Record<string, unknown> }> = [];
  const core = await installBridge(await tempDir(), async (op, raw) => {
    const input = (raw ?? {}) as Record<string, unknown>;
    if (op === 'vault.status') return { ok: true, data: unlocked };
    const checked = await core.dispatch(op, raw);
    if (!checked.ok && checked.error.code === 'INVALID_INPUT') return checked;
    sent.push({ op, input });
    if (op === 'vault.realms') return { ok: true, data: { realms: [A, B], globalAllowed: true, names: { ...names }, namesWritable: true } };
    if (op === 'vault.nameRealm') {
      const realmId = input.realmId as string;
      if (input.name === null || input.name === '') delete names[realmId];
      else names[realmId] = (input.name as string).trim();
      return { ok: true, data: { names: { ...names }, namesWritable: true } };
    }
    // Listed whole each time (no version: the window never asks for changes only; that is all-scopes.test.tsx).
    if (op === 'vault.listChanges' && input.realmId === options.unlisted) return { ok: false, error: { code: 'NETWORK', message: 'You are offline, and this scope has not been synced to this computer yet.' } };
    if (op === 'vault.listChanges') return { ok: true, data: listing(input.realmId as string, scopes[input.realmId as string] ?? []) };
    if (op === 'vault.reveal') return { ok: true, data: { value: `value of ${input.key as string} in ${(input.realmId as string) || 'global'}`, format: 'hv1' } };
    if (op === 'vault.delete') {
      scopes[input.realmId as string] = scopes[input.realmId as string]!.filter((e) => e.key !== input.key);
      return { ok: true, data: { pending: false } };
    }
    if (op === 'vault.clear') return { ok: true, data: { deleted: scopes[input.realmId as string]!.length } };
    return undefined;
  });
  await useVault.getState().loadStatus();
  await useVault.getState().loadRealms();
  return { names, sent, core };
}

describe('realm names in the scope picker', () => {
  it('names a realm, checks the name as typed, renames and removes it; the picker shows names', async () => {
    const w = await world();
    const user = userEvent.setup();
    render(<ScopePicker />);
    const select = screen.getByLabelText('Scope');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['All scopes', 'Global (no realm)', `Realm ${A}`, `Realm ${B}`, 'Another realm…']);
    // The global scope has no name to give.
    expect(screen.queryByRole('button', { name: 'Name this realm' })).toBeNull();

    await user.selectOptions(select, `Realm ${B}`);
    await user.click(screen.getByRole('button', { name: 'Name this realm' }));
    const dialog = screen.getByRole('dialog', { name: 'Name this realm' });
    const field = within(dialog).getByLabelText('Name');
    await user.type(field, 'Global');
    expect(within(dialog).getByText('Name must not be “global” (the name of the scope outside every realm).')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save name' })).toBeDisabled();
    await user.clear(field);
    await user.type(field, 'x'.repeat(65));
    expect(within(dialog).getByText('Name must be 1 to 64 characters.')).toBeInTheDocument();
    await user.clear(field);
    await user.type(field, '  Staging ');
    await user.click(within(dialog).getByRole('button', { name: 'Save name' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(w.sent.filter((s) => s.op === 'vault.nameRealm')).toEqual([{ op: 'vault.nameRealm', input: { realmId: B, name: 'Staging' } }]);
    expect(within(select).getByRole('option', { name: 'Staging' })).toHaveValue(B);

    // Another realm cannot take the same name (case aside), said before anything is sent.
    await user.selectOptions(select, `Realm ${A}`);
    await user.click(screen.getByRole('button', { name: 'Name this realm' }));
    await user.type(within(screen.getByRole('dialog')).getByLabelText('Name'), 'STAGING');
    expect(screen.getByText('Name is already the name of another realm.')).toBeInTheDocument();
    await user.clear(within(screen.getByRole('dialog')).getByLabelText('Name'));
    await user.type(within(screen.getByRole('dialog')).getByLabelText('Name'), 'Prod');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(select).getByRole('option', { name: 'Prod' })).toHaveValue(A));
    // Named realms come first, by name.
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['All scopes', 'Global (no realm)', 'Prod', 'Staging', 'Another realm…']);

    // Rename, then remove the name: the realm shows by its id again.
    await user.click(screen.getByRole('button', { name: 'Rename Prod' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Rename Prod' })).getByRole('button', { name: 'Remove the name' }));
    await waitFor(() => expect(within(select).getByRole('option', { name: `Realm ${A}` })).toHaveValue(A));
    expect(w.names).toEqual({ [B]: 'Staging' });
  });

  it('shows main refusing a name (a control character typed elsewhere) at the field', async () => {
    await world();
    useVault.setState({ realmId: A });
    const user = userEvent.setup();
    render(<ScopePicker />);
    await user.click(screen.getByRole('button', { name: 'Name this realm' }));
    // The window's check and main's are the same rule: sent as is, main answers with the field.
    const refused = await window.hoody!.vault.nameRealm({ realmId: A, name: 'tab\there' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { name: 'must not contain control or text-direction characters' } } });
    await user.type(within(screen.getByRole('dialog')).getByLabelText('Name'), 'a\u202Eb');
    expect(screen.getByText('Name must not contain control or text-direction characters.')).toBeInTheDocument();
  });
});

describe('names where ids showed', () => {
  it("in the conflict banner and the keyring notices (main's message names the realm by id)", async () => {
    const w = await world();
    w.names[A] = 'Prod';
    await useVault.getState().loadRealms();
    const status: VaultStatus = {
      ...unlocked,
      pendingChanges: 1,
      conflict: { opId: '9b2f6a4e-1c3d-4e5f-8a7b-6c5d4e3f2a1b', realmId: A, key: 'db-password', change: 'save', reason: 'changed', message: '“db-password” was changed on the server after you edited it here.' },
      keyring: [{ realmId: A, kind: 'restored', at: '2026-11-28T10:00:00.000Z', message: `The vault keyring in “${A}” had been deleted (by another tool, perhaps).`, ours: { vaultId: 'v', createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z' } }],
    };
    render(
      <>
        <KeyringNotices status={status} />
        <OfflineBanners status={status} listing={undefined} />
      </>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('In Prod');
    const notice = screen.getByRole('status', { name: 'Keyring restored in Prod' });
    expect(notice).toHaveTextContent('The vault keyring in “Prod” had been deleted');
    expect(notice).not.toHaveTextContent(A);
  });

  it('in the upload dialog, which says where the files go', async () => {
    await world();
    render(<UploadDialog files={[{ fileId: 'f1', name: 'notes.txt', size: 10, type: 'text/plain' }]} scope="Prod" existing={new Set()} remainingBytes={1_000_000} onClose={() => {}} />);
    expect(screen.getByRole('dialog', { name: 'Store 1 file in Prod' })).toBeInTheDocument();
  });
});

describe('deleting everything in a realm', () => {
  it('asks for the realm’s name, or for an unnamed realm its id', async () => {
    const w = await world();
    w.names[A] = 'Prod';
    await useVault.getState().loadRealms();
    useVault.setState({ realmId: A });
    const user = userEvent.setup();
    const { unmount } = render(<DeleteAllDialog realmId={A} names={useVault.getState().names} count={2} onClose={() => {}} />);
    expect(screen.getByRole('dialog', { name: 'Delete everything in Prod?' })).toHaveAccessibleDescription('All 2 entries of this scope are deleted from the server for good. This cannot be undone.');
    const field = screen.getByLabelText('Type Prod to confirm');
    await user.type(field, A);
    expect(screen.getByRole('button', { name: 'Delete all 2' })).toBeDisabled();
    await user.clear(field);
    await user.type(field, 'Prod');
    await user.click(screen.getByRole('button', { name: 'Delete all 2' }));
    await waitFor(() => expect(w.sent.find((s) => s.op === 'vault.clear')).toEqual({ op: 'vault.clear', input: { realmId: A, confirmation: 'Prod' } }));
    unmount();

    render(<DeleteAllDialog realmId={B} names={useVault.getState().names} count={1} onClose={() => {}} />);
    // One entry is one entry: not "All 1 entries", not "Delete all 1".
    expect(screen.getByRole('dialog', { name: `Delete everything in Realm ${B}?` })).toHaveAccessibleDescription('The 1 entry of this scope is deleted from the server for good. This cannot be undone.');
    expect(screen.getByLabelText(`This realm has no name: type its id, ${B}, to confirm`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete 1 entry' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: /Delete all/ })).toBeNull();
  });
});

describe('All scopes', () => {
  it('lists every scope, merged, each hit keeping its realm; reveal and delete go to the hit’s own scope', async () => {
    const w = await world();
    w.names[A] = 'Prod';
    await useVault.getState().loadRealms();
    await act(async () => {
      useVault.getState().setScope(ALL_SCOPES);
      await waitFor(() => expect(useVault.getState().loading).toBe(false));
    });
    const lists = w.sent.filter((s) => s.op === 'vault.listChanges').map((s) => s.input.realmId);
    expect(lists.sort()).toEqual(['', A, B]);
    const { listing, sort } = useVault.getState();
    expect(listing!.realmId).toBe(ALL_SCOPES);
    expect(listing!.entries.map(entryId).sort()).toEqual([`:shared-key`, `${A}:db-password`, `${A}:shared-key`, `${B}:b-only`].sort());
    expect(listing!.stats.keys).toBe(4);

    // A search finds the same key in both scopes.
    const hits = visibleEntries(listing!.entries, 'shared', sort);
    expect(hits.map((h) => h.realmId).sort()).toEqual(['', A]);
    const prodHit = hits.find((h) => h.realmId === A)!;

    // Revealing the Prod hit asks Prod, and reveals that row only.
    await act(async () => void (await revealEntry(prodHit)));
    expect(w.sent.at(-1)).toEqual({ op: 'vault.reveal', input: { realmId: A, key: 'shared-key' } });
    expect(useVault.getState().revealed).toEqual({ [entryId(prodHit)]: `value of shared-key in ${A}` });

    // Each row says where it is.
    render(<EntryRow item={prodHit} revealed={undefined} busy={false} actions={{} as never} scope="Prod" />);
    expect(screen.getByText('Prod')).toHaveAttribute('title', `Realm ${A}`);

    // Deleting the Prod hit deletes it in Prod; the global one stays; only Prod is listed again.
    const listsBefore = w.sent.filter((s) => s.op === 'vault.listChanges').length;
    await act(async () => void (await deleteEntry(prodHit)));
    expect(w.sent.find((s) => s.op === 'vault.delete')).toEqual({ op: 'vault.delete', input: { realmId: A, key: 'shared-key' } });
    await waitFor(() => expect(w.sent.filter((s) => s.op === 'vault.listChanges').length).toBe(listsBefore + 1));
    expect(w.sent.filter((s) => s.op === 'vault.listChanges').at(-1)!.input).toEqual({ realmId: A });
    await waitFor(() => expect(useVault.getState().loading).toBe(false));
    expect(useVault.getState().listing!.entries.map(entryId).sort()).toEqual([`:shared-key`, `${A}:db-password`, `${B}:b-only`].sort());
  });

  it('keeps "synced" current as each scope’s copy is written, without sorting the list again', async () => {
    const w = await world();
    await act(async () => {
      useVault.getState().setScope(ALL_SCOPES);
      await waitFor(() => expect(useVault.getState().parts.size).toBe(3));
    });
    await waitFor(() => expect(useVault.getState().loading).toBe(false));
    const entries = useVault.getState().listing!.entries;
    const stop = followSyncs();
    for (const realmId of ['', A]) w.core.events.emit('vault.synced', { realmId, syncedAt: '2026-11-28T12:00:00.000Z', repaired: false });
    // B is still as of 10:00: the line shows the oldest.
    expect(useVault.getState().listing!.copy.syncedAt).toBe('2026-11-28T10:00:00.000Z');
    w.core.events.emit('vault.synced', { realmId: B, syncedAt: '2026-11-28T12:00:00.000Z', repaired: false });
    expect(useVault.getState().listing!.copy.syncedAt).toBe('2026-11-28T12:00:00.000Z');
    expect(useVault.getState().listing!.entries).toBe(entries);
    stop();
  });

  it('names the scopes it could not search, and shows the others', async () => {
    const w = await world({ unlisted: B });
    w.names[B] = 'Staging';
    await useVault.getState().loadRealms();
    await act(async () => {
      useVault.getState().setScope(ALL_SCOPES);
      await waitFor(() => expect(useVault.getState().parts.size).toBe(3));
    });
    render(<ScopeProblems />);
    expect(screen.getByRole('alert')).toHaveTextContent('Not searched: one scope.Staging: You are offline, and this scope has not been synced to this computer yet.');
    expect(useVault.getState().listing!.entries.map((e) => e.realmId).sort()).toEqual(['', A, A]);
  });

  it('only searches: New secret, Add files and Delete all wait for a scope to be chosen', async () => {
    await world();
    useVault.setState({ realmId: ALL_SCOPES });
    render(<VaultToolbar searchRef={{ current: null }} canDeleteAll onNew={() => {}} onAddFiles={() => {}} onChangePassphrase={() => {}} onDeleteAll={() => {}} />);
    expect(screen.getByRole('button', { name: /New secret/ })).toBeDisabled();
    expect(screen.getByRole('button', { name: /Add files/ })).toBeDisabled();
    expect(screen.getByLabelText('Scope')).toHaveValue(ALL_SCOPES);
  });

  it('Refresh reads the names again (another computer may have renamed a realm)', async () => {
    const w = await world();
    const user = userEvent.setup();
    render(<VaultToolbar searchRef={{ current: null }} canDeleteAll onNew={() => {}} onAddFiles={() => {}} onChangePassphrase={() => {}} onDeleteAll={() => {}} />);
    expect(within(screen.getByLabelText('Scope')).queryByRole('option', { name: 'Elsewhere' })).toBeNull();
    w.names[A] = 'Elsewhere';
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await within(screen.getByLabelText('Scope')).findByRole('option', { name: 'Elsewhere' })).toHaveValue(A);
  });

  it('says which scopes it could not search, and merges the rest', () => {
    const parts = new Map([
      ['', { listing: { ...listing('', [item('', 'x')]), offline: { syncedAt: '2026-11-27T00:00:00.000Z' }, copy: { state: 'ok' as const, syncedAt: '2026-11-27T00:00:00.000Z' } } }],
      [A, { listing: listing(A, [item(A, 'y'), item(A, 'z')]) }],
      [B, { error: { code: 'NETWORK' as const, message: 'not synced' } }],
    ]);
    const merged = mergeListings(parts);
    expect(merged.entries.map(entryId)).toEqual([':x', `${A}:y`, `${A}:z`]);
    expect(merged.stats.keys).toBe(3);
    expect(merged.stats.scopeBytes).toBe(270);
    // Offline if any part is, and synced as of the oldest copy.
    expect(merged.offline).toEqual({ syncedAt: '2026-11-27T00:00:00.000Z' });
    expect(merged.copy.syncedAt).toBe('2026-11-27T00:00:00.000Z');
  });
});
