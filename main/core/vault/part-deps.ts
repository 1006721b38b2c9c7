import type { AccountsService } from '../accounts/accounts-service.js';
import type { Connectivity } from './connectivity.js';
import type { EntryVerdicts } from './entry-verdicts.js';
import type { OutboxReplay } from './outbox-replay.js';
import type { ScopeMirror } from './scope-mirror.js';
import type { VaultSession } from './session.js';

// What the vault's parts are built from (vault-service.ts hands each the same objects): the
// account's API client, the session that holds the keys, the online state and the local copy; the
// parts that read or write entries also take the outbox and the verdicts on what they opened.

export interface VaultScopeDeps {
  accounts: AccountsService;
  session: VaultSession;
  connectivity: Connectivity;
  mirror: ScopeMirror;
}

export interface VaultEntryDeps extends VaultScopeDeps {
  replay: OutboxReplay;
  verdicts: EntryVerdicts;
}
