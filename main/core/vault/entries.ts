import type { VaultEntry, VaultValue } from '../../../common/hoody-types.js';
import { formatBytes } from '../../../common/format.js';
import { jsonByteLength } from '../../../common/rules.js';
import { RESERVED_PREFIX, scopeName, type VaultItem } from '../../../common/vault.js';
import { isStatus } from '../api/errors.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';
import { utf8 } from '../crypto/bytes.js';
import { isEntryMetadata, nextRevision, openValueText, sealValue, valueFormat, type SealedMeta } from '../crypto/envelope.js';
import { isOfflineError } from './connectivity.js';
import { judgeValue } from './entry-verdicts.js';
import { entryItem } from './entry-view.js';
import type { SaveInput } from './outbox-replay.js';
import type { CopiedFileValue } from './scope-copy-files.js';
import type { OpenVault } from './vault-part.js';
import { historyAfter, priorOf, sealSecretMetadata, type OpenedEntry } from './value-history.js';
import type { VaultEntryDeps } from './part-deps.js';

// One entry at a time: reveal, save, delete, and sealing values other tools wrote. Writes go to the
// server when it answers, else (or while other changes wait) into the outbox.

const MIB = 1024 * 1024;

export interface VaultEntriesDeps extends VaultEntryDeps {
  /** Pending signing key generated on the Profile page (memory only), and how to forget it. */
  pendingSigningKey?: (accountId: string) => Uint8Array | undefined;
  clearPendingSigningKey?: () => void;
}

/** `warning`: the server served an older value than this computer has seen (a rollback), or plain text where a sealed value was. */
export type RevealedValue = { value: string; format: 'hv1' | 'hoody-enc1' | 'plain'; warning?: string };

export class VaultEntries {
  constructor(private readonly deps: VaultEntriesDeps) {}

  #client(): HoodyClient {
    return this.deps.accounts.client();
  }

  /**
   * A stored value as it stands: a change waiting in the outbox first, then the server, else
   * (offline) the local copy. `server`: the entry as the server answered, when it came from there.
   */
  async storedValue(realmId: string, key: string): Promise<{ value: string; metadata: unknown; updatedAt?: string; server?: VaultValue }> {
    return this.#stored(realmId, key, (open) => this.deps.mirror.value(open, realmId, key));
  }

  /** The same, but offline a file's value is not read whole: it streams from its own sealed file in the local copy. */
  storedFile(realmId: string, key: string): Promise<{ value: string | CopiedFileValue; metadata: unknown; updatedAt?: string }> {
    return this.#stored(realmId, key, (open) => this.deps.mirror.copiedValue(open, realmId, key));
  }

  async #stored<T>(realmId: string, key: string, offline: (open: OpenVault) => Promise<T | undefined>): Promise<T | { value: string; metadata: unknown; updatedAt?: string; server?: VaultValue }> {
    const { session, connectivity, replay } = this.deps;
    const open = session.openVault();
    const pending = replay.latest(open, realmId, key);
    if (pending?.op === 'save') return { value: pending.value, metadata: pending.metadata };
    if (pending?.op === 'delete') throw new CoreError('NOT_FOUND', `“${key}” is deleted (waiting to be sent).`);
    try {
      const entry: VaultValue = await connectivity.observe(() => this.#client().getKey(key, realmId || undefined));
      return { value: entry.value, metadata: entry.metadata, updatedAt: entry.updated_at, server: entry };
    } catch (error) {
      if (!isOfflineError(error)) throw error;
      const copy = await offline(open);
      if (!copy) throw new CoreError('NETWORK', `You are offline, and “${key}” is not in this computer's copy of the scope.`);
      return copy;
    }
  }

  async reveal(realmId: string, key: string, password?: string): Promise<RevealedValue> {
    const open = this.deps.session.openVault();
    const entry = await this.storedValue(realmId, key);
    const format = valueFormat(entry.value);
    const seen = await this.deps.mirror.highestRevision(open, realmId, key);
    if (format === 'hv1' || isEntryMetadata(entry.metadata)) {
      // The first open settles the label for this version of the entry (kept for the listings).
      const problem = await judgeValue(open.keys, realmId, { key, metadata: entry.metadata as VaultEntry['metadata'] }, entry.value);
      if (entry.updatedAt) this.deps.verdicts.note(open, realmId, key, entry.updatedAt, problem);
    }
    if (format !== 'hv1' && isEntryMetadata(entry.metadata)) {
      // Metadata that says "sealed" beside a value that is not: a swap. Never shown as plain text.
      throw new CoreError('UNREADABLE', 'This entry says it was sealed by this app, but its value is not sealed: it was replaced outside this app. It is not shown.');
    }
    const wasSealed = seen === undefined ? {} : { warning: 'This computer saw this entry sealed by this app before; the server now has a value this app did not seal.' };
    if (format === 'plain') return { value: entry.value, format, ...wasSealed };
    if (format === 'hv1') {
      const opened = await openValueText(open.keys, realmId, key, entry.value);
      if (opened === undefined) {
        throw new CoreError('UNREADABLE', 'This value does not open with your vault key: it was changed outside this app, moved from another name, or sealed by another vault.');
      }
      this.deps.mirror.noteRevision(open, realmId, key, opened.revision);
      if (seen !== undefined && opened.revision < seen) {
        return { value: opened.value, format, warning: `This is an older version of “${key}” than this computer has seen (sealed ${describeRevision(opened.revision)}; the newest seen was sealed ${describeRevision(seen)}). The server may have rolled it back.` };
      }
      return { value: opened.value, format };
    }
    const opened = await this.deps.session.openHoodyEnvelope(entry.value, password);
    if (opened?.ok) return { value: opened.plaintext, format, ...wasSealed };
    if (opened?.reason === 'malformed') throw new CoreError('UNREADABLE', 'This value looks like a Hoody SDK envelope but is malformed.');
    throw new CoreError('PASSWORD_REQUIRED', password === undefined ? 'This value was encrypted with the Hoody SDK under its own password. Enter that password to open it.' : 'That password does not open this value.', {
      fields: { password: password === undefined ? 'is needed for this value' : 'does not open this value' },
    });
  }

  /**
   * A caller opened this entry's sealed value itself (readPrior, which gives what reveal would): kept
   * as reveal keeps it, the revision seen and, for this version, that it opens.
   */
  noteOpened(realmId: string, key: string, updatedAt: string | undefined, revision: number): void {
    const open = this.deps.session.openVault();
    this.deps.mirror.noteRevision(open, realmId, key, revision);
    if (updatedAt) this.deps.verdicts.note(open, realmId, key, updatedAt, undefined);
  }

  /**
   * `read`: what the caller has just read of the entry, so it is not read again. `existing`: the
   * entry as the server answered (a restore picks its earlier value from it), or null when the
   * server answered it has none (a rename's new name). `opened`: what the caller opened of the value
   * it read, which the save builds on instead of opening it again when it is the very value replaced
   * (value-history.ts, priorOf), online or waiting offline.
   */
  async save(input: SaveInput, extra: SealedMeta = {}, read: { existing?: VaultValue | null; opened?: OpenedEntry } = {}): Promise<VaultItem> {
    const { session, connectivity, replay } = this.deps;
    const open = session.openVault();
    const client = this.#client();
    const { realmId, key } = input;
    // Changes already waiting go first: while any wait, new ones join them, so order is kept.
    if (replay.hasWaiting(open)) return replay.save(open, input, extra, read.opened);
    let existing: VaultValue | undefined = read.existing ?? undefined;
    if (read.existing === undefined) {
      try {
        existing = await connectivity.observe(() =>
          client.getKey(key, realmId || undefined).catch((error: unknown) => {
            if (isStatus(error, 404)) return undefined;
            throw error;
          }),
        );
      } catch (error) {
        if (!isOfflineError(error)) throw error;
        return replay.save(open, input, extra, read.opened);
      }
    }
    if (input.mode === 'create' && existing) {
      throw new CoreError('CONFLICT', `“${key}” already exists in this scope. Choose another name or edit it.`, { fields: { key: 'already exists in this scope' } });
    }
    if (input.mode === 'update' && !existing) throw new CoreError('NOT_FOUND', `“${key}” no longer exists in this scope.`);
    // The value being replaced, opened once (value-history.ts): the value kept when no new one is
    // given, the revision the new one goes above, and the history it moves into.
    const prior = existing ? await priorOf(open.keys, realmId, key, { value: existing.value, metadata: existing.metadata, at: existing.updated_at }, read.opened) : undefined;
    let value = input.value;
    if (value === undefined) {
      if (!existing) throw new CoreError('INVALID_INPUT', 'A new entry needs a value.', { fields: { value: 'is needed' } });
      // What the stored text alone does not give (sealed with a Hoody SDK password, not opening, plain
      // text where a sealed value was) is asked of reveal, which opens it or says why it cannot.
      value = prior?.value ?? (await this.reveal(realmId, key)).value;
    }
    // The new revision is above every one seen here and the one on the server now, whatever the clocks say.
    const revision = nextRevision(Math.max((await this.deps.mirror.highestRevision(open, realmId, key)) ?? 0, prior?.revision ?? 0));
    const envelope = await sealValue(open.keys, realmId, key, value, revision);
    const { history: carried, ...described } = extra;
    const metadata = await sealSecretMetadata(open.keys, realmId, key, value, { ...described, notes: input.notes }, historyAfter(prior, carried, value));
    const metaBytes = jsonByteLength(metadata);
    await this.checkQuota(client, realmId, utf8(envelope).length + metaBytes - (existing?.size_bytes ?? 0));
    await session.ensureKeyring(client, realmId);
    const { entry } = await client.setKey(key, { value: envelope, metadata: metadata as unknown as Record<string, unknown> }, realmId || undefined).catch((error: unknown) => {
      if (error instanceof CoreError && error.code === 'QUOTA_EXCEEDED') {
        throw new CoreError('QUOTA_EXCEEDED', 'Your vault is full: the server refused to store this.', { fields: { value: 'does not fit in the space left' }, ...(error.status ? { status: error.status } : {}) });
      }
      throw error;
    });
    await this.deps.mirror.applyWrite(open, realmId, key, entry);
    this.deps.mirror.noteRevision(open, realmId, key, revision);
    return entryItem(open.keys, realmId, entry);
  }

  /** Refuses, before sending, a write that would not fit in what the account has left. */
  async checkQuota(client: HoodyClient, realmId: string, growth: number): Promise<void> {
    if (growth <= 0) return;
    const stats = await client.vaultStats(realmId || undefined);
    const remaining = Math.floor(stats.remaining_mb * MIB);
    if (growth > remaining) {
      throw new CoreError('QUOTA_EXCEEDED', `This needs ${formatBytes(growth)} but only ${formatBytes(remaining)} of your vault space is left.`, {
        fields: { value: `needs ${formatBytes(growth)}; ${formatBytes(remaining)} left` },
      });
    }
  }

  async delete(realmId: string, key: string): Promise<{ pending: boolean }> {
    const { session, connectivity, replay } = this.deps;
    const open = session.openVault();
    if (key.startsWith(RESERVED_PREFIX)) throw new CoreError('INVALID_INPUT', 'That entry belongs to the app and cannot be deleted here.', { fields: { key: 'is reserved' } });
    if (!replay.hasWaiting(open)) {
      try {
        await connectivity.observe(() => this.#client().deleteKey(key, realmId || undefined));
        await this.deps.mirror.applyWrite(open, realmId, key, undefined);
        return { pending: false };
      } catch (error) {
        if (!isOfflineError(error)) throw error;
      }
    }
    return replay.delete(open, realmId, key);
  }

  /** Deletes every entry of a scope, once its name (a realm's given name, or its id) is typed; the vault's keyring is put back. */
  async clear(realmId: string, confirmation: string, name = scopeName(realmId)): Promise<{ deleted: number }> {
    this.deps.session.openVault();
    if (confirmation.trim() !== name && confirmation.trim() !== scopeName(realmId)) {
      throw new CoreError('INVALID_INPUT', `Type “${name}” to confirm.`, { fields: { confirmation: `must be “${name}”` } });
    }
    const client = this.#client();
    const { deleted, hadKeyring } = await this.deps.session.keepKeyringThrough(client, realmId, () => client.clearVault(realmId || undefined));
    return { deleted: hadKeyring ? deleted - 1 : deleted };
  }

  /** Seals a value the app did not write (plain text or Hoody's `_enc`) in this app's format, in place. */
  async encrypt(realmId: string, key: string, password?: string): Promise<VaultItem> {
    this.deps.session.openVault();
    const entry = await this.#client().getKey(key, realmId || undefined);
    if (valueFormat(entry.value) === 'hv1') throw new CoreError('CONFLICT', 'This value is already encrypted by this app.');
    const { value } = await this.reveal(realmId, key, password);
    // Plain server metadata would leak; it moves inside the seal.
    const { notes, ...extra } = plainMetadataSealed(entry.metadata);
    return this.save({ realmId, key, value, notes: notes ?? '', mode: 'update' }, extra);
  }

  /** Stores the ED25519 private key generated on the Profile page, sealed, then forgets it. */
  async storeSigningKey(realmId: string, key: string): Promise<VaultItem> {
    const account = this.deps.session.account();
    const privateKey = this.deps.pendingSigningKey?.(account.id);
    if (!privateKey) throw new CoreError('NOT_FOUND', 'There is no newly generated key to store. Generate a key pair on the Profile page first.');
    const hex = Buffer.from(privateKey).toString('hex');
    const item = await this.save({ realmId, key, value: hex, notes: `ED25519 private key (libsodium, seed + public key, hex). Public key: ${hex.slice(64)}`, mode: 'create' });
    this.deps.clearPendingSigningKey?.();
    return item;
  }
}

/** Another tool's plain metadata as this app seals it: file name and type kept, the rest written into the notes. */
export function plainMetadataSealed(metadata: unknown): SealedMeta {
  const plain = (metadata && typeof metadata === 'object' ? metadata : {}) as Record<string, unknown>;
  const { filename, content_type, ...rest } = plain;
  const notes = Object.keys(rest).length ? Object.entries(rest).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n') : '';
  return { ...(typeof filename === 'string' ? { filename } : {}), ...(typeof content_type === 'string' ? { content_type } : {}), notes };
}

/** A revision (milliseconds since 1970) as a time, or "before revisions existed" for 0. */
function describeRevision(revision: number): string {
  return revision === 0 ? 'before versions were recorded' : `at ${new Date(revision).toISOString()}`;
}
