import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VaultEntry, VaultValue } from '../../../common/hoody-types.js';
import { scopeName, type VaultListing } from '../../../common/vault.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { openVersionedValue, valueFormat } from '../crypto/envelope.js';
import { isFileValue } from '../crypto/file-stream.js';
import type { SealedRead } from '../storage/sealed-file.js';
import { isOfflineError, type Connectivity } from './connectivity.js';
import { CopyFileStore, deriveCopyFileKeys, wipeCopyFileKeys, type CopyFileKeys } from './copy-file-store.js';
import { guardFor } from './local-state-guard.js';
import { LocalCopyStore, sameCopy, type ScopeCopy } from './local-copy-store.js';
import { CopyFiles, type CopiedValue } from './scope-copy-files.js';
import { SerialWrites } from './serial-writes.js';
import type { OpenVault, VaultPart } from './vault-part.js';

// This computer's encrypted copy of each scope, brought up to date after every listing, so the vault
// can be read offline. The opened copies (each scope's index: entries, secrets' values, the names of
// the files kept beside it) are kept in memory while the vault is open and dropped when it locks;
// files' values stay on disk, each in its own sealed file (scope-copy-files.ts).

const realmIdPattern = /^[0-9a-f]{24}$/;
/** A sync that changes nothing still rewrites the index when its `syncedAt` is older than this, so offline shows a fair time. */
const SYNCED_AT_REFRESH_MS = 15 * 60_000;

/** A copy as read or written here; `inline`: it holds files' values (before format 1.2), worked out then, not at each read (it goes through every entry). */
interface OpenedCopy { stamp: string; read: SealedRead<ScopeCopy>; inline: boolean }

interface Mirror {
  open: OpenVault;
  copies: LocalCopyStore;
  files: CopyFiles;
  fileKeys: CopyFileKeys;
  /** What is known of each scope's local copy (from the last sync in this session). */
  copyInfo: Map<string, VaultListing['copy']>;
  syncing: Map<string, Promise<void>>;
  /** The latest listing seen while a sync of the scope was running: synced right after it. */
  syncAgain: Map<string, readonly VaultEntry[]>;
  /** Each scope's copy as last opened, with the file's size and time then: unchanged files are not decrypted again. */
  openedCopies: Map<string, OpenedCopy>;
  /** Revisions opened in this session, per scope and key, not yet written into the copy. */
  seen: Map<string, Map<string, number>>;
}

export interface ScopeMirrorOptions {
  accounts: AccountsService;
  connectivity: Connectivity;
  /** Whether this open vault is still the open one. */
  isOpen: (open: OpenVault) => boolean;
  /** A scope's local copy was written (and, if it had been damaged, repaired). */
  onSynced?: (sync: { realmId: string; syncedAt: string; repaired: boolean }) => void;
  log?: (message: string) => void;
}

export class ScopeMirror implements VaultPart {
  #mirror: Mirror | undefined;
  /** Copy writes, one at a time per scope, kept past a lock: closing waits for them (`idle`). */
  readonly #writes = new SerialWrites();

  constructor(private readonly options: ScopeMirrorOptions) {}

  async onUnlock(open: OpenVault): Promise<void> {
    const dir = this.options.accounts.accountDataDir(open.accountId);
    const guard = await guardFor(this.options.accounts, open, this.options.log);
    const fileKeys = await deriveCopyFileKeys(open.keys.cache);
    const files = new CopyFiles(new CopyFileStore(dir, open.accountId, fileKeys), () => this.options.isOpen(open));
    this.#mirror = { open, copies: new LocalCopyStore(dir, open.accountId, guard), files, fileKeys, copyInfo: new Map(), syncing: new Map(), syncAgain: new Map(), openedCopies: new Map(), seen: new Map() };
  }

  /** The opened copies hold every synced secret (sealed, but with names and notes in reach), and the files' keys: gone on lock. */
  clearOnLock(): void {
    if (this.#mirror) void wipeCopyFileKeys(this.#mirror.fileKeys);
    this.#mirror = undefined;
  }

  /** Resolves once no write of a local copy runs (the vault is locked first, so none starts). */
  idle(): Promise<void> {
    return this.#writes.idle();
  }

  #for(open: OpenVault): Mirror | undefined {
    return this.#mirror?.open === open ? this.#mirror : undefined;
  }

  /** What is known of a scope's copy in this session. */
  copyInfo(open: OpenVault, realmId: string): VaultListing['copy'] {
    return this.#for(open)?.copyInfo.get(realmId) ?? { state: 'missing' };
  }

  markDamaged(open: OpenVault, realmId: string): void {
    this.#for(open)?.copyInfo.set(realmId, { state: 'damaged' });
  }

  /**
   * This computer's copy of a scope. Opening it means decrypting the whole file, so the opened copy
   * is kept and reused while the file on disk is the same one (same size and time): a file changed
   * underneath, tampered with say, is read and checked again.
   */
  async read(open: OpenVault, realmId: string): Promise<SealedRead<ScopeCopy>> {
    const mirror = this.#for(open);
    if (!mirror) return { state: 'missing' };
    const opened = await this.#read(mirror, realmId);
    // A copy written before files were kept on their own holds them inline: moved out once, under
    // the scope's write lock (and read again there, in case another write came first).
    if (opened.inline) return this.#writes.run(realmId, () => this.#readMigrated(mirror, realmId));
    return opened.read;
  }

  async #readMigrated(mirror: Mirror, realmId: string): Promise<SealedRead<ScopeCopy>> {
    const { read, inline } = await this.#read(mirror, realmId);
    if (read.state !== 'ok' || !inline || !this.options.isOpen(mirror.open)) return read;
    const migrated = await mirror.files.migrate(read.value);
    await this.#write(mirror, mirror.open, migrated);
    await mirror.files.prune(migrated);
    this.options.log?.(`local copy of ${scopeName(realmId)}: files moved out of the index`);
    return { state: 'ok', value: migrated };
  }

  async #read(mirror: Mirror, realmId: string): Promise<OpenedCopy> {
    const open = mirror.open;
    const stamp = await stat(mirror.copies.pathFor(realmId)).then((s) => `${s.size}:${s.mtimeMs}`, () => 'missing');
    const known = mirror.openedCopies.get(realmId);
    if (known && known.stamp === stamp) return known;
    const read = await mirror.copies.read(open.keys.cache, realmId);
    const opened = { stamp, read, inline: read.state === 'ok' && mirror.files.holdsInline(read.value) };
    mirror.openedCopies.set(realmId, opened);
    return opened;
  }

  /** The highest revision of a key's sealed value this computer has seen (undefined: never seen sealed). */
  async highestRevision(open: OpenVault, realmId: string, key: string): Promise<number | undefined> {
    const mirror = this.#for(open);
    if (!mirror) return undefined;
    const read = await this.read(open, realmId);
    const onDisk = read.state === 'ok' ? read.value.revisions?.[key] : undefined;
    const inSession = mirror.seen.get(realmId)?.get(key);
    if (onDisk === undefined) return inSession;
    return inSession === undefined ? onDisk : Math.max(onDisk, inSession);
  }

  /** A sealed value of this key was opened (or written) with this revision: remembered, never lowered. */
  noteRevision(open: OpenVault, realmId: string, key: string, revision: number): void {
    const mirror = this.#for(open);
    if (!mirror) return;
    const scope = mirror.seen.get(realmId) ?? new Map<string, number>();
    scope.set(key, Math.max(revision, scope.get(key) ?? 0));
    mirror.seen.set(realmId, scope);
  }

  /** The realms this computer holds a copy of (offline, the scope picker is built from them). */
  async syncedRealms(accountId: string): Promise<{ realms: string[]; global: boolean }> {
    const dir = join(this.options.accounts.accountDataDir(accountId), 'copies');
    const names = await readdir(dir).catch(() => [] as string[]);
    const scopes = names.filter((name) => name.endsWith('.hvs')).map((name) => name.slice(0, -'.hvs'.length));
    return { realms: scopes.filter((scope) => realmIdPattern.test(scope)).sort(), global: scopes.includes(scopeName('')) };
  }

  /** The copy as already opened in memory (no disk read, no decryption), if it is. */
  peek(open: OpenVault, realmId: string): ScopeCopy | undefined {
    const read = this.#for(open)?.openedCopies.get(realmId)?.read;
    return read?.state === 'ok' ? read.value : undefined;
  }

  /** A value as this computer's copy has it (offline), with its server metadata; a file's is read whole. */
  async value(open: OpenVault, realmId: string, key: string): Promise<{ value: string; metadata: unknown } | undefined> {
    const copied = await this.copiedValue(open, realmId, key);
    if (!copied) return undefined;
    return { value: typeof copied.value === 'string' ? copied.value : await copied.value.text(), metadata: copied.metadata };
  }

  /** A value as this computer's copy has it (offline): a file's as a stream read from its own sealed file. */
  async copiedValue(open: OpenVault, realmId: string, key: string): Promise<CopiedValue | undefined> {
    const mirror = this.#for(open);
    const read = await this.read(open, realmId);
    if (!mirror || read.state !== 'ok') return undefined;
    return mirror.files.valueOf(read.value, key);
  }

  /** Waits until no sync of a scope is running or queued: a command-line run ends only then. */
  async whenSynced(realmId: string): Promise<void> {
    for (let running = this.#mirror?.syncing.get(realmId); running; running = this.#mirror?.syncing.get(realmId)) await running;
  }

  /**
   * After a write the server confirmed (`written`), or a deletion (undefined): this computer's copy
   * of the scope takes it at once, so an entry created since the last listing can still be edited
   * offline. A scope never synced gets no copy from this: a partial copy would pass for the scope.
   */
  async applyWrite(open: OpenVault, realmId: string, key: string, written: VaultValue | undefined): Promise<void> {
    const mirror = this.#for(open);
    if (!mirror) return;
    try {
      // A running sync writes a whole copy: the write lands after it, on top.
      await this.#writes.run(realmId, async () => {
        const read = await this.#readMigrated(mirror, realmId);
        if (read.state !== 'ok' || !this.options.isOpen(open)) return;
        const { value, ...entry } = written ?? { value: undefined };
        const values = { ...read.value.values };
        const files = { ...read.value.files };
        delete values[key];
        delete files[key];
        if (written && value !== undefined) await mirror.files.keep(realmId, key, written.updated_at, value, values, files);
        const entries = [...read.value.entries.filter((e) => e.key !== key), ...(written ? [entry as VaultEntry] : [])];
        const copy: ScopeCopy = { ...read.value, entries, values, files };
        if (!this.options.isOpen(open)) return;
        await this.#write(mirror, open, copy);
        await mirror.files.prune(copy);
      });
    } catch (error) {
      this.options.log?.(`local copy of ${scopeName(realmId)} not updated after a write: ${(error as Error).message}`);
    }
  }

  async #write(mirror: Mirror, open: OpenVault, copy: ScopeCopy): Promise<void> {
    await mirror.copies.write(open.keys.cache, copy);
    const written = await stat(mirror.copies.pathFor(copy.realmId));
    mirror.openedCopies.set(copy.realmId, { stamp: `${written.size}:${written.mtimeMs}`, read: { state: 'ok', value: copy }, inline: mirror.files.holdsInline(copy) });
  }

  /**
   * After a listing: brings this computer's copy of the scope up to date, fetching only the values
   * that changed, and writes it atomically. A copy that did not open is simply replaced (repaired).
   * Values the listing already fetched (`prefetched`) are not fetched again.
   */
  sync(open: OpenVault, realmId: string, entries: readonly VaultEntry[], prefetched: ReadonlyMap<string, string | undefined> = new Map()): Promise<void> {
    const mirror = this.#for(open);
    if (!mirror) return Promise.resolve();
    const running = mirror.syncing.get(realmId);
    if (running) {
      // A newer listing arrived meanwhile: sync once more, with it, when this one ends.
      mirror.syncAgain.set(realmId, entries);
      return running;
    }
    const client = this.options.accounts.client();
    const job = this.#writes.run(realmId, async () => {
      const read = await this.#readMigrated(mirror, realmId);
      const previous = read.state === 'ok' ? read.value : undefined;
      const known = new Map(previous?.entries.map((e) => [e.key, e]));
      const onDisk = await mirror.files.names(realmId);
      // One await for the names of every kept file, not one per file: a no-change sync of many files waits for nothing per file.
      const nameOf = await mirror.files.namer(realmId);
      const values: Record<string, string> = {};
      const files: NonNullable<ScopeCopy['files']> = {};
      const toFetch: VaultEntry[] = [];
      for (const entry of entries) {
        const before = known.get(entry.key);
        const unchanged = before !== undefined && before.updated_at === entry.updated_at;
        // Unchanged since the last copy (a file: and still on disk), or just fetched by the listing: no request needed.
        const kept = unchanged ? previous?.values[entry.key] : undefined;
        const keptFile = unchanged ? previous?.files?.[entry.key] : undefined;
        const listed = prefetched.get(entry.key);
        if (kept !== undefined) values[entry.key] = kept;
        else if (keptFile && onDisk.has(nameOf(entry.key, keptFile.updated_at))) files[entry.key] = keptFile;
        else if (listed !== undefined) await mirror.files.keep(realmId, entry.key, entry.updated_at, listed, values, files, onDisk);
        else toFetch.push(entry);
      }
      // Each value is kept as it arrives (a file's written to its own sealed file at once, not held).
      await mirror.files.fetchInto(client, realmId, toFetch, values, files, onDisk);
      const revisions = await this.#revisions(open, mirror, realmId, previous, [...toFetch.map((e) => e.key), ...prefetched.keys()], values);
      // Checked last, just before the write: a vault locked meanwhile (or closed) writes nothing.
      if (!this.options.isOpen(open)) return;
      const now = new Date().toISOString();
      const copy: ScopeCopy = { realmId, syncedAt: now, entries: entries.filter((e) => values[e.key] !== undefined || files[e.key] !== undefined), values, files, revisions };
      // The index is written only when what it holds changed (or its time of sync is getting old).
      const write = !previous || read.state !== 'ok' || !sameCopy(previous, copy) || Date.parse(now) - Date.parse(previous.syncedAt) > SYNCED_AT_REFRESH_MS;
      if (write) await this.#write(mirror, open, copy);
      await mirror.files.prune(write ? copy : previous!, onDisk);
      mirror.copyInfo.set(realmId, { state: 'ok', syncedAt: now });
      this.options.onSynced?.({ realmId, syncedAt: now, repaired: read.state === 'damaged' });
    })
      .catch((error: unknown) => {
        if (isOfflineError(error)) this.options.connectivity.setOnline(false);
        this.options.log?.(`sync of ${scopeName(realmId)} failed: ${(error as Error).message}`);
      })
      .finally(() => {
        mirror.syncing.delete(realmId);
        const next = mirror.syncAgain.get(realmId);
        mirror.syncAgain.delete(realmId);
        if (next && this.options.isOpen(open)) void this.sync(open, realmId, next);
      });
    mirror.syncing.set(realmId, job);
    return job;
  }

  /**
   * The copy's highest revisions, brought up to date: the previous ones, those seen this session, and
   * those of the values just fetched, each counted only once its value opens (a revision the server
   * made up cannot raise the mark). An older one is logged as a rollback; the mark stays.
   */
  async #revisions(open: OpenVault, mirror: Mirror, realmId: string, previous: ScopeCopy | undefined, changed: string[], values: Record<string, string>): Promise<Record<string, number>> {
    const revisions: Record<string, number> = { ...previous?.revisions };
    const raise = (key: string, revision: number) => {
      if (revision < (revisions[key] ?? 0)) this.options.log?.(`rollback: ${scopeName(realmId)}/${key} is served at revision ${revision}, below ${revisions[key]} seen before`);
      revisions[key] = Math.max(revision, revisions[key] ?? 0);
    };
    for (const [key, revision] of mirror.seen.get(realmId) ?? []) raise(key, revision);
    for (const key of new Set(changed)) {
      const value = values[key];
      if (value === undefined || isFileValue(value) || valueFormat(value) !== 'hv1') continue;
      // The copy's own value (a listing hands the same ones over at each sync), the mark not raised since: counted when it came.
      if (value === previous?.values[key] && previous.revisions?.[key] !== undefined && revisions[key] === previous.revisions[key]) continue;
      const opened = await openVersionedValue(open.keys, realmId, key, value);
      if (opened) raise(key, opened.revision);
    }
    return revisions;
  }
}
