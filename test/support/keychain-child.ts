// Run by keychain-faults.test.ts inside a private keyring (with tsx): what the app's keychain
// adapter makes of the keyring as it is. Prints one JSON line; a native crash prints nothing.
import { probeKeychain } from '../../main/core/accounts/secret-store.js';

const accounts = process.argv.slice(2);
const probe = await probeKeychain();
const read: Record<string, string | null | { error: string }> = {};
if (probe.available) {
  // All at once, as a start-up restoring several accounts might: the adapter queues them.
  const values = await Promise.all(accounts.map((account) => probe.store.get(account).catch((error: unknown) => ({ error: String(error) }))));
  accounts.forEach((account, i) => (read[account] = values[i]!));
}
console.log(JSON.stringify({ available: probe.available, reason: probe.available ? undefined : probe.reason, read }));
