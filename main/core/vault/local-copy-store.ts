import { join } from 'node:path';
import type { VaultEntry } from '../../../common/hoody-types.js';
import { scopeName } from '../../../common/vault.js';
import { readSealedJson, writeSealedJson, type SealedRead } from '../storage/sealed-file.js';

// This computer's copy of one scope, kept after each sync so the vault can be read offline: the
// entry list as the server gave it and every value as stored (values stay in their own sealed
// envelopes; the copy as a whole is sealed again, which also hides names and notes).

export interface ScopeCopy {
  realmId: string;
  syncedAt: string;
  entries: VaultEntry[];
  values: Record<string, string>;
}

export class LocalCopyStore {
  constructor(
    private readonly accountDir: string,
    private readonly accountId: string,
  ) {}

  #path(realmId: string): string {
    return join(this.accountDir, 'copies', `${scopeName(realmId)}.hvs`);
  }

  #ad(realmId: string): string {
    return `hoody-vault/copy/v1\n${this.accountId}\n${realmId}`;
  }

  read(cacheKey: Uint8Array, realmId: string): Promise<SealedRead<ScopeCopy>> {
    return readSealedJson<ScopeCopy>(this.#path(realmId), cacheKey, this.#ad(realmId));
  }

  write(cacheKey: Uint8Array, copy: ScopeCopy): Promise<void> {
    return writeSealedJson(this.#path(copy.realmId), cacheKey, this.#ad(copy.realmId), copy);
  }

  pathFor(realmId: string): string {
    return this.#path(realmId);
  }
}
