import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../../main/core/core.js';
import { sealMetadata, sealValue } from '../../../../main/core/crypto/envelope.js';
import { deriveVaultKeys } from '../../../../main/core/crypto/vault-keys.js';
import { priorOf, readPrior, type PriorEntry } from '../../../../main/core/vault/value-history.js';
import { okData } from '../../../support/core.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { unlockedVaultWorld } from '../../../support/vault-world.js';
import { nextSync } from '../../../support/vault-sync.js';

// A save opens (decrypts) the value it replaces once: for the revision it must pass, the history it
// moves into and, when no new value is given, the value kept. Online, offline (over this computer's
// copy, or over a change already waiting), a restore from the history and a rename alike. What is
// opened is counted at the envelope: every open of a sealed value goes through one of its four open
// functions, which still do the real work (calls inside envelope.ts between them are not counted).
// A rename also reads each name from the server once (counted in the sandbox's activity log).

const opened = vi.hoisted(() => ({ envelopes: [] as string[] }));
vi.mock('../../../../main/core/crypto/envelope.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../main/core/crypto/envelope.js')>();
  type Keys = Parameters<typeof actual.openValue>[0];
  const counted =
    <T>(open: (keys: Keys, realmId: string, key: string, envelope: string) => Promise<T>) =>
    (keys: Keys, realmId: string, key: string, envelope: string): Promise<T> => {
      opened.envelopes.push(envelope);
      return open(keys, realmId, key, envelope);
    };
  return {
    ...actual,
    openVersionedValue: counted(actual.openVersionedValue),
    openValueText: counted(actual.openValueText),
    openValueBytes: counted(actual.openValueBytes),
    openValue: counted(actual.openValue),
  };
});

const tempDir = useTempDir();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((f) => f()));
});

const unlocked = () => unlockedVaultWorld(tempDir, cleanups, 'save opens passphrase');

/** How many times each envelope was opened while `run` ran. */
async function opensDuring(run: () => Promise<unknown>): Promise<Map<string, number>> {
  opened.envelopes.length = 0;
  await run();
  const counts = new Map<string, number>();
  for (const envelope of opened.envelopes) counts.set(envelope, (counts.get(envelope) ?? 0) + 1);
  return counts;
}

async function sync(core: Core) {
  const synced = nextSync(core, '');
  okData(await core.call('vault.list', { realmId: '' }));
  await synced;
}

describe('a save opens the value it replaces once', () => {
  it('online: with a new value, and with notes only (the value kept is the one opened)', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'db', value: 'one', notes: '', mode: 'create' }));
    const first = (await w.stored('db')).value;
    const withValue = await opensDuring(async () => okData(await core.call('vault.save', { realmId: '', key: 'db', value: 'two', notes: '', mode: 'update' })));
    expect(withValue.get(first)).toBe(1);
    const second = (await w.stored('db')).value;
    const notesOnly = await opensDuring(async () => okData(await core.call('vault.save', { realmId: '', key: 'db', notes: 'rotated', mode: 'update' })));
    expect(notesOnly.get(second)).toBe(1);
    // What the saves stored is what they should have: the kept value, the replaced one in the history.
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'db' })).value).toBe('two');
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'db' }));
    expect(okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'db', index: 0, at: items[0]!.at })).value).toBe('one');
    expect(items).toHaveLength(1);
  });

  it('a restore from the history opens the current value once, for its read and its save', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'api', value: 'first', notes: 'ci', mode: 'create' }));
    okData(await core.call('vault.save', { realmId: '', key: 'api', value: 'second', notes: 'ci', mode: 'update' }));
    const current = (await w.stored('api')).value;
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'api' }));
    const counts = await opensDuring(async () => okData(await core.call('vault.restoreValue', { realmId: '', key: 'api', index: 0, at: items[0]!.at })));
    expect(counts.get(current)).toBe(1);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'api' })).value).toBe('first');
  });

  it('offline: over the copied value, then over the change waiting in the outbox', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'token', value: 'first', notes: '', mode: 'create' }));
    await sync(core);
    const copied = (await w.stored('token')).value;
    await w.stopServer();
    const overCopy = await opensDuring(async () => expect(okData(await core.call('vault.save', { realmId: '', key: 'token', value: 'second', notes: '', mode: 'update' })).pending).toBe('save'));
    expect([...overCopy.entries()]).toEqual([[copied, 1]]);
    // The second change builds on the first (the only value opened: the waiting one), once; with notes only, its value is kept.
    const overWaiting = await opensDuring(async () => okData(await core.call('vault.save', { realmId: '', key: 'token', notes: 'offline', mode: 'update' })));
    expect([...overWaiting.values()]).toEqual([1]);
    expect(overWaiting.has(copied)).toBe(false);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'token' })).value).toBe('second');
  });

  it('offline, a restore opens the value it replaces once: the copied one, then the change waiting', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'api', value: 'first', notes: '', mode: 'create' }));
    okData(await core.call('vault.save', { realmId: '', key: 'api', value: 'second', notes: '', mode: 'update' }));
    await sync(core);
    const copied = (await w.stored('api')).value;
    await w.stopServer();
    /** Restores the earlier value at `index` of the history as it stands. */
    const restore = async (index: number) => {
      const { items } = okData(await core.call('vault.history', { realmId: '', key: 'api' }));
      return opensDuring(async () => expect(okData(await core.call('vault.restoreValue', { realmId: '', key: 'api', index, at: items[index]!.at })).pending).toBe('save'));
    };
    expect([...(await restore(0)).entries()]).toEqual([[copied, 1]]);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'api' })).value).toBe('first');
    // The second builds on the change now waiting (the only value opened), and restores "second" back.
    const overWaiting = await restore(0);
    expect([...overWaiting.values()]).toEqual([1]);
    expect(overWaiting.has(copied)).toBe(false);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'api' })).value).toBe('second');
    const { items } = okData(await core.call('vault.history', { realmId: '', key: 'api' }));
    const values = await Promise.all(items.map(async (i) => okData(await core.call('vault.revealHistoryValue', { realmId: '', key: 'api', index: i.index, at: i.at })).value));
    expect(values).toEqual(['first', 'second', 'first']);
  });

  it('a rename opens the value it moves once', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'old-name', value: 'moved', notes: 'n', mode: 'create' }));
    const source = (await w.stored('old-name')).value;
    const counts = await opensDuring(async () => okData(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'new-name' })));
    expect(counts.get(source)).toBe(1);
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'new-name' })).value).toBe('moved');
  });

  it('a rename reads each name from the server once', async () => {
    const { w, core } = await unlocked();
    okData(await core.call('vault.save', { realmId: '', key: 'old-name', value: 'moved', notes: 'n', mode: 'create' }));
    /** GETs of each key in the sandbox's activity log (a GET is logged once answered, before the rename's later requests). */
    const reads = async () => {
      const log = await fetch(`${w.url()}/api/v1/users/auth/activity?method=GET&limit=100`, { headers: { Authorization: `Bearer ${w.token}` } });
      const paths = ((await log.json()) as { data: Array<{ path: string }> }).data.map((r) => r.path);
      return { old: paths.filter((p) => p.endsWith('/vault/keys/old-name')).length, new: paths.filter((p) => p.endsWith('/vault/keys/new-name')).length };
    };
    const before = await reads();
    okData(await core.call('vault.renameKey', { realmId: '', key: 'old-name', newKey: 'new-name' }));
    // The new name's 404 is the save's answer too: it is not asked again before the copy is written.
    expect(await reads()).toEqual({ old: before.old + 1, new: before.new + 1 });
    expect(okData(await core.call('vault.reveal', { realmId: '', key: 'new-name' })).value).toBe('moved');
  });
});

describe('what a save builds on (priorOf)', () => {
  it('reuses what was opened only for the same realm, key, value and metadata: a value moved from another name still does not open', async () => {
    const keys = await deriveVaultKeys(new Uint8Array(32).fill(7), 'vault-1');
    const value = await sealValue(keys, '', 'a', 'secret of a', 5);
    const metadata = await sealMetadata(keys, '', 'a', 'secret', 11, { notes: 'n' });
    const prior = await readPrior(keys, '', 'a', { value, metadata, at: 't1' });
    expect(prior).toMatchObject({ value: 'secret of a', revision: 5, opened: true, described: { notes: 'n' } });
    const entry = { realmId: '', key: 'a', value, metadata, prior };
    // The same value and metadata (metadata as another read parses it): nothing opened, the date the one given.
    let same: PriorEntry | undefined;
    const opens = await opensDuring(async () => {
      same = await priorOf(keys, '', 'a', { value, metadata: structuredClone(metadata), at: 't2' }, entry);
    });
    expect(opens.size).toBe(0);
    expect(same).toEqual({ ...prior, at: 't2' });
    // The same text under another name or realm, or another value: opened there, as without `entry`.
    const moved = { value: undefined, revision: undefined, opened: false, history: [] };
    expect(await priorOf(keys, '', 'b', { value, metadata, at: 't2' }, entry)).toMatchObject(moved);
    expect(await priorOf(keys, 'realm-1', 'a', { value, metadata, at: 't2' }, entry)).toMatchObject(moved);
    const other = await sealValue(keys, '', 'a', 'newer', 6);
    expect(await priorOf(keys, '', 'a', { value: other, metadata, at: 't2' }, entry)).toMatchObject({ value: 'newer', revision: 6 });
  });
});
