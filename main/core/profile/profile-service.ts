import type { KeyPair } from '../../../common/contract.js';
import type { RetrySetupResult, User } from '../../../common/hoody-types.js';
import type { UserUpdate } from '../../../common/rules.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { CoreError } from '../core-error.js';
import { generateSigningKeyPair } from '../crypto/signing-keys.js';

// The signed-in user's own profile, and the admin's view of other users.

export class ProfileService {
  /** A generated private key waits here (memory only) until the vault can store it encrypted. */
  #pendingSigningKey: { accountId: string; privateKey: Uint8Array } | undefined;

  constructor(private readonly accounts: AccountsService) {}

  async get(): Promise<User> {
    return this.#noted(await this.accounts.client().me());
  }

  async update(change: Pick<UserUpdate, 'alias' | 'metadata' | 'public_key'>): Promise<User> {
    return this.#noted(await this.accounts.client().updateUser(this.#userId(), change));
  }

  /** The server names `password`/`current_password`; the form names them otherwise. */
  async changePassword(input: { currentPassword: string; newPassword: string }): Promise<User> {
    try {
      return this.#noted(await this.accounts.client().updateUser(this.#userId(), { password: input.newPassword, current_password: input.currentPassword }));
    } catch (error) {
      if (error instanceof CoreError && error.fields) {
        const renamed: Record<string, string> = {};
        for (const [field, rule] of Object.entries(error.fields)) {
          renamed[field === 'password' ? 'newPassword' : field === 'current_password' ? 'currentPassword' : field] = rule;
        }
        throw new CoreError(error.code, error.message, { ...(error.status !== undefined ? { status: error.status } : {}), fields: renamed });
      }
      throw error;
    }
  }

  async generateKeyPair(): Promise<KeyPair> {
    const account = this.accounts.active();
    if (!account) throw new CoreError('NOT_SIGNED_IN', 'Sign in to a Hoody account first.');
    const pair = await generateSigningKeyPair();
    this.#pendingSigningKey?.privateKey.fill(0);
    this.#pendingSigningKey = { accountId: account.id, privateKey: pair.privateKey };
    return { publicKey: Buffer.from(pair.publicKey).toString('hex'), privateKey: Buffer.from(pair.privateKey).toString('hex') };
  }

  clearPendingSigningKey(): void {
    this.#pendingSigningKey?.privateKey.fill(0);
    this.#pendingSigningKey = undefined;
  }

  /** For the vault: the key generated in this session, if it belongs to the active account. */
  pendingSigningKey(accountId: string): Uint8Array | undefined {
    return this.#pendingSigningKey?.accountId === accountId ? this.#pendingSigningKey.privateKey : undefined;
  }

  retrySetup(region?: string): Promise<RetrySetupResult> {
    return this.accounts.client().retrySetup(region);
  }

  getUser(id: string): Promise<User> {
    this.#requireAdmin();
    return this.accounts.client().getUser(id);
  }

  async updateUser(input: { id: string; alias?: string; metadata?: Record<string, unknown>; is_admin?: boolean; is_banned?: boolean }): Promise<User> {
    this.#requireAdmin();
    const { id, ...change } = input;
    if (change.is_banned === true && change.is_admin !== false) {
      const target = await this.accounts.client().getUser(id);
      if (target.is_admin) {
        throw new CoreError('INVALID_INPUT', 'Admin users cannot be banned. Remove their admin role first.', { fields: { is_banned: 'cannot be set for an admin user' } });
      }
    }
    const user = await this.accounts.client().updateUser(id, change);
    this.accounts.noteUser(user);
    return user;
  }

  #userId(): string {
    const account = this.accounts.active();
    if (!account) throw new CoreError('NOT_SIGNED_IN', 'Sign in to a Hoody account first.');
    return account.userId;
  }

  #requireAdmin(): void {
    if (!this.accounts.active()?.isAdmin) throw new CoreError('FORBIDDEN', 'Only admins can open other users.');
  }

  #noted(user: User): User {
    this.accounts.noteUser(user);
    return user;
  }
}
