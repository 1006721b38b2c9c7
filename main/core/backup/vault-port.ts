import type { VaultItem, VaultListing } from '../../../common/vault.js';
import type { HoodyClient } from '../api/hoody-client.js';
import type { SealedHistoryEntry } from '../crypto/envelope.js';
import type { FileSource, StoreFileInput } from '../files/files-service.js';
import type { OpenVault, VaultPart } from '../vault/vault-part.js';
import type { RevealedValue } from '../vault/entries.js';
import type { SaveInput } from '../vault/outbox-replay.js';

// What backups need of the vault and of files, through their public methods only: the scopes, a
// scope's listing, a value opened, a value stored, a file stored. The core wires it (core.ts).
export interface BackupVaultPort {
  openVault(): OpenVault;
  realms(): Promise<{ realms: string[]; globalAllowed: boolean }>;
  list(realmId: string): Promise<VaultListing>;
  reveal(realmId: string, key: string): Promise<RevealedValue>;
  storedValue(realmId: string, key: string): Promise<{ value: string; metadata: unknown }>;
  /** A secret's value and its earlier values (newest first), opened. */
  secret(realmId: string, key: string): Promise<{ value: string; history: SealedHistoryEntry[] }>;
  /** `extra.history` seals the given earlier values with a new entry (imports of this app's exports). */
  save(input: SaveInput, extra?: { history?: SealedHistoryEntry[] }): Promise<VaultItem>;
  storeFile(input: StoreFileInput, source: FileSource): Promise<VaultItem>;
  client(): HoodyClient;
  /** Registers the backup service to be cleared on lock (it holds opened imports). */
  register(part: VaultPart): void;
}
