import type { VaultKeys } from '../crypto/vault-keys.js';

// What the session hands the other parts of the vault once it is open: whose vault it is and the
// keys derived from the vault key. Never the passphrase, the recovery key or the vault key itself:
// those stay inside the session.
export interface OpenVault {
  readonly accountId: string;
  readonly keys: VaultKeys;
}

/**
 * A part of the vault that holds secrets or caches while it is open. Each declares how it is
 * cleared, and the session calls every registered part when the vault locks (Bitwarden's
 * `clearOn: ["lock"]`), so lock hygiene is not a list kept by hand in one place.
 */
export interface VaultPart {
  /** The vault was opened (passphrase, recovery key or set-up), before the window hears of it. */
  onUnlock?(open: OpenVault): Promise<void> | void;
  /** The vault is locking: drop every secret, opened value and cache. */
  clearOnLock(): Promise<void> | void;
}
