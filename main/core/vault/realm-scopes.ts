import type { AccountSummary } from '../../../common/accounts.js';
import type { HoodyClient } from '../api/hoody-client.js';

// Which scopes an account's token may use: a realm-restricted token sees only its realms; any other
// sees the global scope and every realm. Asked once per account and kept (it cannot change without
// a new token, which is a new sign-in).

export class RealmScopes {
  readonly #allowed = new Map<string, string[] | null>();

  /** What is known without asking: the realms this account is limited to, null for none, undefined if not asked yet. */
  known(accountId: string): string[] | null | undefined {
    return this.#allowed.get(accountId);
  }

  /** The realms this account's token is limited to, or null when it may use every scope. */
  async allowed(account: AccountSummary, client: HoodyClient): Promise<string[] | null> {
    if (this.#allowed.has(account.id)) return this.#allowed.get(account.id)!;
    const restrictions = (await client.me()).auth_token?.restrictions;
    const limited = restrictions?.has_realm_restrictions && (restrictions.requires_realm_scope || !restrictions.allow_no_realm);
    const allowed = limited ? restrictions!.allowed_realm_ids.map((id) => id.toLowerCase()) : null;
    this.#allowed.set(account.id, allowed);
    return allowed;
  }

  /** Global first (when the token may use it), then the realms: where a keyring is looked for. */
  async all(account: AccountSummary, client: HoodyClient): Promise<string[]> {
    const allowed = await this.allowed(account, client);
    if (allowed) return allowed;
    const realms = await client.realms().catch(() => []);
    return ['', ...realms];
  }
}
