import { randomBytes } from 'node:crypto';
import { probeKeychain, type KeychainStore } from '../../main/core/accounts/secret-store.js';

/**
 * The real OS keychain (GNOME Keyring's Secret Service here), under a service name of its own so
 * tests never collide with each other or with a real install. `npm test` provides the keyring.
 */
export async function realKeychain(service = `hoody-vault-test-${randomBytes(4).toString('hex')}`): Promise<KeychainStore> {
  const probe = await probeKeychain({ service });
  if (!probe.available) {
    throw new Error(`No Secret Service is reachable (${probe.reason}). Run the tests with npm test, which starts a private GNOME Keyring.`);
  }
  return probe.store;
}
