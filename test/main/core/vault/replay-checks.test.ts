import { describe, expect, it } from 'vitest';
import type { VaultValue } from '../../../../common/hoody-types.js';
import type { EntryMetadata } from '../../../../main/core/crypto/envelope.js';
import { conflictOf } from '../../../../main/core/vault/replay-checks.js';
import type { OutboxOp } from '../../../../main/core/vault/outbox-store.js';

// Whether a change made offline still applies to the entry as the server has it now: every case
// of (save | delete) × (based on nothing | on a version) × (server: none | same | newer version).

const V1 = '2026-01-01T00:00:00.000Z';
const V2 = '2026-02-02T00:00:00.000Z';
const metadata: EntryMetadata = { hv: 1, kind: 'secret', size: 1, sealed: 'AAAA' };
const op = (change: 'save' | 'delete', baseUpdatedAt: string | null): OutboxOp =>
  change === 'save'
    ? { id: 'op-1', op: 'save', realmId: 'realm-1', key: 'api-key', value: 'sealed', metadata, baseUpdatedAt, madeAt: V1 }
    : { id: 'op-1', op: 'delete', realmId: 'realm-1', key: 'api-key', baseUpdatedAt, madeAt: V1 };
const server = (updatedAt: string): VaultValue => ({ key: 'api-key', realm_id: 'realm-1', value: 'x', metadata: null, size_bytes: 1, created_at: V1, updated_at: updatedAt });

type Row = [change: 'save' | 'delete', base: string | null, current: string | undefined, reason: 'changed' | 'deleted' | 'exists' | undefined, message?: RegExp];

describe('conflictOf', () => {
  it.each<Row>([
    // A new entry made here.
    ['save', null, undefined, undefined],
    ['save', null, V1, 'exists', /was created on the server while you made it here/],
    // An edit of an entry as it was at V1.
    ['save', V1, V1, undefined],
    ['save', V1, V2, 'changed', /was changed on the server after you edited it here/],
    ['save', V1, undefined, 'deleted', /was deleted on the server after you edited it here/],
    // A deletion of an entry as it was at V1.
    ['delete', V1, V1, undefined],
    ['delete', V1, undefined, undefined],
    ['delete', V1, V2, 'changed', /was changed on the server after you deleted it here/],
    // A deletion of something that was not on the server when it was made.
    ['delete', null, undefined, undefined],
    ['delete', null, V1, 'changed', /was changed on the server after you deleted it here/],
  ])('%s based on %s, server at %s → %s', (change, base, current, reason, message) => {
    const conflict = conflictOf(op(change, base), current ? server(current) : undefined);
    if (!reason) {
      expect(conflict).toBeUndefined();
      return;
    }
    expect(conflict).toEqual({
      opId: 'op-1',
      realmId: 'realm-1',
      key: 'api-key',
      change,
      reason,
      message: expect.stringMatching(message!),
      mineMadeAt: op(change, base).madeAt,
      ...(current ? { theirsUpdatedAt: current } : {}),
    });
    expect(conflict!.message).toContain('“api-key”');
  });
});
