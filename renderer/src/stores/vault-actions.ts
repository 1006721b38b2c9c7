import type { AppError, Result } from '../../../common/errors.js';
import type { ConflictChoice, ConflictSide, VaultItem, VaultStatus } from '../../../common/vault.js';
import { copyAndClear } from '../lib/clipboard.js';
import { hoody } from '../lib/hoody.js';
import { entryId } from './all-scopes.js';
import { say, sayError } from './notices.js';
import { useVault } from './vault.js';

// The vault's mutations, as action creators (the Signal way): each calls main once, updates the
// store with what came back, and returns the Result so the view can show a field's error. Views
// only render and call these; none of them talks to `window.hoody` itself.

const vault = () => useVault.getState();
const fail = <T>(error: AppError): Result<T> => ({ ok: false, error });

export async function setUpVault(passphrase: string): Promise<Result<{ recoveryKey: string }>> {
  const result = await hoody().vault.setup({ passphrase });
  if (result.ok) useVault.setState({ pendingRecoveryKey: result.data.recoveryKey });
  return result.ok ? { ok: true, data: { recoveryKey: result.data.recoveryKey } } : result;
}

/** The user said the recovery key is saved: the vault opens. */
export async function finishSetUp(): Promise<void> {
  useVault.setState({ pendingRecoveryKey: undefined });
  await vault().loadStatus();
}

export async function unlockVault(input: { passphrase: string } | { recoveryKey: string }): Promise<Result<VaultStatus>> {
  const result = await hoody().vault.unlock(input);
  if (result.ok) useVault.setState({ status: result.data });
  return result;
}

/** Main locks, then tells the window (vault.changed), which drops every value and reloads. */
export function lockVault(): void {
  void hoody().vault.lock();
}

/** While the user types the passphrase, main warms up the key derivation. */
export function prepareUnlock(): void {
  void hoody().vault.prepareUnlock();
}

export function changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<Result<{ scopes: number }>> {
  return hoody().vault.changePassphrase({ currentPassphrase, newPassphrase });
}

export async function revealEntry(item: VaultItem, password?: string): Promise<Result<{ value: string }>> {
  const result = await hoody().vault.reveal({ realmId: item.realmId, key: item.key, ...(password !== undefined ? { password } : {}) });
  if (!result.ok) return result;
  vault().reveal(entryId(item), result.data.value);
  // Revealing is how the app learns what a value written by another tool is: keep the badge true.
  const format = result.data.format;
  if (item.format !== format && (format === 'plain' || format === 'hoody-enc1')) vault().upsert({ ...item, format });
  // The server served an older value than this computer has seen, or plain text where a sealed one was.
  if (result.data.warning) sayError(result.data.warning);
  return { ok: true, data: { value: result.data.value } };
}

export function hideEntry(item: VaultItem): void {
  vault().hide(entryId(item));
}

export async function encryptEntry(item: VaultItem, password?: string): Promise<Result<VaultItem>> {
  const result = await hoody().vault.encrypt({ realmId: item.realmId, key: item.key, ...(password !== undefined ? { password } : {}) });
  if (!result.ok) return result;
  vault().upsert(result.data);
  say(`${item.key} is now encrypted with your vault key.`);
  return result;
}

/** Copies a value main handed over (or copied itself), cleared after the time main says; `what` names it in the notice. */
export async function copied(result: Result<{ by: 'main' | 'renderer'; value?: string; clearAfterSeconds: number }>, what: string): Promise<Result<{ clearAfterSeconds: number }>> {
  if (!result.ok) return result;
  const { by, value, clearAfterSeconds } = result.data;
  if (by === 'renderer' && value !== undefined) {
    try {
      await copyAndClear(value, clearAfterSeconds);
    } catch {
      return fail({ code: 'NOT_AVAILABLE', message: 'The browser refused to copy. Reveal the value and copy it by hand.' });
    }
  }
  say(`Copied ${what}. The clipboard is cleared in ${clearAfterSeconds} s.`);
  return { ok: true, data: { clearAfterSeconds } };
}

export async function copyEntry(item: VaultItem): Promise<Result<{ clearAfterSeconds: number }>> {
  return copied(await hoody().vault.copy({ realmId: item.realmId, key: item.key }), item.key);
}

export interface EntryDraft {
  key: string;
  /** Omitted when editing and only the notes change. */
  value?: string;
  notes: string;
  mode: 'create' | 'update';
  /** The entry's own scope when editing (in All scopes it is not the one picked); else the scope shown. */
  realmId?: string;
}

export async function saveEntry({ realmId = vault().realmId, ...draft }: EntryDraft): Promise<Result<VaultItem>> {
  const result = await hoody().vault.save({ realmId, ...draft });
  if (!result.ok) return result;
  vault().upsert(result.data);
  // A revealed value would now be stale; saved offline is not saved: the row says "waiting to sync".
  vault().hide(entryId(result.data));
  say(result.data.pending ? `${result.data.key} is kept on this computer until the server is back.` : `Saved ${result.data.key}.`);
  void vault().refresh(realmId);
  return result;
}

export async function deleteEntry(item: VaultItem): Promise<Result<{ pending: boolean }>> {
  const result = await hoody().vault.delete({ realmId: item.realmId, key: item.key });
  if (!result.ok) return result;
  const pending = result.data.pending === true;
  // A delete made offline stays in the list, marked, until the server confirms it.
  if (!pending) vault().remove(item);
  say(pending ? `${item.key} will be deleted when the server is back.` : `Deleted ${item.key}.`);
  void vault().refresh(item.realmId);
  return { ok: true, data: { pending } };
}

export async function clearScope(confirmation: string): Promise<Result<{ deleted: number }>> {
  const result = await hoody().vault.clear({ realmId: vault().realmId, confirmation });
  if (!result.ok) return result;
  const { deleted } = result.data;
  say(`Deleted ${deleted} ${deleted === 1 ? 'entry' : 'entries'}.`);
  void vault().refresh();
  return { ok: true, data: { deleted } };
}

export async function checkConnection(): Promise<Result<VaultStatus>> {
  const result = await hoody().vault.checkConnection();
  if (!result.ok) return result;
  useVault.setState({ status: result.data });
  if (result.data.online) void vault().refresh();
  return result;
}

/** One side of the conflict, opened to compare (shown masked until the user reveals it). */
export function revealConflictSide(opId: string, side: 'mine' | 'theirs'): Promise<Result<ConflictSide>> {
  return hoody().vault.revealConflict({ opId, side });
}

export async function resolveConflict(opId: string, choice: ConflictChoice): Promise<Result<VaultStatus>> {
  const result = await hoody().vault.resolveConflict({ opId, choice });
  if (!result.ok) return result;
  useVault.setState({ status: result.data });
  void vault().refresh();
  return result;
}

export async function storeSigningKey(key: string): Promise<Result<{ key: string }>> {
  const result = await hoody().vault.storeSigningKey({ realmId: '', key });
  return result.ok ? { ok: true, data: { key } } : result;
}
