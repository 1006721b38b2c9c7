import type { VaultEntry } from '../../../common/hoody-types.js';
import { scopeName, type KeyringChoice, type KeyringDates, type KeyringNotice } from '../../../common/vault.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';
import { isEntryMetadata, openMetadata } from '../crypto/envelope.js';
import { unwrapWithPassphrase, type KeyringRecord } from '../crypto/keyring.js';
import { loadSodium } from '../crypto/sodium.js';
import type { VaultKeys } from '../crypto/vault-keys.js';
import type { KeyringStore } from './keyring-store.js';

// One vault per scope, always. To Hoody's CLI and scripts `_hv.keyring` is an ordinary key: it can be
// deleted, or replaced by another vault's. So before every write and at each sync the server's
// keyring is compared with this computer's: the same vault goes on; a missing one is put back from
// this computer's copy (with a notice); a different one stops writes to the scope until the user
// chooses which vault the scope belongs to. Reads never stop: they cannot mix two vaults.

export interface KeyringContext {
  client: HoodyClient;
  store: KeyringStore;
  record: KeyringRecord;
  keys: VaultKeys;
}

/** What the session lends the checks while the vault is open: the key in hand, and a way to adopt a record. */
export interface OpenKeyringContext extends KeyringContext {
  vaultKey: Uint8Array;
  /** This computer's copy becomes `record` (same vault, newer, proven to open). */
  adopt(record: KeyringRecord): Promise<void>;
}

/** How many of a scope's sealed entries open with this vault, and how many do not (another vault's). */
export async function countSealed(keys: VaultKeys, realmId: string, entries: readonly VaultEntry[]): Promise<{ ours: number; theirs: number }> {
  let ours = 0;
  let theirs = 0;
  for (const entry of entries) {
    if (!isEntryMetadata(entry.metadata)) continue;
    if (await openMetadata(keys, realmId, entry.key, entry.metadata)) ours += 1;
    else theirs += 1;
  }
  return { ours, theirs };
}

export const datesOf = (record: KeyringRecord): KeyringDates => ({ vaultId: record.vault_id, createdAt: record.created_at, updatedAt: record.updated_at });

const day = (iso: string) => iso.slice(0, 10);

export class KeyringChecks {
  constructor(private readonly options: { announce: () => Promise<void>; log?: (message: string) => void }) {}

  /** What the checks found, by scope, until the user reads or settles it (or the vault locks). */
  readonly #notices = new Map<string, KeyringNotice>();
  /** Scopes seen holding this vault's keyring, with that record's updated_at: a listing showing the same needs no fetch. */
  readonly #verified = new Map<string, string>();

  notices(): KeyringNotice[] {
    return [...this.#notices.values()];
  }

  notice(realmId: string): KeyringNotice | undefined {
    return this.#notices.get(realmId);
  }

  note(notice: KeyringNotice): void {
    this.#notices.set(notice.realmId, notice);
  }

  dismiss(realmId: string): void {
    this.#notices.delete(realmId);
  }

  clear(): void {
    this.#notices.clear();
    this.#verified.clear();
  }

  /** Whether a listing's keyring entry is the one already checked (same updated_at): then nothing is fetched. */
  alreadyVerified(realmId: string, listed: readonly VaultEntry[]): boolean {
    const entry = listed.find((e) => e.key === '_hv.keyring');
    return entry !== undefined && this.#verified.get(realmId) === entry.updated_at;
  }

  /**
   * Compares the scope's keyring with this computer's. `write`: a write is about to go to the scope,
   * so a scope holding another vault refuses it (CONFLICT). `there`: the server's record, when the
   * caller already fetched it (null: known missing). Returns whether the scope now holds this vault.
   */
  async check(ctx: KeyringContext, realmId: string, options: { write: boolean; there?: { record: KeyringRecord; updatedAt: string } | null; listed?: readonly VaultEntry[] }): Promise<boolean> {
    const { client, store, record, keys } = ctx;
    const fetched = options.there === undefined ? await store.fetchStamped(client, realmId) : (options.there ?? undefined);
    const there = fetched?.record;
    if (fetched && there?.vault_id === record.vault_id) {
      this.#verified.set(realmId, fetched.updatedAt);
      if (this.#notices.get(realmId)?.kind === 'foreign') this.#notices.delete(realmId);
      return true;
    }
    const entries = options.listed ?? (await client.listKeys(realmId || undefined));
    const counts = await countSealed(keys, realmId, entries);
    if (there || (counts.theirs > 0 && counts.ours === 0)) {
      this.#foreign(realmId, record, there, counts);
      if (options.write) throw this.#refusal(realmId);
      return false;
    }
    // Missing. A scope never written to simply gets it (a first write); one that held this vault's
    // entries or keyring gets it back, and the user is told, since another tool removed it.
    const heldIt = counts.ours > 0 || this.#verified.has(realmId);
    if (!options.write && !heldIt) return false;
    this.#verified.set(realmId, await store.put(client, realmId, record));
    if (heldIt) {
      const others = counts.theirs ? ` ${counts.theirs} entr${counts.theirs === 1 ? 'y' : 'ies'} there were sealed by another vault and do not open.` : '';
      this.note({
        realmId,
        kind: 'restored',
        at: new Date().toISOString(),
        ours: datesOf(record),
        message: `The vault keyring in “${scopeName(realmId)}” had been deleted (by another tool, perhaps). It was put back from this computer's copy, so your passphrase still opens that scope everywhere.${others}`,
      });
    }
    return true;
  }

  /** Runs a check and tells the window when the notices changed. */
  async #announcing<T>(run: () => Promise<T>): Promise<T> {
    const before = JSON.stringify(this.notices());
    try {
      return await run();
    } finally {
      if (JSON.stringify(this.notices()) !== before) await this.options.announce();
    }
  }

  /** Before every write: CONFLICT when the scope holds another vault; a missing keyring is put back. */
  async beforeWrite(ctx: KeyringContext, realmId: string): Promise<void> {
    await this.#announcing(() => this.check(ctx, realmId, { write: true }));
  }

  /** At each sync (after a listing), in the background: it never fails the listing. */
  async atSync(ctx: KeyringContext, realmId: string, listed: readonly VaultEntry[]): Promise<void> {
    if (this.alreadyVerified(realmId, listed)) return;
    await this.#announcing(() => this.check(ctx, realmId, { write: false, listed })).catch((error: unknown) => {
      this.options.log?.(`keyring check of ${scopeName(realmId)} failed: ${(error as Error).message}`);
    });
  }

  /**
   * After an unlock, every scope. A newer server copy of this vault's keyring replaces this
   * computer's only if it opens, with the passphrase just typed, to the very vault key in hand.
   * Otherwise (a flipped bit, a forged date) the local copy stays and the server's is reported as
   * damaged: the server cannot lock the passphrase out.
   */
  async afterUnlock(ctx: OpenKeyringContext, scopes: string[], passphrase: string | undefined, stillOpen: () => boolean): Promise<void> {
    await this.#announcing(async () => {
      for (const realmId of scopes) {
        if (!stillOpen()) return;
        const there = (await ctx.store.fetchStamped(ctx.client, realmId)) ?? null;
        const newer = there && there.record.vault_id === ctx.record.vault_id && there.record.updated_at > ctx.record.updated_at ? there.record : undefined;
        if (newer && passphrase) await this.#takeNewer(ctx, realmId, newer, passphrase);
        await this.check(ctx, realmId, { write: false, there });
      }
    });
  }

  async #takeNewer(ctx: OpenKeyringContext, realmId: string, newer: KeyringRecord, passphrase: string): Promise<void> {
    const sodium = await loadSodium();
    const key = await unwrapWithPassphrase(newer, passphrase).catch(() => undefined);
    const same = key !== undefined && sodium.memcmp(key, ctx.vaultKey);
    if (key) sodium.memzero(key);
    if (same) {
      await ctx.adopt(newer);
      ctx.record = newer;
      return;
    }
    this.note({
      realmId,
      kind: 'damaged',
      at: new Date().toISOString(),
      ours: datesOf(ctx.record),
      theirs: datesOf(newer),
      message: `The server's copy of your vault keyring in “${scopeName(realmId)}” (dated ${day(newer.updated_at)}) does not open with the passphrase you just used, so this computer kept its own. If you changed the passphrase on another computer, lock and unlock with the new one; otherwise that copy was damaged.`,
    });
  }

  /**
   * The user's answer to a notice. dismiss: a restored or damaged notice was read. ours: this
   * computer's vault takes the scope (the other keyring is kept aside in this computer's folder).
   * theirs: this computer switches to the scope's vault (its own copy kept aside); the caller locks.
   */
  async resolve(ctx: KeyringContext, realmId: string, choice: KeyringChoice): Promise<'done' | 'switched'> {
    const notice = this.#notices.get(realmId);
    if (!notice) throw new CoreError('NOT_FOUND', `There is no keyring notice for “${scopeName(realmId)}”.`);
    if (choice === 'dismiss') {
      if (notice.kind === 'foreign') throw new CoreError('INVALID_INPUT', 'Choose which vault this scope belongs to.', { fields: { choice: 'must be ours or theirs for another vault' } });
      this.dismiss(realmId);
      return 'done';
    }
    if (notice.kind !== 'foreign') throw new CoreError('INVALID_INPUT', 'This scope holds your vault: there is nothing to choose.', { fields: { choice: 'must be dismiss' } });
    const { client, store, record } = ctx;
    const there = await store.fetch(client, realmId);
    if (choice === 'ours') {
      if (there && there.vault_id !== record.vault_id) await store.keepAside(there);
      this.#verified.set(realmId, await store.put(client, realmId, record));
      this.dismiss(realmId);
      this.options.log?.(`keyring of ${scopeName(realmId)} replaced by this computer's`);
      return 'done';
    }
    if (!there) throw new CoreError('NOT_FOUND', `“${scopeName(realmId)}” has no keyring to switch to.`, { fields: { choice: 'must be ours: the other vault has no keyring' } });
    await store.keepAside(record);
    await store.writeLocal(there);
    return 'switched';
  }

  #refusal(realmId: string): CoreError {
    return new CoreError('CONFLICT', `Nothing was written to “${scopeName(realmId)}”: it holds a different vault's keyring, so values written there with your key could not be opened by that vault, nor its values by yours. Choose which vault this scope belongs to first.`);
  }

  #foreign(realmId: string, record: KeyringRecord, there: KeyringRecord | undefined, entries: { ours: number; theirs: number }): void {
    const theirs = there ? ` (created ${day(there.created_at)})` : ' (its keyring is missing)';
    this.note({
      realmId,
      kind: 'foreign',
      at: new Date().toISOString(),
      ours: datesOf(record),
      ...(there ? { theirs: datesOf(there) } : {}),
      entries,
      message: `“${scopeName(realmId)}” belongs to another vault${theirs}, not to the one this computer opens (created ${day(record.created_at)}). Writes there are stopped until you choose.`,
    });
  }
}
