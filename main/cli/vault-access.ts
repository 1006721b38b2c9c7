import type { VaultStatus } from '../../common/vault.js';
import type { Cli } from './context.js';
import { CliError, EXIT } from './exit.js';
import { isTty, prompt } from './io.js';

// Opening the vault for one command, cheapest way first: a session from `vault unlock`
// (HOODY_VAULT_SESSION, no key derivation), then the passphrase from the documented variable, then
// a prompt on a terminal. With none of these the command stops with exit 5 and says what to do.

export const LOCKED_HINT = 'Run `eval "$(hoody-vault vault unlock)"` first, or set HOODY_VAULT_PASSPHRASE (least safe), or run it in a terminal to be asked.';

/** Whether this run can open the vault without asking anyone. */
export function canOpenQuietly(cli: Cli): boolean {
  return Boolean(cli.env.HOODY_VAULT_SESSION?.trim() || cli.env.HOODY_VAULT_PASSPHRASE);
}

export async function openVault(cli: Cli, options: { interactive?: boolean } = {}): Promise<VaultStatus> {
  cli.willOpenVault();
  const status = await cli.call('vault.status');
  if (status.state === 'unlocked') return status;
  if (status.state === 'signed-out') throw new CliError({ code: 'NOT_SIGNED_IN', message: 'Sign in first: hoody-vault login.' });
  if (status.state === 'not-set-up') throw new CliError({ code: 'NOT_FOUND', message: 'This account has no vault passphrase yet: run hoody-vault vault setup.' });
  if (status.state === 'unavailable') {
    throw new CliError({ code: 'NETWORK', message: `The vault cannot be opened: ${status.reason ?? 'the server is unreachable'} (and this computer has no copy of the keyring yet).` }, EXIT.offline);
  }
  const session = cli.env.HOODY_VAULT_SESSION?.trim();
  if (session) {
    try {
      return await cli.call('vault.unlockWithSession', { session });
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== EXIT.locked) throw error;
      // An ended session falls through to the passphrase when there is one to use; else it is the answer.
      if (!cli.env.HOODY_VAULT_PASSPHRASE && !(options.interactive !== false && isTty())) throw error;
      cli.warn(error.message);
    }
  }
  const passphrase = cli.env.HOODY_VAULT_PASSPHRASE || (options.interactive !== false && isTty() ? await prompt('Vault passphrase: ', { hidden: true }) : undefined);
  if (!passphrase) throw new CliError({ code: 'LOCKED', message: `The vault is locked. ${LOCKED_HINT}` }, EXIT.locked);
  return cli.call('vault.unlock', { passphrase });
}
