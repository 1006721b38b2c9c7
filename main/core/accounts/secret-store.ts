import { createRequire } from 'node:module';

// Where account credentials live: the OS keychain (keytar: Keychain on macOS, Credential Vault on
// Windows, the Secret Service on Linux), or, when no keychain works and the user agrees, memory
// for this session only. Never a file.

export const KEYCHAIN_SERVICE = 'hoody-vault';

export interface SecretStore {
  readonly kind: 'keychain' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export class KeychainStore implements SecretStore {
  readonly kind = 'keychain';
  constructor(
    private readonly keytar: Keytar,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}
  get(account: string) {
    return this.keytar.getPassword(this.service, account);
  }
  set(account: string, secret: string) {
    return this.keytar.setPassword(this.service, account, secret);
  }
  delete(account: string) {
    return this.keytar.deletePassword(this.service, account);
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
 * Loads keytar and asks the keychain something harmless, so a missing Secret Service is found at
 * start-up (and explained) rather than at the first sign-in. A keychain that does not answer
 * within the timeout counts as unavailable.
 */
export async function probeKeychain(options: { service?: string; timeoutMs?: number; load?: () => Keytar } = {}): Promise<KeychainProbe> {
  let keytar: Keytar;
  try {
    keytar = (options.load ?? (() => createRequire(import.meta.url)('keytar') as Keytar))();
  } catch (error) {
    // keytar is optional: where its build failed at install, say what to install (see README, Prerequisites).
    return { available: false, reason: `the keychain module (keytar) is not installed (${firstLine(error)}); install the build prerequisites named in the README and run npm install again` };
  }
  const service = options.service ?? KEYCHAIN_SERVICE;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      keytar.findCredentials(service),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('it did not answer in time')), options.timeoutMs ?? 5000);
      }),
    ]);
    return { available: true, store: new KeychainStore(keytar, service) };
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
