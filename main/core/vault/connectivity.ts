import type { AccountsService } from '../accounts/accounts-service.js';
import { CoreError } from '../core-error.js';

// Whether the server can be reached. The vault falls back to this computer's copy while it cannot,
// and asks again every few seconds until it answers; then the waiting changes are sent.

/** While offline, how often the server is asked whether it is back. */
export const PROBE_MS = 10_000;

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
  log?: (message: string) => void;
}

export class Connectivity {
  #online = true;
  #probe: NodeJS.Timeout | undefined;

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

  /** The core is closing: no timer may outlive it. */
  stop(): void {
    this.#stopProbe();
  }

  #stopProbe(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
  }
}
