import { randomUUID } from 'node:crypto';
import { noteVaultWrite } from '../api/vault-writes.js';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntryMetadata } from '../crypto/envelope.js';
import type { LocalStateGuard } from './local-state-guard.js';
import { readSealedJson, writeSealedJson } from '../storage/sealed-file.js';

// Changes made while offline, in the order they were made, sealed on disk (they hold sealed
// values, but also which keys were touched). Each remembers the server version it was based on,
// so a change made meanwhile on the server is noticed instead of overwritten.

/**
 * `sentAt`/`sentAs`: the change was being sent (under that key name) when it was last written: the
 * server may have it already. A replay after a crash compares before it calls anything a conflict.
 */
interface InFlight {
  sentAt?: string;
  sentAs?: string;
}

export type OutboxOp =
  | ({ id: string; op: 'save'; realmId: string; key: string; value: string; metadata: EntryMetadata; baseUpdatedAt: string | null; madeAt: string } & InFlight)
  | ({ id: string; op: 'delete'; realmId: string; key: string; baseUpdatedAt: string | null; madeAt: string } & InFlight);

/** The sealed file: `{generation, ops}` (a bare array of ops before generations, read as generation 0). */
interface OutboxFile {
  generation: number;
  ops: OutboxOp[];
}

export type NewOutboxOp = { op: 'save'; realmId: string; key: string; value: string; metadata: EntryMetadata; baseUpdatedAt: string | null } | { op: 'delete'; realmId: string; key: string; baseUpdatedAt: string | null };

export class OutboxStore {
  #ops: OutboxOp[] = [];
  #generation = 0;
  #loaded = false;
  readonly #path: string;
  readonly #ad: string;

  constructor(
    accountDir: string,
    accountId: string,
    private readonly cacheKey: () => Uint8Array,
    private readonly guard?: LocalStateGuard,
  ) {
    this.#path = join(accountDir, 'outbox.hvs');
    this.#ad = `hoody-vault/outbox/v1\n${accountId}`;
  }

  /**
   * Loads the outbox. One that does not open is moved aside (kept, never overwritten) and reported
   * through the returned path, and a fresh outbox starts: nothing is dropped silently. One older
   * than the last written here, or gone while the keychain says one was written, is reported too.
   */
  async load(): Promise<{ movedAside?: string; regression?: 'older' | 'deleted' }> {
    if (this.#loaded) return {};
    this.#loaded = true;
    const read = await readSealedJson<OutboxOp[] | OutboxFile>(this.#path, this.cacheKey(), this.#ad);
    if (read.state === 'ok') {
      const file = Array.isArray(read.value) ? { generation: 0, ops: read.value } : read.value;
      this.#ops = Array.isArray(file.ops) ? file.ops : [];
      this.#generation = typeof file.generation === 'number' ? file.generation : 0;
    }
    const regression = read.state === 'damaged' ? undefined : this.guard?.check({ outbox: true }, read.state === 'ok' ? this.#generation : undefined);
    // From here on the outbox counts on from the highest generation known, so it is not flagged again.
    this.#generation = Math.max(this.#generation, this.guard?.expected({ outbox: true }) ?? 0);
    if (read.state !== 'damaged') return regression ? { regression } : {};
    const movedAside = `${this.#path}.damaged-${Date.now()}`;
    await rename(this.#path, movedAside).catch(() => {});
    return { movedAside };
  }

  get ops(): readonly OutboxOp[] {
    return this.#ops;
  }

  async append(change: NewOutboxOp): Promise<OutboxOp> {
    noteVaultWrite();
    await this.load();
    const op = { ...change, id: randomUUID(), madeAt: new Date().toISOString() } as OutboxOp;
    this.#ops = [...this.#ops, op];
    await this.#save();
    return op;
  }

  /** Before a change is sent: recorded as in flight, so a crash after the server took it is recognised. */
  async markInFlight(id: string, asKey: string): Promise<void> {
    this.#ops = this.#ops.map((op) => (op.id === id ? { ...op, sentAt: new Date().toISOString(), sentAs: asKey } : op));
    await this.#save();
  }

  async remove(id: string): Promise<void> {
    this.#ops = this.#ops.filter((op) => op.id !== id);
    await this.#save();
  }

  /** After a change is sent: later changes to the same entry are now based on the new server version. */
  async rebase(realmId: string, key: string, updatedAt: string | null): Promise<void> {
    let changed = false;
    this.#ops = this.#ops.map((op) => {
      if (op.realmId !== realmId || op.key !== key) return op;
      changed = true;
      return { ...op, baseUpdatedAt: updatedAt };
    });
    if (changed) await this.#save();
  }

  async #save(): Promise<void> {
    const generation = this.#generation + 1;
    await writeSealedJson(this.#path, this.cacheKey(), this.#ad, { generation, ops: this.#ops } satisfies OutboxFile);
    this.#generation = generation;
    await this.guard?.advance({ outbox: true }, generation);
  }
}
