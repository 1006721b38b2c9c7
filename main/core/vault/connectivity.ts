import type { AccountsService } from '../accounts/accounts-service.js';
import { CoreError } from '../core-error.js';
import type { VaultPart } from './vault-part.js';

// Whether the server can be reached. The vault falls back to this computer's copy while it cannot,
// and asks again every few seconds until it answers; then the waiting changes are sent.

/** While offline, how often the server is asked whether it is back. */
export const PROBE_MS = 10_000;
/** While the vault is open and online, how often a background check makes sure it still is. */
export const HEARTBEAT_MS = 15_000;

/** The server cannot be reached (or is down): the vault falls back to this computer's copy. */
export function isOfflineError(error: unknown): boolean {
  if (!(error instanceof CoreError)) return false;
  return error.code === 'NETWORK' || error.code === 'TIMEOUT' || (error.code === 'SERVER_ERROR' && [502, 503, 504].includes(error.status ?? 0));
}

export interface ConnectivityOptions {
  accounts: AccountsService;
  /** The server answered again: send what waits. */
  onBack: () => void;
  /** The online state changed: tell the window. */
  onChange: () => void;
  probeMs?: number;
  heartbeatMs?: number;
  log?: (message: string) => void;
}

export class Connectivity implements VaultPart {
  #online = true;
  #probe: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConnectivityOptions) {}

  get online(): boolean {
    return this.#online;
  }

  /**
   * Records what the last request said. Going offline starts the probe; it keeps running across a
   * lock (it needs no key, only the signed-in account), so a vault locked while offline still
   * notices by itself that the server is back.
   */
  setOnline(online: boolean): void {
    if (online === this.#online) return;
    this.#online = online;
    this.options.log?.(online ? 'server reachable again' : 'server unreachable: working from the local copy');
    if (online) {
      this.#stopProbe();
      this.options.onBack();
    } else if (!this.#probe) {
      this.#probe = setInterval(() => void this.probe(), this.options.probeMs ?? PROBE_MS);
      this.#probe.unref?.();
    }
    this.options.onChange();
  }

  /** Runs a request, recording whether the server answered; offline errors are rethrown. */
  async observe<T>(request: () => Promise<T>): Promise<T> {
    try {
      const result = await request();
      this.setOnline(true);
      return result;
    } catch (error) {
      if (isOfflineError(error)) this.setOnline(false);
      throw error;
    }
  }

  /** Asks the server now whether it is back (the probe, and the window's "Check again"). */
  async probe(): Promise<void> {
    if (!this.options.accounts.active()) {
      this.#stopProbe();
      return;
    }
    try {
      await this.options.accounts.client().vaultStats();
      this.setOnline(true);
    } catch (error) {
      // Still offline, or signed out meanwhile: either way nothing to do until the next tick.
      if (!isOfflineError(error)) this.options.log?.(`connection check failed: ${(error as Error).message}`);
    }
  }

  /**
   * While the vault is open, a check in the background notices an outage without waiting for the
   * user's next request (the window shows the offline banner at once). It asks without credentials
   * (see HoodyClient.reachable), so it adds nothing to the activity log.
   */
  onUnlock(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => void this.#beat(), this.options.heartbeatMs ?? HEARTBEAT_MS);
    this.#heartbeat.unref?.();
  }

  /** The heartbeat is for an open vault; the offline probe goes on (it needs no key). */
  clearOnLock(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  async #beat(): Promise<void> {
    if (!this.#online || !this.options.accounts.active()) return;
    const reachable = await this.options.accounts.client().reachable().catch(() => true);
    if (!reachable) this.setOnline(false);
  }

  /** The core is closing: no timer may outlive it. */
  stop(): void {
    this.#stopProbe();
    this.clearOnLock();
  }

  #stopProbe(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
  }
}
