import { HISTORY_MAX, type ValueHistory } from '../../../common/value-history.js';
import type { VaultValue } from '../../../common/hoody-types.js';
import type { VaultItem } from '../../../common/vault.js';
import { CoreError } from '../core-error.js';
import { utf8 } from '../crypto/bytes.js';
import { isEntryMetadata, type SealedHistoryEntry } from '../crypto/envelope.js';
import type { VaultEntries } from './entries.js';
import type { VaultSession } from './session.js';
import { readPrior, type OpenedEntry, type PriorEntry } from './value-history.js';

// A secret's earlier values for the window and the CLI: listed by date (never with their values),
// one opened or copied on request, and one restored, which is an ordinary save (so the value it
// replaces goes into the history in turn, online or waiting offline).

export class EntryHistory {
  constructor(private readonly deps: { session: VaultSession; entries: VaultEntries }) {}

  /**
   * The entry as it stands (a waiting change, the server, else this computer's copy), opened;
   * `server`: as the server answered, when it did; `entry`: what was read and opened, for a save over it.
   */
  async #read(realmId: string, key: string): Promise<PriorEntry & { server?: VaultValue; entry: OpenedEntry }> {
    const open = this.deps.session.openVault();
    const stored = await this.deps.entries.storedValue(realmId, key);
    if (isEntryMetadata(stored.metadata) && stored.metadata.kind === 'file') {
      throw new CoreError('NOT_AVAILABLE', `“${key}” is a file: files keep no earlier versions, only secrets do.`);
    }
    const prior = await readPrior(open.keys, realmId, key, { value: stored.value, metadata: stored.metadata, at: stored.updatedAt });
    if (!prior.opened) throw new CoreError('UNREADABLE', `The description of “${key}” does not open with your vault key, so its earlier values cannot be read.`);
    return { ...prior, ...(stored.server ? { server: stored.server } : {}), entry: { realmId, key, value: stored.value, metadata: stored.metadata, prior } };
  }

  async list(realmId: string, key: string): Promise<ValueHistory> {
    const { history } = await this.#read(realmId, key);
    return { key, realmId, max: HISTORY_MAX, items: history.map((h, index) => ({ index, at: h.at, size: utf8(h.value).length })) };
  }

  /**
   * A secret's value and earlier values for a backup, from one read of the entry. A value this app
   * cannot read from the stored text alone (sealed with its own Hoody SDK password, say) is asked of
   * `reveal`, which says why it cannot be opened.
   */
  async secret(realmId: string, key: string): Promise<{ value: string; history: SealedHistoryEntry[] }> {
    const prior = await this.#read(realmId, key);
    const value = prior.value ?? (await this.deps.entries.reveal(realmId, key)).value;
    return { value, history: prior.history };
  }

  async #find(realmId: string, key: string, index: number, at: string): Promise<{ prior: PriorEntry & { server?: VaultValue; entry: OpenedEntry }; earlier: SealedHistoryEntry }> {
    const prior = await this.#read(realmId, key);
    const earlier = prior.history[index];
    if (!earlier || earlier.at !== at) throw new CoreError('NOT_FOUND', `“${key}” has no earlier value from ${at}: it may have been dropped by a newer save.`, { fields: { at: `is not the date of an earlier value of “${key}”` } });
    return { prior, earlier };
  }

  async value(realmId: string, key: string, index: number, at: string): Promise<{ value: string; at: string }> {
    const { earlier } = await this.#find(realmId, key, index, at);
    this.deps.session.touch();
    return { value: earlier.value, at: earlier.at };
  }

  /**
   * Saves the earlier value as the current one; notes and the other sealed fields stay as they are.
   * The entry is read and opened once: the save builds on the very version the earlier value was
   * picked from (a newer save since the user's list moved the dates, and is refused by #find). The
   * API has no conditional write, so a save elsewhere in the instant before this write is not seen,
   * as with any save.
   */
  async restore(realmId: string, key: string, index: number, at: string): Promise<VaultItem> {
    const { prior, earlier } = await this.#find(realmId, key, index, at);
    const { notes, ...kept } = prior.described;
    // What #read opened of the entry goes with it, so the save (online or offline) does not open the same value again.
    return this.deps.entries.save({ realmId, key, value: earlier.value, notes: notes ?? '', mode: 'update' }, kept, { ...(prior.server ? { existing: prior.server } : {}), opened: prior.entry });
  }
}
