import { randomUUID } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntryMetadata } from '../crypto/envelope.js';
import { readSealedJson, writeSealedJson } from '../storage/sealed-file.js';

// Changes made while offline, in the order they were made, sealed on disk (they hold sealed
// values, but also which keys were touched). Each remembers the server version it was based on,
// so a change made meanwhile on the server is noticed instead of overwritten.

export type OutboxOp =
  | { id: string; op: 'save'; realmId: string; key: string; value: string; metadata: EntryMetadata; baseUpdatedAt: string | null; madeAt: string }
  | { id: string; op: 'delete'; realmId: string; key: string; baseUpdatedAt: string | null; madeAt: string };

export type NewOutboxOp = { op: 'save'; realmId: string; key: string; value: string; metadata: EntryMetadata; baseUpdatedAt: string | null } | { op: 'delete'; realmId: string; key: string; baseUpdatedAt: string | null };

export class OutboxStore {
  #ops: OutboxOp[] = [];
  #loaded = false;
  readonly #path: string;
  readonly #ad: string;

  constructor(
    accountDir: string,
    accountId: string,
    private readonly cacheKey: () => Uint8Array,
  ) {
    this.#path = join(accountDir, 'outbox.hvs');
    this.#ad = `hoody-vault/outbox/v1\n${accountId}`;
  }

  /**
   * Loads the outbox. One that does not open is moved aside (kept, never overwritten) and reported
   * through the returned path, and a fresh outbox starts: nothing is dropped silently.
   */
  async load(): Promise<{ movedAside?: string }> {
    if (this.#loaded) return {};
    this.#loaded = true;
    const read = await readSealedJson<OutboxOp[]>(this.#path, this.cacheKey(), this.#ad);
    if (read.state === 'ok' && Array.isArray(read.value)) this.#ops = read.value;
    if (read.state !== 'damaged') return {};
    const movedAside = `${this.#path}.damaged-${Date.now()}`;
    await rename(this.#path, movedAside).catch(() => {});
    return { movedAside };
  }

  get ops(): readonly OutboxOp[] {
    return this.#ops;
  }

  async append(change: NewOutboxOp): Promise<OutboxOp> {
    await this.load();
    const op = { ...change, id: randomUUID(), madeAt: new Date().toISOString() } as OutboxOp;
    this.#ops = [...this.#ops, op];
    await this.#save();
    return op;
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
    await writeSealedJson(this.#path, this.cacheKey(), this.#ad, this.#ops);
  }
}
