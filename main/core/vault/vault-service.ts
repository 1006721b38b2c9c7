import type { VaultStatus } from '../../../common/vault.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { Argon2Params } from '../crypto/kdf.js';
import { VaultClipboard, type ClipboardPort } from './clipboard.js';
import { Connectivity } from './connectivity.js';
import { VaultEntries } from './entries.js';
import { EntryHistory } from './entry-history.js';
import { EntryRename } from './entry-rename.js';
import { EntryVerdicts } from './entry-verdicts.js';
import { VaultListings } from './listing.js';
import { OpenedItems } from './opened-items.js';
import { OutboxReplay } from './outbox-replay.js';
import { RealmNamesStore } from './realm-names.js';
import { ScopeMirror } from './scope-mirror.js';
import { VaultSession, type LockReason } from './session.js';
import type { VaultSessionStore } from './session-store.js';

// The vault of the active account, as parts with one job each (the way Bitwarden splits its cipher
// service): the session owns the keys; connectivity knows whether the server answers; the scope
// mirror keeps this computer's copy; the outbox replay holds offline changes; listings and entries
// answer the window. Parts that hold secrets or caches register with the session, which clears
// them all on lock.

export interface VaultServiceOptions {
  accounts: AccountsService;
  autoLockMinutes: number;
  onChange: (status: VaultStatus) => void;
  /** A scope's local copy was written (and, if it had been damaged, repaired). */
  onSynced?: (sync: { realmId: string; syncedAt: string; repaired: boolean }) => void;
  /** Pending signing key generated on the Profile page (memory only). */
  pendingSigningKey?: (accountId: string) => Uint8Array | undefined;
  clearPendingSigningKey?: () => void;
  clipboard?: ClipboardPort;
  argon2?: Argon2Params;
  /** Command-line vault sessions, ended by the user's lock (see session.ts). */
  sessions?: VaultSessionStore;
  /** How often the server is asked, while offline, whether it is back (tests shorten it). */
  probeMs?: number;
  /** How often, while open and online, a background check makes sure the server still answers (tests shorten it). */
  heartbeatMs?: number;
  log?: (message: string) => void;
}

export class VaultService {
  readonly session: VaultSession;
  readonly connectivity: Connectivity;
  readonly mirror: ScopeMirror;
  readonly replay: OutboxReplay;
  readonly listings: VaultListings;
  readonly opened: OpenedItems;
  readonly entries: VaultEntries;
  readonly clipboard: VaultClipboard;
  readonly history: EntryHistory;
  readonly renames: EntryRename;
  readonly names: RealmNamesStore;
  readonly verdicts = new EntryVerdicts();

  constructor(options: VaultServiceOptions) {
    const { accounts, log } = options;
    const announce = () => this.session.announce();
    this.connectivity = new Connectivity({ accounts, onBack: () => void this.replay.replay(), onChange: () => void announce(), ...(options.probeMs ? { probeMs: options.probeMs } : {}), ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}), ...(log ? { log } : {}) });
    this.session = new VaultSession({
      accounts,
      connectivity: this.connectivity,
      autoLockMinutes: options.autoLockMinutes,
      onChange: options.onChange,
      statusParts: () => this.replay.statusPart(),
      ...(options.sessions ? { sessions: options.sessions } : {}),
      ...(options.argon2 ? { argon2: options.argon2 } : {}),
      ...(log ? { log } : {}),
    });
    const isOpen = this.session.isOpen.bind(this.session);
    this.mirror = new ScopeMirror({ accounts, connectivity: this.connectivity, isOpen, ...(options.onSynced ? { onSynced: options.onSynced } : {}), ...(log ? { log } : {}) });
    this.replay = new OutboxReplay({ accounts, connectivity: this.connectivity, mirror: this.mirror, isOpen, ensureKeyring: (client, realmId) => this.session.ensureKeyring(client, realmId), onChange: announce });
    this.session.register(this.connectivity);
    this.session.register(this.mirror);
    this.session.register(this.replay);
    this.session.register(this.verdicts);
    const deps = { accounts, session: this.session, connectivity: this.connectivity, mirror: this.mirror, replay: this.replay, verdicts: this.verdicts };
    this.opened = new OpenedItems(accounts, log);
    this.session.register(this.opened);
    this.listings = new VaultListings({ ...deps, opened: this.opened });
    // After the parts a listing reads (the copy, the outbox, the verdicts, the opened entries): its
    // onUnlock starts the window's first listing, which needs them told of the open vault already.
    this.session.register(this.listings);
    this.entries = new VaultEntries({
      ...deps,
      ...(options.pendingSigningKey ? { pendingSigningKey: options.pendingSigningKey } : {}),
      ...(options.clearPendingSigningKey ? { clearPendingSigningKey: options.clearPendingSigningKey } : {}),
    });
    this.history = new EntryHistory({ session: this.session, entries: this.entries });
    this.renames = new EntryRename({ session: this.session, entries: this.entries });
    this.names = new RealmNamesStore({ ...deps, ...(log ? { log } : {}) });
    this.session.register(this.names);
    this.clipboard = new VaultClipboard((realmId, key) => this.entries.reveal(realmId, key), options.clipboard);
  }

  /** For the edges' own triggers (suspend, screen lock): the window's Lock goes through dispatch. */
  lock(reason: LockReason): Promise<VaultStatus> {
    return this.session.lock(reason);
  }

  /** The core is closing: lock, and stop every timer. */
  async close(): Promise<void> {
    await this.session.lock('quit');
    this.connectivity.stop();
    // A write of a local copy (a file's sealed value, say) that was under way ends before the core does.
    await this.mirror.idle();
  }
}
