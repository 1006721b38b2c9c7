import { createRequire } from 'node:module';

// Where account credentials live: the OS keychain (keytar: Keychain on macOS, Credential Vault on
// Windows, the Secret Service on Linux), or, when no keychain works and the user agrees, memory
// for this session only. Never a file.
//
// keytar is archived, and two of its paths can kill the whole process from native code, where no
// try/catch reaches:
// - `findCredentials` segfaults on any item whose secret it cannot load (a locked collection, a
//   dismissed prompt, an item with no value): libsecret logs `secret_value_get_text: assertion
//   'value' failed` and keytar builds a string from NULL (atom/node-keytar#477).
// - concurrent calls can abort inside libgcrypt (atom/node-keytar#283).
// So this adapter never calls `findCredentials` (the probe is a lookup of an account that is never
// stored; accounts are read by name from accounts.json), and every call goes through one queue,
// one at a time, for the whole process. getPassword on a locked or unreadable item answers null
// instead (tested against a real GNOME Keyring in test/main/core/accounts/keychain-faults.test.ts).

export const KEYCHAIN_SERVICE = 'hoody-vault';

export interface SecretStore {
  readonly kind: 'keychain' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** The only keytar calls the app makes (deliberately not `findCredentials`: see above). */
export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** An account name that is never stored: looking it up proves the keychain answers, and reads nothing. */
export const PROBE_ACCOUNT = 'hoody-vault-probe (never stored)';

/**
 * Runs keychain calls one at a time, in order. A call that fails does not stop the ones behind it.
 * One queue per process (not per store), since the native library is shared.
 */
export class KeychainQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #running = 0;
  #peak = 0;

  run<T>(call: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(async () => {
      this.#running += 1;
      this.#peak = Math.max(this.#peak, this.#running);
      try {
        return await call();
      } finally {
        this.#running -= 1;
      }
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** The most calls ever running at once (1 when serialised); for tests. */
  get peak(): number {
    return this.#peak;
  }
}

export const keychainQueue = new KeychainQueue();

export class KeychainStore implements SecretStore {
  readonly kind = 'keychain';
  constructor(
    private readonly keytar: Keytar,
    private readonly service = KEYCHAIN_SERVICE,
    private readonly queue = keychainQueue,
  ) {}
  get(account: string) {
    return this.queue.run(() => this.keytar.getPassword(this.service, account));
  }
  set(account: string, secret: string) {
    return this.queue.run(() => this.keytar.setPassword(this.service, account, secret));
  }
  delete(account: string) {
    return this.queue.run(() => this.keytar.deletePassword(this.service, account));
  }
}

export class MemoryStore implements SecretStore {
  readonly kind = 'memory';
  readonly #secrets = new Map<string, string>();
  async get(account: string) {
    return this.#secrets.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.#secrets.set(account, secret);
  }
  async delete(account: string) {
    return this.#secrets.delete(account);
  }
}

export type KeychainProbe = { available: true; store: KeychainStore } | { available: false; reason: string };

/**
 * Loads keytar and asks the keychain something harmless (the password of an account that is never
 * stored), so a missing Secret Service is found at start-up (and explained) rather than at the
 * first sign-in. A keychain that does not answer within the timeout counts as unavailable.
 */
export async function probeKeychain(options: { service?: string; timeoutMs?: number; load?: () => Keytar; queue?: KeychainQueue } = {}): Promise<KeychainProbe> {
  let keytar: Keytar;
  try {
    keytar = (options.load ?? (() => createRequire(import.meta.url)('keytar') as Keytar))();
  } catch (error) {
    // keytar is optional: where its build failed at install, say what to install (see README, Prerequisites).
    return { available: false, reason: `the keychain module (keytar) is not installed (${firstLine(error)}); install the build prerequisites named in the README and run npm install again` };
  }
  const service = options.service ?? KEYCHAIN_SERVICE;
  const queue = options.queue ?? keychainQueue;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queue.run(() => keytar.getPassword(service, PROBE_ACCOUNT)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('it did not answer in time')), options.timeoutMs ?? 5000);
      }),
    ]);
    return { available: true, store: new KeychainStore(keytar, service, queue) };
  } catch (error) {
    return { available: false, reason: explain(firstLine(error)) };
  } finally {
    clearTimeout(timer);
  }
}

function explain(reason: string): string {
  if (/D-Bus|dbus|org\.freedesktop\.secrets|Secret Service/i.test(reason)) {
    return `no Secret Service is running (${reason}); install and unlock GNOME Keyring or KWallet`;
  }
  return reason;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
