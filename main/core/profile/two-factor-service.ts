import type { ApiTwoFactorSetup, ApiTwoFactorStatus, TwoFactorCodes, TwoFactorEnrolment, TwoFactorStatus } from '../../../common/two-factor.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import { stringList } from '../api/hoody-client.js';
import { CoreError } from '../core-error.js';

// Two-factor sign-in for the signed-in user (Profile): status, enrolment with a QR code, backup
// codes, turning it off. The backup codes the API hands out at setup wait here, in memory, until the
// first code confirms the authenticator; the window gets them once, with the confirmation.

const ISSUER = 'Hoody';

export class TwoFactorService {
  #pendingCodes: { accountId: string; codes: string[] } | undefined;

  constructor(private readonly accounts: AccountsService) {}

  async status(): Promise<TwoFactorStatus> {
    return toStatus(await this.accounts.client().twoFactorStatus());
  }

  async setup(input: { password: string }): Promise<TwoFactorEnrolment> {
    const account = this.#account();
    const answer = await this.accounts.client().twoFactorSetup(input.password);
    const enrolment = enrolmentFrom(answer, account.username);
    this.#pendingCodes = { accountId: account.id, codes: stringList(answer.backup_codes) };
    return enrolment;
  }

  async enable(input: { code: string }): Promise<TwoFactorCodes> {
    const account = this.#account();
    const answer = await this.accounts.client().twoFactorVerifySetup(input.code);
    const pending = this.#pendingCodes?.accountId === account.id ? this.#pendingCodes.codes : [];
    this.#pendingCodes = undefined;
    const backupCodes = stringList(answer.backup_codes).length > 0 ? stringList(answer.backup_codes) : pending;
    return { backupCodes, status: await this.status() };
  }

  async disable(input: { password: string; code: string }): Promise<TwoFactorStatus> {
    await this.accounts.client().twoFactorDisable(input.password, input.code);
    this.#pendingCodes = undefined;
    return this.status();
  }

  async regenerateCodes(input: { password: string; code: string }): Promise<TwoFactorCodes> {
    const backupCodes = await this.accounts.client().regenerateBackupCodes(input.password, input.code);
    if (backupCodes.length === 0) throw new CoreError('SERVER_ERROR', 'The server made new backup codes but did not send them. Regenerate them again.');
    return { backupCodes, status: await this.status() };
  }

  #account() {
    const account = this.accounts.active();
    if (!account) throw new CoreError('NOT_SIGNED_IN', 'Sign in to a Hoody account first.');
    return account;
  }
}

/**
 * What the window shows for a setup answer. The SDK calls the field qr_code without saying whether
 * it is the URL or a picture of it: use the URL when it is one, else build the standard one from
 * the base32 secret. The window draws the QR code itself either way.
 */
export function enrolmentFrom(answer: ApiTwoFactorSetup, label: string): TwoFactorEnrolment {
  const secret = typeof answer.manual_entry_key === 'string' ? answer.manual_entry_key.replace(/\s+/g, '').toUpperCase() : '';
  const otpauthUrl = answer.qr_code?.startsWith('otpauth://') ? answer.qr_code : secret ? standardUrl(secret, label) : undefined;
  if (!otpauthUrl) throw new CoreError('SERVER_ERROR', 'The server started two-factor setup but sent no secret to show.');
  return { otpauthUrl, secret: secret || secretOf(otpauthUrl) };
}

function toStatus(api: ApiTwoFactorStatus): TwoFactorStatus {
  const enabled = api.enabled === true;
  return {
    enabled,
    verified: api.verified ?? enabled,
    enabledAt: typeof api.enabled_at === 'string' ? api.enabled_at : null,
    backupCodesRemaining: typeof api.backup_codes_remaining === 'number' ? api.backup_codes_remaining : 0,
    requireForTokens: api.require_for_tokens === true,
  };
}

/** The Key URI Format authenticator apps read (issuer, label, the usual SHA-1 / 6 digits / 30 s). */
function standardUrl(secret: string, label: string): string {
  if (!/^[A-Z2-7]+=*$/.test(secret)) throw new CoreError('SERVER_ERROR', 'The server sent a two-factor secret that is not base32.');
  const query = new URLSearchParams({ secret, issuer: ISSUER, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${encodeURIComponent(ISSUER)}:${encodeURIComponent(label)}?${query.toString()}`;
}

function secretOf(url: string): string {
  return new URL(url).searchParams.get('secret') ?? '';
}
