import { resolve } from 'node:path';
import type { OperationInput, OperationResult } from '../../common/contract.js';
import type { OperationName } from '../../common/operations.js';
import type { Core } from '../core/index.js';
import { CliError, EXIT, usageError } from './exit.js';
import { commandLineFetch } from './http-fetch.js';
import { err, out, type OutputFormat } from './io.js';

// One run of the command line: its global options, its core (made on first use, so `--help` and
// bad usage never load it), and the one way commands talk to it: dispatch(), as the window does.

export interface GlobalOptions {
  server?: string;
  account?: string;
  data?: string;
  output: OutputFormat;
  realm?: string;
  yes?: boolean;
  quiet?: boolean;
  color: boolean;
}

export interface CoreNeeds {
  /** Where files and exports are written (the core's save dialog, answered by a flag). */
  saveTo?: (suggestedName: string) => Promise<string | undefined>;
  /** Login signs in itself: no HOODY_TOKEN sign-in first. */
  forLogin?: boolean;
}

declare const __HOODY_VAULT_VERSION__: string;
export const VERSION = typeof __HOODY_VAULT_VERSION__ === 'string' ? __HOODY_VAULT_VERSION__ : '0.0.0-dev';

export class Cli {
  #core: Promise<Core> | undefined;
  #opensVault = false;
  /** Set by the entry: what to stop (an upload, an export) when Ctrl+C arrives. */
  onInterrupt: (() => Promise<void>) | undefined;

  constructor(
    readonly options: GlobalOptions,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get json(): boolean {
    return this.options.output === 'json';
  }

  get realmId(): string {
    return this.options.realm ?? '';
  }

  get dataDir(): Promise<string> {
    if (this.options.data) return Promise.resolve(resolve(this.options.data));
    return import('../core/index.js').then(({ defaultDataDir }) => defaultDataDir());
  }

  /** The core, made once per run; HOODY_TOKEN signs in for this run only, the keychain untouched. */
  core(needs: CoreNeeds = {}): Promise<Core> {
    this.#core ??= this.#makeCore(needs);
    return this.#core;
  }

  hasCore(): boolean {
    return this.#core !== undefined;
  }

  /**
   * This run is about to open the vault: libsodium (tens of milliseconds to compile and start) is
   * loaded while the core signs in, instead of after the server's answer.
   */
  willOpenVault(): void {
    this.#opensVault = true;
  }

  async #makeCore(needs: CoreNeeds): Promise<Core> {
    const index = await import('../core/index.js');
    const token = this.env.HOODY_TOKEN?.trim();
    const useToken = Boolean(token) && !needs.forLogin;
    const dataDir = await this.dataDir;
    index.setKdfWorkerUrl(new URL('./kdf-worker.mjs', import.meta.url));
    const core = await index.createCore({
      dataDir,
      mode: 'cli',
      version: VERSION,
      ...(useToken ? { keychain: { unavailable: 'HOODY_TOKEN is set: this run uses it and leaves the keychain alone' } } : {}),
      ...(this.env.HOODY_VAULT_TEST_ARGON2 === 'fast' ? { argon2: index.MIN_ARGON2 } : {}),
      ...(needs.saveTo ? { saveDialog: needs.saveTo } : {}),
      engine: { fetch: commandLineFetch },
      log: (level, message) => {
        if (this.env.HOODY_VAULT_DEBUG || level === 'error') err(`[${level}] ${message}\n`);
      },
    });
    if (useToken) {
      const serverUrl = this.options.server ?? this.env.HOODY_BASE_URL;
      if (!serverUrl) throw usageError('HOODY_TOKEN needs the server too: set HOODY_BASE_URL or pass --server.', { HOODY_BASE_URL: 'is needed with HOODY_TOKEN' });
      const signedIn = this.#dispatch(core, 'accounts.signInWithToken', { serverUrl, token: token!, sessionOnly: true });
      this.#preloadCrypto(index);
      await signedIn;
      return core;
    }
    this.#preloadCrypto(index);
    if (this.options.account) {
      const state = await this.#dispatch(core, 'accounts.list', undefined);
      const wanted = this.options.account;
      const match = state.accounts.find((a) => a.id === wanted) ?? state.accounts.find((a) => a.username === wanted);
      if (!match) throw new CliError({ code: 'NOT_FOUND', message: `No account “${wanted}” is signed in on this computer (see hoody-vault accounts).`, fields: { '--account': 'must be an account id or username from `hoody-vault accounts`' } });
      // For this run only: `accounts use` is what changes the default.
      await core.accounts.switchTo(match.id, { remember: false });
    }
    return core;
  }

  /** On the next turn of the event loop, so the sign-in's request is on its way first. */
  #preloadCrypto(index: typeof import('../core/index.js')): void {
    if (this.#opensVault) setImmediate(() => void index.preloadSodium().catch(() => {}));
  }

  async #dispatch<K extends OperationName>(core: Core, op: K, input: OperationInput<K> | undefined): Promise<OperationResult<K>> {
    const result = await core.dispatch(op, input);
    if (!result.ok) throw new CliError(result.error);
    return result.data as OperationResult<K>;
  }

  /** One operation through the core's dispatch (input checked by the contract's schemas); a failure throws CliError. */
  async call<K extends OperationName>(op: K, input?: OperationInput<K>, needs?: CoreNeeds): Promise<OperationResult<K>> {
    return this.#dispatch(await this.core(needs), op, input);
  }

  // The few things the command line needs from the core object itself rather than dispatch (as the
  // serve host does for downloads): kept here, so a reshaped core is followed in one place.

  /** Waits until this run's sync of a scope's local copy is written (the process ends right after). */
  async whenSynced(realmId: string): Promise<void> {
    const { vault } = await this.core();
    await vault.mirror.whenSynced(realmId);
    await vault.opened.whenSaved(realmId);
  }

  /** The decrypted bytes of a download prepared with vault.prepareDownload. */
  async download(token: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    return (await (await this.core()).files.takeDownload(token))?.chunks;
  }

  /** Registers a file on disk for vault.uploadFile (what the preload does for a dropped file). */
  async registerFile(path: string): Promise<{ fileId: string; name: string; size: number }> {
    const [file] = await (await this.core()).fileRegistry.register([path]);
    return file!;
  }

  /** Listens to the core's events for as long as the returned function is not called. */
  async listen(listener: (event: string, payload: unknown) => void): Promise<() => void> {
    return (await this.core()).events.subscribe(listener);
  }

  /** What a person reads on stderr (not with --quiet). */
  note(text: string): void {
    if (!this.options.quiet) err(`${text}\n`);
  }

  warn(text: string): void {
    err(`${this.options.color ? '\u001b[33mwarning:\u001b[39m' : 'warning:'} ${text}\n`);
  }

  /** The one JSON document of a run. */
  printJson(value: unknown): void {
    out(`${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * Before the process ends: changes made offline that this run started sending (the core replays
   * them once the server answers) are let finish, so none is cut between the server storing it and
   * the outbox forgetting it, which the next run would take for a conflict.
   */
  async settle(limitMs = 30_000): Promise<void> {
    if (!this.#core) return;
    const core = await this.#core.catch(() => undefined);
    if (!core) return;
    try {
      core.vault.session.openVault(); // throws LOCKED, without a request, when this run did not open it
    } catch {
      return; // not open in this run: nothing of it was sent (and asking the status could mean a request)
    }
    const until = Date.now() + limitMs;
    for (;;) {
      const status = await core.vault.session.status();
      if (status.state !== 'unlocked' || !status.pendingChanges) return;
      if (status.conflict) return this.warn(`a change made offline waits for a decision (${status.conflict.message}); open the app to choose.`);
      if (!status.online || Date.now() > until) return this.note(`${status.pendingChanges} change(s) made offline wait to be sent.`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    if (!this.#core) return;
    const core = await this.#core.catch(() => undefined);
    await core?.close();
  }
}

export { EXIT };
