import type { VaultEntry } from '../../../common/hoody-types.js';
import { uniqueKey } from '../../../common/vault-files.js';
import type { ConflictChoice, ConflictSide, OutboxConflict, VaultItem, VaultStatus } from '../../../common/vault.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { isStatus } from '../api/errors.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';
import { utf8 } from '../crypto/bytes.js';
import { nextRevision, openMetadata, openValue, sealMetadata, sealValue, valueFormat, type SealedMeta } from '../crypto/envelope.js';
import { isOfflineError, type Connectivity } from './connectivity.js';
import { entryItem } from './entry-view.js';
import { guardFor, type LocalStateGuard } from './local-state-guard.js';
import { OutboxStore, type OutboxOp } from './outbox-store.js';
import { alreadyArrived, alreadyKept, conflictOf, currentValue } from './replay-checks.js';
import type { ScopeMirror } from './scope-mirror.js';
import { historyAfter, keepReplaced, priorOf, sealSecretMetadata, type OpenedEntry } from './value-history.js';
import type { OpenVault, VaultPart } from './vault-part.js';

// Changes made offline (or behind other waiting changes): sealed as usual, kept in order in the
// outbox, and replayed when the server is back, each checked against the server's version first.

export interface SaveInput {
  realmId: string;
  key: string;
  value?: string | undefined;
  notes: string;
  mode: 'create' | 'update';
}

/** An entry as known without the server. `value`: absent when it does not exist, or is a file in this computer's copy. */
export type OfflineState = { exists: boolean; baseUpdatedAt: string | null; value?: string; metadata?: unknown; at?: string };

interface Waiting {
  open: OpenVault;
  outbox: OutboxStore;
}

export interface OutboxReplayOptions {
  accounts: AccountsService;
  connectivity: Connectivity;
  mirror: ScopeMirror;
  isOpen: (open: OpenVault) => boolean;
  ensureKeyring: (client: HoodyClient, realmId: string) => Promise<void>;
  /** The waiting changes or the conflict changed: tell the window. */
  onChange: () => Promise<void>;
}

export class OutboxReplay implements VaultPart {
  #waiting: Waiting | undefined;
  #conflict: OutboxConflict | undefined;
  #problem: string | undefined;
  #replaying: Promise<void> | undefined;
  #guard: LocalStateGuard | undefined;

  constructor(private readonly options: OutboxReplayOptions) {}

  async onUnlock(open: OpenVault): Promise<void> {
    const guard = await guardFor(this.options.accounts, open);
    this.#guard = guard;
    guard.onReport = () => void this.options.onChange();
    const outbox = new OutboxStore(this.options.accounts.accountDataDir(open.accountId), open.accountId, () => open.keys.cache, guard);
    const { movedAside, regression } = await outbox.load();
    this.#problem = movedAside ? `Changes made offline earlier could not be read (the outbox was damaged); it was kept as ${movedAside} and nothing in it was sent.` : undefined;
    if (regression === 'deleted') guard.report('The outbox of changes made offline was deleted outside the app: changes that were waiting to be sent are lost.');
    if (regression === 'older') guard.report('The outbox of changes made offline was put back to an older state outside the app: changes made since may be lost, and older ones may be sent again.');
    this.#waiting = { open, outbox };
    if (outbox.ops.length) void this.replay();
  }

  /** The outbox stays sealed on disk; what is dropped is its opened list and the conflict shown. */
  clearOnLock(): void {
    this.#waiting = undefined;
    this.#conflict = undefined;
    this.#guard = undefined;
  }

  /** What the vault's status says of the waiting changes, and of local files found rolled back. */
  statusPart(): Pick<VaultStatus, 'pendingChanges' | 'conflict' | 'outboxProblem' | 'localRollback'> {
    const rollbacks = this.#guard?.problems ?? [];
    return {
      pendingChanges: this.#waiting?.outbox.ops.length ?? 0,
      ...(this.#conflict ? { conflict: this.#conflict } : {}),
      ...(this.#problem ? { outboxProblem: this.#problem } : {}),
      ...(rollbacks.length ? { localRollback: rollbacks.join(' ') } : {}),
    };
  }

  #for(open: OpenVault): OutboxStore {
    if (this.#waiting?.open !== open) throw new CoreError('LOCKED', 'The vault is locked. Unlock it to continue.');
    return this.#waiting.outbox;
  }

  /** Whether changes wait: while any do, new ones join them, so order is kept. */
  hasWaiting(open: OpenVault): boolean {
    return this.#for(open).ops.length > 0;
  }

  /** The last waiting change of an entry, if any. */
  latest(open: OpenVault, realmId: string, key: string): OutboxOp | undefined {
    return [...this.#for(open).ops].reverse().find((op) => op.realmId === realmId && op.key === key);
  }

  /**
   * What is known of an entry without the server: the changes waiting for it, else this computer's
   * copy. `baseUpdatedAt` is the server version a change is made on (null: it did not exist there).
   */
  async offlineState(open: OpenVault, realmId: string, key: string): Promise<OfflineState> {
    const ops = this.#for(open).ops.filter((op) => op.realmId === realmId && op.key === key);
    const first = ops[0];
    const last = ops.at(-1);
    if (first && last) {
      return last.op === 'save' ? { exists: true, baseUpdatedAt: first.baseUpdatedAt, value: last.value, metadata: last.metadata, at: last.madeAt } : { exists: false, baseUpdatedAt: first.baseUpdatedAt };
    }
    const read = await this.options.mirror.read(open, realmId);
    const entry = read.state === 'ok' ? read.value.entries.find((e) => e.key === key) : undefined;
    if (!entry || read.state !== 'ok') return { exists: false, baseUpdatedAt: null };
    const value = read.value.values[key];
    // Only a file is in the copy without a value in its index (the copy keeps no entry with neither):
    // its value is a sealed file of its own (copy-file-store.ts), not read here. A save over it has
    // no earlier value to keep, and one without a new value is refused for want of it.
    if (value === undefined) return { exists: true, baseUpdatedAt: entry.updated_at, metadata: entry.metadata, at: entry.updated_at };
    return { exists: true, baseUpdatedAt: entry.updated_at, value, metadata: entry.metadata, at: entry.updated_at };
  }

  /**
   * Offline (or behind other waiting changes): the change is sealed here as usual and kept in the
   * outbox; the entry is returned marked pending, never as saved, until the server confirms it.
   * `opened`: what the caller already opened of the entry (a restore), used when it is the value replaced.
   */
  async save(open: OpenVault, input: SaveInput, extra: SealedMeta, opened?: OpenedEntry): Promise<VaultItem> {
    const { realmId, key } = input;
    const state = await this.offlineState(open, realmId, key);
    if (input.mode === 'create' && state.exists) {
      throw new CoreError('CONFLICT', `“${key}” already exists in this scope. Choose another name or edit it.`, { fields: { key: 'already exists in this scope' } });
    }
    if (input.mode === 'update' && !state.exists) throw new CoreError('NOT_FOUND', `“${key}” no longer exists in this scope.`);
    // The value being replaced (the last waiting change's, else this computer's copy), opened once, as
    // online: the value kept when no new one is given, the revision to go above, and the history.
    const prior = state.exists && state.value !== undefined ? await priorOf(open.keys, realmId, key, { value: state.value, metadata: state.metadata, at: state.at }, opened) : undefined;
    let value = input.value;
    if (value === undefined) {
      // Offline only a value this app sealed is kept (`revision` is set only when one opened).
      if (prior?.revision === undefined || prior.value === undefined) throw new CoreError('INVALID_INPUT', 'Enter the value too: it is not available offline.', { fields: { value: 'is needed offline' } });
      value = prior.value;
    }
    const revision = nextRevision(Math.max((await this.options.mirror.highestRevision(open, realmId, key)) ?? 0, prior?.revision ?? 0));
    const envelope = await sealValue(open.keys, realmId, key, value, revision);
    const { history: carried, ...described } = extra;
    const metadata = await sealSecretMetadata(open.keys, realmId, key, value, { ...described, notes: input.notes }, historyAfter(prior, carried, value));
    this.options.mirror.noteRevision(open, realmId, key, revision);
    await this.#for(open).append({ op: 'save', realmId, key, value: envelope, metadata, baseUpdatedAt: state.baseUpdatedAt });
    await this.#changed();
    const now = new Date().toISOString();
    const item = await entryItem(open.keys, realmId, { key, realm_id: realmId, metadata: metadata as unknown as Record<string, unknown>, size_bytes: utf8(envelope).length, created_at: now, updated_at: now });
    return { ...item, pending: 'save' };
  }

  /** A deletion made offline: kept until the server is back. */
  async delete(open: OpenVault, realmId: string, key: string): Promise<{ pending: true }> {
    const state = await this.offlineState(open, realmId, key);
    if (!state.exists) throw new CoreError('NOT_FOUND', `“${key}” does not exist in this scope.`);
    await this.#for(open).append({ op: 'delete', realmId, key, baseUpdatedAt: state.baseUpdatedAt });
    await this.#changed();
    return { pending: true };
  }

  /** Lays the changes still in the outbox over a listing, marked as waiting for the server. */
  async withPending(open: OpenVault, realmId: string, items: VaultItem[]): Promise<VaultItem[]> {
    const ops = this.#for(open).ops;
    // Most listings have nothing waiting: the same array, not a copy of 10,000 through a map.
    if (!ops.some((op) => op.realmId === realmId)) return items;
    const byKey = new Map(items.map((item) => [item.key, item]));
    for (const op of ops) {
      if (op.realmId !== realmId) continue;
      if (op.op === 'delete') {
        const item = byKey.get(op.key);
        if (item) byKey.set(op.key, { ...item, pending: 'delete' });
        continue;
      }
      const previous = byKey.get(op.key);
      const entry: VaultEntry = { key: op.key, realm_id: realmId, metadata: op.metadata as unknown as Record<string, unknown>, size_bytes: utf8(op.value).length, created_at: previous?.createdAt ?? op.madeAt, updated_at: op.madeAt };
      byKey.set(op.key, { ...(await entryItem(open.keys, realmId, entry)), pending: 'save' });
    }
    return [...byKey.values()];
  }

  async #changed(): Promise<void> {
    await this.options.onChange();
    if (this.options.connectivity.online) void this.replay();
  }

  /**
   * Sends the waiting changes in order. Each is checked against the server first: an entry changed
   * there since the change was made (its updated_at differs), deleted there, or created there
   * meanwhile stops the replay until the user chooses; so does a change the server refuses.
   */
  replay(): Promise<void> {
    this.#replaying ??= (async () => {
      const waiting = this.#waiting;
      if (!waiting) return;
      const client = this.options.accounts.client();
      while (this.#waiting === waiting && waiting.outbox.ops.length && !this.#conflict) {
        const op = waiting.outbox.ops[0]!;
        try {
          const current = await currentValue(client, op.realmId, op.sentAs ?? op.key);
          if (op.sentAt && (await alreadyArrived(waiting.open, op, current))) {
            // Sent before a crash, and the server has it: done, not a conflict.
            await waiting.outbox.remove(op.id);
            if ((op.sentAs ?? op.key) === op.key) await waiting.outbox.rebase(op.realmId, op.key, current?.updated_at ?? null);
            continue;
          }
          const conflict = conflictOf(op, op.sentAs && op.sentAs !== op.key ? await currentValue(client, op.realmId, op.key) : current);
          if (conflict) {
            this.#conflict = conflict;
            break;
          }
          await this.#apply(waiting, client, op);
        } catch (error) {
          if (isOfflineError(error)) {
            this.options.connectivity.setOnline(false);
            break;
          }
          this.#conflict = { opId: op.id, realmId: op.realmId, key: op.key, change: op.op, mineMadeAt: op.madeAt, reason: 'refused', message: `The server refused this change: ${(error as Error).message}` };
          break;
        }
      }
      await this.options.onChange();
    })().finally(() => {
      this.#replaying = undefined;
    });
    return this.#replaying;
  }

  /** Sends one waiting change, then points later changes of the same entry at the new server version. */
  async #apply({ open, outbox }: Waiting, client: HoodyClient, op: OutboxOp, asKey = op.key): Promise<void> {
    let updatedAt: string | null = null;
    if (op.op === 'save') {
      await this.options.ensureKeyring(client, op.realmId);
      let { value, metadata } = op;
      if (asKey !== op.key) {
        // Sealed values are bound to their key name: under another name they are sealed again.
        const plain = await openValue(open.keys, op.realmId, op.key, value);
        const meta = await openMetadata(open.keys, op.realmId, op.key, metadata);
        if (plain === undefined || !meta) throw new CoreError('UNREADABLE', 'The waiting change could not be opened to store it under another name.');
        value = await sealValue(open.keys, op.realmId, asKey, plain);
        const { kind: _kind, size: _size, ...described } = meta;
        metadata = await sealMetadata(open.keys, op.realmId, asKey, metadata.kind, metadata.size, described);
      }
      // Recorded before it is sent: killed between the server's answer and the removal below, the
      // next replay finds the change on the server and does not take it for a conflict.
      await outbox.markInFlight(op.id, asKey);
      const { entry } = await client.setKey(asKey, { value, metadata: metadata as unknown as Record<string, unknown> }, op.realmId || undefined);
      updatedAt = entry.updated_at;
      await this.options.mirror.applyWrite(open, op.realmId, asKey, entry);
    } else {
      await outbox.markInFlight(op.id, op.key);
      await client.deleteKey(op.key, op.realmId || undefined).catch((error: unknown) => {
        if (!isStatus(error, 404)) throw error;
      });
      await this.options.mirror.applyWrite(open, op.realmId, op.key, undefined);
    }
    await outbox.remove(op.id);
    if (asKey === op.key) await outbox.rebase(op.realmId, op.key, updatedAt);
  }

  /**
   * One side of the conflict the replay stopped at, opened so the user can compare before choosing:
   * the change waiting here, or the server's version now. Values other tools sealed with their own
   * password come back as their format only.
   */
  async revealConflict(open: OpenVault, opId: string, side: 'mine' | 'theirs'): Promise<ConflictSide> {
    const op = this.#for(open).ops.find((o) => o.id === opId);
    if (!this.#conflict || this.#conflict.opId !== opId || !op) throw new CoreError('NOT_FOUND', 'That change is no longer waiting for a decision.');
    if (side === 'mine') {
      if (op.op === 'delete') return { value: null, format: null, at: op.madeAt };
      return { value: (await openValue(open.keys, op.realmId, op.key, op.value)) ?? null, format: 'hv1', at: op.madeAt };
    }
    const current = await this.options.accounts.client().getKey(op.key, op.realmId || undefined).catch((error: unknown) => {
      if (isStatus(error, 404)) return undefined;
      throw error;
    });
    if (!current) return { value: null, format: null, at: null };
    const format = valueFormat(current.value);
    const value = format === 'plain' ? current.value : format === 'hv1' ? ((await openValue(open.keys, op.realmId, op.key, current.value)) ?? null) : null;
    return { value, format, at: current.updated_at };
  }

  /** The user's choice for the change the replay stopped at: keep mine, keep theirs, or keep both. */
  async resolveConflict(open: OpenVault, opId: string, choice: ConflictChoice): Promise<void> {
    const outbox = this.#for(open);
    const waiting = this.#waiting!;
    const conflict = this.#conflict;
    const op = outbox.ops.find((o) => o.id === opId);
    if (!conflict || conflict.opId !== opId || !op) throw new CoreError('NOT_FOUND', 'That change is no longer waiting for a decision.');
    const client = this.options.accounts.client();
    if (choice === 'theirs') {
      await outbox.remove(op.id);
    } else if (choice === 'mine') {
      const current = op.op === 'save' ? await currentValue(client, op.realmId, op.key) : undefined;
      await this.#apply(waiting, client, op.op === 'save' && current ? { ...op, metadata: await keepReplaced(open.keys, op.realmId, op.key, op, current) } : op);
    } else {
      if (op.op !== 'save') throw new CoreError('INVALID_INPUT', 'Keeping both applies to an edit, not a deletion.', { fields: { choice: 'must be mine or theirs for a deletion' } });
      const listed = (await client.listKeys(op.realmId || undefined)).map((e) => e.key);
      const stamp = op.madeAt.slice(0, 16).replace(/[-:T]/g, '');
      const stem = `${op.key}.mine-${stamp}`.slice(0, 255);
      // Keeping both never stores the same text twice: when theirs, or a copy kept before, already
      // holds exactly my value, my change is simply done.
      if (await alreadyKept(open, client, op, [op.key, ...listed.filter((k) => k.startsWith(stem))])) await outbox.remove(op.id);
      else await this.#apply(waiting, client, op, uniqueKey(stem, new Set(listed)));
    }
    this.#conflict = undefined;
    await this.replay();
  }
}
