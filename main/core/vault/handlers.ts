import type { AccountsService } from '../accounts/accounts-service.js';
import { confirmationName } from '../../../common/realm-names.js';
import type { AreaHandlers } from '../dispatch.js';
import { listLocked } from './locked-listing.js';
import { refuseWeakPassphrase, warmPassphraseFloor } from './passphrase-floor.js';
import type { VaultService } from './vault-service.js';

// The vault's operations, spread into the core's dispatcher. Files have their own (../files/handlers.ts).

/** `forWindow`: a window lists the vault right after unlocking it (not the command line), so that listing is started early. */
export function vaultHandlers(vault: VaultService, accounts: AccountsService, { forWindow = true }: { forWindow?: boolean } = {}): AreaHandlers<'vault'> {
  const { session, connectivity, listings, entries, replay, clipboard, history, renames, names } = vault;
  return {
    'vault.status': async () => {
      const status = await session.status();
      if (status.state === 'not-set-up') warmPassphraseFloor();
      return status;
    },
    'vault.setup': async ({ passphrase }) => {
      await refuseWeakPassphrase('passphrase', passphrase);
      return session.setup(passphrase);
    },
    'vault.prepareUnlock': () => session.prepareUnlock(),
    'vault.unlock': async (input) => {
      if (!forWindow) return session.unlock(input);
      // The window lists right after: what that needs from the server is fetched during the key
      // derivation, and the listing itself is made as soon as the vault opens (listing.ts, onUnlock).
      listings.prefetchForUnlock();
      return session.unlock(input);
    },
    'vault.lock': () => session.lock('manual'),
    'vault.changePassphrase': async ({ currentPassphrase, newPassphrase }) => {
      await refuseWeakPassphrase('newPassphrase', newPassphrase);
      return session.changePassphrase(newPassphrase, currentPassphrase);
    },
    'vault.activity': () => {
      session.touch();
      return null;
    },
    // The realms and their names are two requests of their own: asked at once, not one after the other.
    'vault.realms': async () => {
      const [realms, named] = await Promise.all([listings.realms(), names.viewOrIds()]);
      return { ...realms, ...named };
    },
    'vault.nameRealm': ({ realmId, name }) => names.set(realmId, name),
    'vault.list': ({ realmId }) => listings.list(realmId),
    'vault.listChanges': ({ realmId, since }) => listings.listChanges(realmId, since),
    'vault.reveal': ({ realmId, key, password }) => entries.reveal(realmId, key, password),
    'vault.copy': ({ realmId, key }) => clipboard.copy(realmId, key),
    'vault.save': (input) => entries.save(input),
    'vault.delete': ({ realmId, key }) => entries.delete(realmId, key),
    'vault.clear': async ({ realmId, confirmation }) => {
      // A named realm is confirmed by its name; its id is accepted too (what `hoody-vault vault clear` sends).
      const named = realmId ? confirmationName(realmId, (await names.viewOrIds()).names) : undefined;
      return names.keepThrough(realmId, () => entries.clear(realmId, confirmation, named));
    },
    'vault.encrypt': ({ realmId, key, password }) => entries.encrypt(realmId, key, password),
    'vault.storeSigningKey': ({ realmId, key }) => entries.storeSigningKey(realmId, key),
    'vault.resolveConflict': async ({ opId, choice }) => {
      await replay.resolveConflict(session.openVault(), opId, choice);
      return session.status();
    },
    'vault.revealConflict': ({ opId, side }) => replay.revealConflict(session.openVault(), opId, side),
    'vault.checkConnection': async () => {
      await connectivity.probe();
      return session.status();
    },
    'vault.listLocked': ({ realmId, stats }) => listLocked(accounts, realmId, stats === true),
    'vault.openSession': ({ minutes }) => session.openSession(minutes),
    'vault.unlockWithSession': ({ session: value }) => session.unlockWithSession(value),
    'vault.resolveKeyring': ({ realmId, choice }) => session.resolveKeyring(realmId, choice),
    'vault.history': ({ realmId, key }) => history.list(realmId, key),
    'vault.revealHistoryValue': ({ realmId, key, index, at }) => history.value(realmId, key, index, at),
    'vault.copyHistoryValue': async ({ realmId, key, index, at }) => clipboard.copyValue((await history.value(realmId, key, index, at)).value),
    'vault.restoreValue': ({ realmId, key, index, at }) => history.restore(realmId, key, index, at),
    'vault.renameKey': ({ realmId, key, newKey }) => renames.rename(realmId, key, newKey),
    'vault.restoreKeyring': async ({ recoveryKey, passphrase }) => {
      await refuseWeakPassphrase('passphrase', passphrase);
      return session.restoreKeyring(recoveryKey, passphrase);
    },
  };
}
