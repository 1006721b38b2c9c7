import type { VaultValue } from '../../../common/hoody-types.js';
import { nameTakenBy, REALM_NAME_RULES, type RealmNames, type RealmNamesView } from '../../../common/realm-names.js';
import { isStatus } from '../api/errors.js';
import type { HoodyClient } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';
import { nextRevision, openValueText, sealValue, valueFormat } from '../crypto/envelope.js';
import { isOfflineError } from './connectivity.js';
import type { OpenVault, VaultPart } from './vault-part.js';
import type { VaultScopeDeps } from './part-deps.js';

// The names the user gives realms. The API knows realms by id only, so the names live in the vault
// itself: one sealed value under the reserved key `_hv.realm-names` in the global scope, sealed like
// any secret (bound to its scope and name), so every computer that opens the vault reads the same
// names, and offline this computer reads them from its copy of the global scope. Reserved keys are
// never listed as entries. The format is in docs/vault-format.md ("Realm names").
//
// Two computers can rename at the same time, and the API has no conditional write. So a change is
// merged into the server's current names just before it is written (never written from a stale
// copy), each realm's name carries the time it was set (the later one wins, realm by realm), and the
// write is read back: if another computer's write landed in between without this change, the
// change is merged and written again. It is read back twice: at once, and again a moment later
// (SETTLE_MS), for a write from elsewhere that was merged from the names as they stood before this
// one but reached the server just after the first read-back (CI caught that one: both renames
// reported saved, one of them lost).
//
// The scope list asks for the names at each return to the vault and each Refresh. The stored entry
// is still read each time (the API has no "changed since", and another computer may have renamed a
// realm), but the names opened from it are kept for the open session by that entry's version
// (its time and sealed text): a call that finds the same version opens nothing. A rename uses them
// too: the revision of the names it replaces is the one opened when they were read (not opened
// again to read it), and the names it wrote are known as written (their read-back opens nothing
// unless another computer's write came instead; each read-back still asks the server).

export const REALM_NAMES_KEY = '_hv.realm-names';
export const REALM_NAMES_FORMAT = 'hoody-vault-realm-names';
const METADATA = { hv: 1, kind: 'realm-names' };
const ATTEMPTS = 3;
/**
 * How long after its write a rename reads the names again. Another computer's write that started
 * from the names before this one lands within one request of reading them; this outlasts that by far.
 */
export const SETTLE_MS = 250;
const realmIdPattern = /^[0-9a-f]{24}$/;

/** One realm's name and when it was set; a removed name stays as `null` with its time, so a later merge does not bring it back. */
export interface NameRecord {
  name: string | null;
  at: string;
}

export interface RealmNamesDocument {
  format: typeof REALM_NAMES_FORMAT;
  v: 1;
  names: Record<string, NameRecord>;
}

const empty = (): RealmNamesDocument => ({ format: REALM_NAMES_FORMAT, v: 1, names: {} });

/** The names in a document (removed ones left out). */
export const namesOf = (doc: RealmNamesDocument): RealmNames =>
  Object.fromEntries(Object.entries(doc.names).flatMap(([id, record]) => (record.name === null ? [] : [[id, record.name]])));

/** A document as read from its opened text: anything malformed in it is dropped, entry by entry. */
export function parseRealmNames(text: string): RealmNamesDocument | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = parsed as Partial<RealmNamesDocument> | null;
  if (typeof record !== 'object' || record === null || record.format !== REALM_NAMES_FORMAT || record.v !== 1 || typeof record.names !== 'object' || record.names === null) return undefined;
  const doc = empty();
  for (const [id, entry] of Object.entries(record.names)) {
    if (!realmIdPattern.test(id) || typeof entry !== 'object' || entry === null) continue;
    const { name, at } = entry as Partial<NameRecord>;
    if ((typeof name === 'string' || name === null) && typeof at === 'string' && !Number.isNaN(Date.parse(at))) doc.names[id] = { name, at };
  }
  return doc;
}

/** A time for a change that sorts after the one it replaces, whatever this computer's clock says. */
function laterThan(previous: string | undefined, now = Date.now()): string {
  const floor = previous ? Date.parse(previous) + 1 : 0;
  return new Date(Math.max(now, floor)).toISOString();
}

export interface RealmNamesDeps extends VaultScopeDeps {
  log?: (message: string) => void;
}

/** The names as opened from one version of the stored entry (undefined: it did not open). */
interface OpenedNames {
  open: OpenVault;
  updatedAt: string;
  value: string;
  doc: RealmNamesDocument | undefined;
  /** The revision sealed in it (undefined: it did not open). */
  revision: number | undefined;
}

/** The names as stored on the server now: none (no entry), or the entry with what it opened to. */
interface StoredNames {
  doc: RealmNamesDocument;
  entry?: VaultValue;
  revision?: number;
}

export class RealmNamesStore implements VaultPart {
  #opened: OpenedNames | undefined;

  constructor(private readonly deps: RealmNamesDeps) {}

  /** The names are the user's words about their realms: gone with the vault key. */
  clearOnLock(): void {
    this.#opened = undefined;
  }

  /** The names, from the server when it answers, else from this computer's copy of the global scope. */
  async view(): Promise<RealmNamesView> {
    const { session, connectivity, mirror } = this.deps;
    const open = session.openVault();
    const account = session.account();
    const client = this.deps.accounts.client();
    try {
      return await connectivity.observe(async () => {
        // A token limited to realms cannot reach the global scope, where the names are kept.
        if (await session.allowedRealms(account, client)) return { names: {}, namesWritable: false };
        const stored = await this.#fetch(open, client);
        if (stored.entry) await this.#keepCopy(open, stored.entry);
        return { names: namesOf(stored.doc), namesWritable: true };
      });
    } catch (error) {
      if (!isOfflineError(error)) throw error;
      const copy = await mirror.value(open, '', REALM_NAMES_KEY);
      const doc = copy ? (await this.#open(open, copy.value))?.doc : undefined;
      return { names: doc ? namesOf(doc) : {}, namesWritable: false };
    }
  }

  /**
   * The names for the scope list: a failure to read them (a server error, a damaged copy) must not
   * hide the realms themselves, so it shows them by id, and is logged.
   */
  async viewOrIds(): Promise<RealmNamesView> {
    try {
      return await this.view();
    } catch (error) {
      this.deps.log?.(`realm names not read: ${(error as Error).message}`);
      return { names: {}, namesWritable: false };
    }
  }

  /** Names a realm (`null`: removes its name), merged into the server's names as they are now. */
  async set(realmId: string, name: string | null): Promise<RealmNamesView> {
    const { session, connectivity } = this.deps;
    const open = session.openVault();
    const account = session.account();
    const client = this.deps.accounts.client();
    try {
      return await connectivity.observe(async () => {
        if (await session.allowedRealms(account, client)) {
          throw new CoreError('FORBIDDEN', 'This token may use only some realms, not the global scope where realm names are kept: sign in with a token that may use every scope to name realms.');
        }
        await session.ensureKeyring(client, '');
        for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
          const { doc, revision } = await this.#fetch(open, client);
          if (name !== null && nameTakenBy(namesOf(doc), realmId, name)) {
            throw new CoreError('INVALID_INPUT', `Another realm is already called “${name}”.`, { fields: { name: REALM_NAME_RULES.taken } });
          }
          const before = doc.names[realmId];
          if ((before?.name ?? null) === name) return { names: namesOf(doc), namesWritable: true };
          const mine: NameRecord = { name, at: laterThan(before?.at) };
          const written = await this.#write(open, client, { ...doc, names: { ...doc.names, [realmId]: mine } }, revision);
          // Read back: another computer's write may have landed between the read and this write.
          const kept = (names: RealmNamesDocument) => {
            const there = names.names[realmId];
            return there !== undefined && Date.parse(there.at) >= Date.parse(mine.at);
          };
          if (kept((await this.#fetch(open, client)).doc)) {
            await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
            const settled = await this.#fetch(open, client);
            if (kept(settled.doc)) {
              await this.#keepCopy(open, settled.entry ?? written);
              return { names: namesOf(settled.doc), namesWritable: true };
            }
          }
          this.deps.log?.(`realm names: a write from elsewhere replaced this one (try ${attempt} of ${ATTEMPTS}); merging again`);
        }
        throw new CoreError('CONFLICT', 'Another computer kept changing the realm names at the same time: the name was not saved. Try again.');
      });
    } catch (error) {
      if (isOfflineError(error)) throw new CoreError('NETWORK', 'Naming a realm needs the server, which cannot be reached. The names synced before still show.');
      throw error;
    }
  }

  /**
   * Deleting everything in the global scope must not delete the realms' names with it: the sealed
   * names are read before and written back after (sealed to the same scope and key, they still open).
   */
  async keepThrough(realmId: string, clear: () => Promise<{ deleted: number }>): Promise<{ deleted: number }> {
    if (realmId !== '') return clear();
    const client = this.deps.accounts.client();
    const saved = await client.getKey(REALM_NAMES_KEY).catch((error: unknown) => {
      if (isStatus(error, 404)) return undefined;
      throw error;
    });
    const result = await clear();
    if (!saved) return result;
    await client.setKey(REALM_NAMES_KEY, { value: saved.value, metadata: (saved.metadata as Record<string, unknown> | null) ?? METADATA });
    return { deleted: Math.max(0, result.deleted - 1) };
  }

  async #fetch(open: OpenVault, client: HoodyClient): Promise<StoredNames> {
    const entry = await client.getKey(REALM_NAMES_KEY).catch((error: unknown) => {
      if (isStatus(error, 404)) return undefined;
      throw error;
    });
    if (!entry) return { doc: empty() };
    // The same version as opened before in this session (same time, same sealed text): nothing to open.
    const known = this.#opened;
    if (known && known.open === open && known.updatedAt === entry.updated_at && known.value === entry.value) return { doc: known.doc ?? empty(), entry, revision: known.revision };
    const opened = await this.#open(open, entry.value);
    // One that does not open (another tool replaced it) names nothing; the next rename replaces it.
    if (!opened) this.deps.log?.('realm names: the stored names do not open with this vault key; ignored');
    this.#remember(open, entry, opened);
    return { doc: opened?.doc ?? empty(), entry, revision: opened?.revision };
  }

  #remember(open: OpenVault, entry: VaultValue, opened: { doc: RealmNamesDocument | undefined; revision: number } | undefined): void {
    if (this.deps.session.isOpen(open)) this.#opened = { open, updatedAt: entry.updated_at, value: entry.value, doc: opened?.doc, revision: opened?.revision };
  }

  async #open(open: OpenVault, value: string): Promise<{ doc: RealmNamesDocument | undefined; revision: number } | undefined> {
    if (valueFormat(value) !== 'hv1') return undefined;
    const opened = await openValueText(open.keys, '', REALM_NAMES_KEY, value);
    if (!opened) return undefined;
    this.deps.mirror.noteRevision(open, '', REALM_NAMES_KEY, opened.revision);
    return { doc: parseRealmNames(opened.value), revision: opened.revision };
  }

  /** Seals and writes the names over the version whose revision was `theirs` (as opened when it was read). */
  async #write(open: OpenVault, client: HoodyClient, doc: RealmNamesDocument, theirs: number | undefined): Promise<VaultValue> {
    const seen = await this.deps.mirror.highestRevision(open, '', REALM_NAMES_KEY);
    const revision = nextRevision(Math.max(seen ?? 0, theirs ?? 0));
    const text = JSON.stringify(doc);
    const value = await sealValue(open.keys, '', REALM_NAMES_KEY, text, revision);
    const { entry } = await client.setKey(REALM_NAMES_KEY, { value, metadata: METADATA });
    this.deps.mirror.noteRevision(open, '', REALM_NAMES_KEY, revision);
    // Known as written: a read-back that finds this very version (same time, same sealed text) opens nothing.
    if (entry.value === value) this.#remember(open, entry, { doc: parseRealmNames(text), revision });
    return entry;
  }

  /** This computer's copy of the global scope takes the names as the server has them (so they show offline), unless it already has them. */
  async #keepCopy(open: OpenVault, entry: VaultValue): Promise<void> {
    const { mirror } = this.deps;
    const read = await mirror.read(open, '');
    if (read.state !== 'ok' || read.value.entries.find((e) => e.key === REALM_NAMES_KEY)?.updated_at === entry.updated_at) return;
    await mirror.applyWrite(open, '', REALM_NAMES_KEY, entry);
  }
}
