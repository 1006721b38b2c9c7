import type { RenameResult } from '../../../common/value-history.js';
import { RESERVED_PREFIX, type VaultItem } from '../../../common/vault.js';
import { jsonByteLength } from '../../../common/rules.js';
import { isStatus } from '../api/errors.js';
import { CoreError } from '../core-error.js';
import { utf8 } from '../crypto/bytes.js';
import { isEntryMetadata, type SealedHistoryEntry, type SealedMeta } from '../crypto/envelope.js';
import { plainMetadataSealed, type VaultEntries } from './entries.js';
import { entryItem } from './entry-view.js';
import type { VaultSession } from './session.js';
import { readPrior } from './value-history.js';

// Renaming a key. The API has no rename: the entry is copied under the new name (sealed again,
// since sealed values are bound to their name), then the old one is deleted. Nothing is lost when
// either step fails: a failed copy leaves the old entry alone; a failed deletion leaves both, says
// so, and running the rename again finds the finished copy (same value, notes and history) and only
// deletes the old name. Offline, both steps wait in the outbox, in order.

interface Readable {
  value: string;
  notes: string;
  /** Sealed fields other than the notes (a file name another tool had written, say). */
  kept: SealedMeta;
  history: SealedHistoryEntry[];
  metadata: unknown;
  updatedAt: string | undefined;
}

const notHere = (error: unknown) => isStatus(error, 404) || (error instanceof CoreError && (error.code === 'NOT_FOUND' || error.code === 'NETWORK'));

export class EntryRename {
  constructor(private readonly deps: { session: VaultSession; entries: VaultEntries }) {}

  /** An entry's value (opened, whatever wrote it), notes, other sealed fields and history. */
  async #readable(realmId: string, key: string): Promise<Readable> {
    const open = this.deps.session.openVault();
    const stored = await this.deps.entries.storedValue(realmId, key);
    if (isEntryMetadata(stored.metadata) && stored.metadata.kind === 'file') {
      throw new CoreError('NOT_AVAILABLE', `“${key}” is a file; renaming applies to secrets. Save the file to disk and add it again under the new name.`, { fields: { key: 'is a file' } });
    }
    // The value is opened once, with the rest of the entry. What that does not give (a value sealed
    // with its own password, one that does not open, plain text where a sealed value was) is asked of
    // reveal, whose own checks apply: a value that does not open stops here.
    const prior = await readPrior(open.keys, realmId, key, { value: stored.value, metadata: stored.metadata, at: stored.updatedAt });
    if (prior.revision !== undefined) this.deps.entries.noteOpened(realmId, key, stored.updatedAt, prior.revision);
    const value = prior.value ?? (await this.#revealed(realmId, key));
    const { notes, ...kept } = isEntryMetadata(stored.metadata) ? prior.described : plainMetadataSealed(stored.metadata);
    return { value, notes: notes ?? '', kept, history: prior.history, metadata: stored.metadata, updatedAt: stored.updatedAt };
  }

  /** The value as reveal opens it; one sealed with its own password is refused for a rename. */
  async #revealed(realmId: string, key: string): Promise<string> {
    const { value } = await this.deps.entries.reveal(realmId, key).catch((error: unknown) => {
      if (!(error instanceof CoreError) || error.code !== 'PASSWORD_REQUIRED') throw error;
      throw new CoreError('NOT_AVAILABLE', `“${key}” is sealed with its own Hoody SDK password: encrypt it with your vault key first, then rename it.`, { fields: { key: 'is sealed with its own password' } });
    });
    return value;
  }

  async rename(realmId: string, key: string, newKey: string): Promise<RenameResult> {
    const open = this.deps.session.openVault();
    if (key.startsWith(RESERVED_PREFIX)) throw new CoreError('INVALID_INPUT', 'That entry belongs to the app and cannot be renamed.', { fields: { key: 'is reserved' } });
    if (newKey === key) throw new CoreError('INVALID_INPUT', 'The new name is the current one.', { fields: { newKey: 'must differ from the current name' } });
    const source = await this.#readable(realmId, key);
    // 'absent': the server answered that the new name has none, so the copy's save does not ask again.
    const target = await this.#readable(realmId, newKey).catch((error: unknown) => (isStatus(error, 404) ? ('absent' as const) : notHere(error) ? undefined : ('other' as const)));
    // A copy an interrupted rename already stored is exactly this entry: value, notes and history.
    const resumed = typeof target === 'object' && target.value === source.value && target.notes === source.notes && JSON.stringify(target.history) === JSON.stringify(source.history);
    if (target !== undefined && target !== 'absent' && !resumed) {
      throw new CoreError('CONFLICT', `“${newKey}” already exists in this scope. Choose another name, or delete it first.`, { fields: { newKey: 'already exists in this scope' } });
    }
    let item: VaultItem;
    if (resumed) {
      const copy = target as Readable;
      const at = copy.updatedAt ?? new Date().toISOString();
      item = await entryItem(open.keys, realmId, { key: newKey, realm_id: realmId, metadata: copy.metadata as Record<string, unknown>, size_bytes: utf8(copy.value).length + jsonByteLength(copy.metadata), created_at: at, updated_at: at });
    } else {
      // A failure here changed nothing: the old entry is left as it was.
      item = await this.deps.entries.save({ realmId, key: newKey, value: source.value, notes: source.notes, mode: 'create' }, { ...source.kept, history: source.history }, target === 'absent' ? { existing: null } : {});
    }
    let deletion: { pending: boolean };
    try {
      deletion = await this.deps.entries.delete(realmId, key);
    } catch (error) {
      const why = (error instanceof Error ? error.message : String(error)).replace(/[.\s]+$/, '');
      throw new CoreError(error instanceof CoreError ? error.code : 'INTERNAL', `“${newKey}” was stored, but “${key}” could not be deleted: ${why}. Both exist now: rename “${key}” to “${newKey}” again to finish; nothing is copied twice.`, {
        fields: { key: 'still exists beside the copy: rename again to finish' },
        ...(error instanceof CoreError && error.status !== undefined ? { status: error.status } : {}),
      });
    }
    return { item, pending: item.pending !== undefined || deletion.pending, resumed };
  }
}
