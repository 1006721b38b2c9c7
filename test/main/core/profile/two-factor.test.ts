import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../common/errors.js';
import type { TwoFactorCodes, TwoFactorEnrolment } from '../../../../common/two-factor.js';
import { createCore, type Core } from '../../../../main/core/core.js';
import { enrolmentFrom } from '../../../../main/core/profile/two-factor-service.js';
import { realKeychain } from '../../../support/keychain.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The profile.twoFactor* operations through the core's dispatcher, against the sandbox, with the
// real keychain (run inside scripts/with-keyring.sh).

const sandbox = useSandbox();
const tempDir = useTempDir();
const PASSWORD = 'Core-Two-Factor-1';

async function startCore(dataDir: string, keychain: Awaited<ReturnType<typeof realKeychain>>): Promise<Core> {
  return createCore({ dataDir, mode: 'serve', version: 't', keychain, engine: { sleep: async () => {} } });
}

async function signedIn() {
  const user = await sandbox().admin.createUser({ password: PASSWORD });
  const keychain = await realKeychain();
  const dataDir = await tempDir();
  const core = await startCore(dataDir, keychain);
  expect(await core.dispatch('accounts.signInWithPassword', { serverUrl: sandbox().url, login: user.username, password: PASSWORD })).toMatchObject({ ok: true });
  return { core, user, keychain, dataDir };
}

/** The answer's data, typed by the variable it goes into (the dispatcher answers `unknown`). */
const data = <T = Record<string, unknown>>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.data as T;
};

describe('two-factor operations', () => {
  it('enrol, enable (new tokens kept in the keychain across a restart), regenerate, disable', async () => {
    const { core, user, keychain, dataDir } = await signedIn();
    expect(data(await core.dispatch('profile.twoFactorStatus', undefined))).toEqual({ enabled: false, verified: false, enabledAt: null, backupCodesRemaining: 0, requireForTokens: false });

    const enrolment: TwoFactorEnrolment = data(await core.dispatch('profile.twoFactorSetup', { password: PASSWORD }));
    const authenticator = URI.parse(enrolment.otpauthUrl) as TOTP;
    expect(authenticator.secret.base32).toBe(enrolment.secret);

    const enabled: TwoFactorCodes = data(await core.dispatch('profile.twoFactorEnable', { code: authenticator.generate() }));
    expect(enabled.status).toMatchObject({ enabled: true, verified: true, backupCodesRemaining: 10, requireForTokens: true });
    expect(enabled.backupCodes).toHaveLength(10);
    // The codes are handed over once: main does not keep them.
    const again = await core.dispatch('profile.twoFactorSetup', { password: PASSWORD });
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/already enabled/) } });

    // The sandbox ended the old session; the keychain holds the new one, so a restart stays signed in.
    await core.close();
    const restarted = await startCore(dataDir, keychain);
    expect(data(await restarted.dispatch('profile.get', undefined))).toMatchObject({ id: user.id });

    // A backup code is refused before anything is sent, naming the field and the rule.
    expect(await restarted.dispatch('profile.twoFactorRegenerateCodes', { password: PASSWORD, code: enabled.backupCodes[0]! })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { code: 'must be the 6 digits your authenticator app shows' } },
    });
    const fresh: TwoFactorCodes = data(await restarted.dispatch('profile.twoFactorRegenerateCodes', { password: PASSWORD, code: authenticator.generate() }));
    expect(fresh.backupCodes).toHaveLength(10);
    expect(fresh.backupCodes.filter((c) => enabled.backupCodes.includes(c))).toEqual([]);

    const wrong = await restarted.dispatch('profile.twoFactorDisable', { password: 'Wrong-Password-9', code: fresh.backupCodes[0]! });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', status: 400, fields: { password: 'is not your current password' } } });
    // Pasted with a dash and in lower case, as people do.
    const code = fresh.backupCodes[1]!.toLowerCase();
    const off = data(await restarted.dispatch('profile.twoFactorDisable', { password: PASSWORD, code: `${code.slice(0, 5)}-${code.slice(5)}` }));
    expect(off).toMatchObject({ enabled: false, backupCodesRemaining: 0 });
    expect(data(await restarted.dispatch('profile.get', undefined))).toMatchObject({ id: user.id });
    await restarted.close();
  });

  it('sign-in takes a backup code instead of the app\'s code', async () => {
    const user = await sandbox().admin.createUser({ password: PASSWORD, totp: true });
    const core = await startCore(await tempDir(), await realKeychain());
    const first = data(await core.dispatch('accounts.signInWithPassword', { serverUrl: sandbox().url, login: user.username, password: PASSWORD, sessionOnly: true }));
    expect(first).toMatchObject({ status: 'two-factor' });
    const challengeId = (first as { challengeId: string }).challengeId;
    expect(await core.dispatch('accounts.verifyTwoFactor', { challengeId, code: user.backupCodes![2]! })).toMatchObject({ ok: true, data: { status: 'signed-in' } });
    expect(data(await core.dispatch('profile.twoFactorStatus', undefined))).toMatchObject({ enabled: true, backupCodesRemaining: 9 });
    await core.close();
  });
});

describe('enrolmentFrom', () => {
  const secret = new Secret({ size: 20 }).base32;

  it('uses qr_code when it is the otpauth URL', () => {
    const url = `otpauth://totp/Hoody:ann?secret=${secret}&issuer=Hoody`;
    expect(enrolmentFrom({ qr_code: url, manual_entry_key: secret }, 'ann')).toEqual({ otpauthUrl: url, secret });
  });

  it('builds the standard URL from the key when qr_code is a picture', () => {
    const enrolment = enrolmentFrom({ qr_code: 'data:image/png;base64,iVBORw0KGgo=', manual_entry_key: secret.toLowerCase().replace(/(.{4})/g, '$1 ') }, 'ann@example.test');
    expect(enrolment.secret).toBe(secret);
    const parsed = URI.parse(enrolment.otpauthUrl) as TOTP;
    expect(parsed).toMatchObject({ issuer: 'Hoody', label: 'ann@example.test', digits: 6, period: 30, algorithm: 'SHA1' });
    expect(parsed.secret.base32).toBe(secret);
  });

  it('refuses an answer with nothing to show', () => {
    expect(() => enrolmentFrom({ qr_code: 'data:image/png;base64,AAAA' }, 'ann')).toThrow(/no secret/);
    expect(() => enrolmentFrom({ manual_entry_key: 'not base32 1890' }, 'ann')).toThrow(/not base32/);
  });
});
