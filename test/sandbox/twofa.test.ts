import { URI, type TOTP } from 'otpauth';
import { beforeEach, describe, expect, it } from 'vitest';
import { totpCode } from '../../sandbox/auth/totp.js';
import { startSandbox, type CreatedUser } from '../../sandbox/server.js';
import { call, useSandbox } from './client.js';

// Two-factor management over real HTTP, checked against the shapes of Hoody's SDK types
// (docs/hoody-api/hoody-api.md, "Two-factor management").

const box = useSandbox();
const api = box.api;

let user: CreatedUser;
let jwt: string;

/** A code that is not the current one (nor a neighbour the one-step drift window accepts). */
const wrongFor = (code: string) => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');

async function signIn(u: CreatedUser): Promise<string> {
  return (await api('POST', '/users/auth/login', { body: { username: u.username, password: u.password } })).body.data.token;
}

async function status(token: string) {
  const res = await api('GET', '/users/auth/2fa/status', { token });
  expect(res.status).toBe(200);
  return res.body.data;
}

/** Setup and confirm as a user would: scan the QR code (parse its otpauth URL) and type the code it shows. */
async function enable(token: string, password: string): Promise<{ authenticator: TOTP; backupCodes: string[]; token: string }> {
  const setup = await api('POST', '/users/auth/2fa/setup', { token, body: { password } });
  expect(setup.status).toBe(200);
  const authenticator = URI.parse(setup.body.data.qr_code) as TOTP;
  const done = await api('POST', '/users/auth/2fa/verify-setup', { token, body: { code: authenticator.generate() } });
  expect(done.status).toBe(200);
  return { authenticator, backupCodes: setup.body.data.backup_codes, token: done.body.data.token ?? token };
}

async function loginWithCode(u: CreatedUser, code: string) {
  const first = await api('POST', '/users/auth/login', { body: { username: u.username, password: u.password } });
  expect(first.body.data.requires_2fa).toBe(true);
  return api('POST', '/users/auth/2fa/verify', { body: { temp_token: first.body.data.temp_token, code } });
}

beforeEach(async () => {
  user = await box.sandbox.admin.createUser();
  jwt = await signIn(user);
});

describe('status', () => {
  it('says off for a new account, and needs a token', async () => {
    expect(await status(jwt)).toEqual({ enabled: false, verified: false, backup_codes_remaining: 0, require_for_tokens: false });
    expect((await api('GET', '/users/auth/2fa/status')).status).toBe(401);
  });
});

describe('setup and verify-setup', () => {
  it('answers a QR code (otpauth URL), the secret for typing by hand and ten backup codes', async () => {
    const res = await api('POST', '/users/auth/2fa/setup', { token: jwt, body: { password: user.password } });
    expect(res.status).toBe(200);
    const { qr_code, manual_entry_key, backup_codes } = res.body.data;
    expect(Object.keys(res.body.data).sort()).toEqual(['backup_codes', 'manual_entry_key', 'qr_code']);
    const parsed = URI.parse(qr_code) as TOTP;
    expect(parsed.secret.base32).toBe(manual_entry_key);
    expect(parsed.digits).toBe(6);
    expect(parsed.period).toBe(30);
    expect(parsed.label).toBe(user.email);
    expect(backup_codes).toHaveLength(10);
    for (const code of backup_codes) expect(code).toMatch(/^[A-Z0-9]{10}$/);
    expect(new Set(backup_codes).size).toBe(10);
    // Not on until confirmed.
    expect((await status(jwt)).enabled).toBe(false);
  });

  it('refuses a wrong password, a short one and unknown fields with 400 naming the field', async () => {
    const wrong = await api('POST', '/users/auth/2fa/setup', { token: jwt, body: { password: 'not-the-password' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.data[0]).toMatchObject({ instancePath: '/password' });
    const short = await api('POST', '/users/auth/2fa/setup', { token: jwt, body: { password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.data[0].instancePath).toBe('/password');
    const extra = await api('POST', '/users/auth/2fa/setup', { token: jwt, body: { password: user.password, issuer: 'x' } });
    expect(extra.status).toBe(400);
  });

  it('turns 2FA on with the first code, ends the other sessions and hands the caller a new one', async () => {
    const other = await signIn(user);
    const setup = await api('POST', '/users/auth/2fa/setup', { token: jwt, body: { password: user.password } });
    const secret = setup.body.data.manual_entry_key as string;

    expect((await api('POST', '/users/auth/2fa/verify-setup', { token: jwt, body: { code: '12345' } })).status).toBe(400);
    const wrong = await api('POST', '/users/auth/2fa/verify-setup', { token: jwt, body: { code: wrongFor(totpCode(secret)) } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.data[0].instancePath).toBe('/code');
    expect((await status(jwt)).enabled).toBe(false);

    const before = Date.now();
    const done = await api('POST', '/users/auth/2fa/verify-setup', { token: jwt, body: { code: totpCode(secret) } });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ enabled: true, sessions_revoked: true, token: expect.any(String), refreshToken: expect.any(String) });
    expect(Date.parse(done.body.data.enabled_at)).toBeGreaterThanOrEqual(before - 1000);

    expect((await api('GET', '/users/me', { token: jwt })).status).toBe(401);
    expect((await api('GET', '/users/me', { token: other })).status).toBe(401);
    const fresh = done.body.data.token as string;
    expect(await status(fresh)).toEqual({ enabled: true, verified: true, enabled_at: done.body.data.enabled_at, backup_codes_remaining: 10, require_for_tokens: true });
    const again = await api('POST', '/users/auth/2fa/setup', { token: fresh, body: { password: user.password } });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/already enabled/);
  });

  it('refuses verify-setup without a setup in progress', async () => {
    const res = await api('POST', '/users/auth/2fa/verify-setup', { token: jwt, body: { code: '123456' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/setup first/);
  });

  it('keeps an API token working (it is not a session) and answers no new tokens to it', async () => {
    const { token: apiToken } = box.sandbox.admin.createApiToken({ userId: user.id });
    const setup = await api('POST', '/users/auth/2fa/setup', { token: apiToken, body: { password: user.password } });
    const done = await api('POST', '/users/auth/2fa/verify-setup', { token: apiToken, body: { code: totpCode(setup.body.data.manual_entry_key) } });
    expect(done.body.data).toEqual({ enabled: true, enabled_at: expect.any(String), sessions_revoked: true });
    expect((await api('GET', '/users/me', { token: apiToken })).status).toBe(200);
  });
});

describe('signing in with 2FA on', () => {
  it('takes the authenticator code or a backup code, each backup code once', async () => {
    const { authenticator, backupCodes, token } = await enable(jwt, user.password);
    expect((await loginWithCode(user, authenticator.generate())).status).toBe(200);

    const withBackup = await loginWithCode(user, backupCodes[0]!.toLowerCase());
    expect(withBackup.status).toBe(200);
    expect(withBackup.body.data.user.id).toBe(user.id);
    expect((await loginWithCode(user, backupCodes[0]!)).status).toBe(401);
    expect((await status(token)).backup_codes_remaining).toBe(9);
  });
});

describe('regenerating backup codes', () => {
  it('needs the password and a 6-digit code; a backup code gets 400; the old codes stop working', async () => {
    const { authenticator, backupCodes, token } = await enable(jwt, user.password);
    const byBackup = await api('POST', '/users/auth/2fa/backup-codes/regenerate', { token, body: { password: user.password, code: backupCodes[1] } });
    expect(byBackup.status).toBe(400);
    expect(byBackup.body.data[0].instancePath).toBe('/code');
    const badPassword = await api('POST', '/users/auth/2fa/backup-codes/regenerate', { token, body: { password: 'wrong-password', code: authenticator.generate() } });
    expect(badPassword.status).toBe(400);
    expect(badPassword.body.data[0].instancePath).toBe('/password');

    const res = await api('POST', '/users/auth/2fa/backup-codes/regenerate', { token, body: { password: user.password, code: authenticator.generate() } });
    expect(res.status).toBe(200);
    const fresh = res.body.data.backup_codes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => backupCodes.includes(c))).toEqual([]);
    expect((await loginWithCode(user, backupCodes[2]!)).status).toBe(401);
    expect((await loginWithCode(user, fresh[0]!)).status).toBe(200);
  });

  it('refuses when 2FA is off', async () => {
    const res = await api('POST', '/users/auth/2fa/backup-codes/regenerate', { token: jwt, body: { password: user.password, code: '123456' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/not enabled/);
  });
});

describe('the token gate', () => {
  it('turns off only with the password and a code, and on with neither', async () => {
    const { authenticator, token } = await enable(jwt, user.password);
    const bare = await api('PUT', '/users/auth/2fa/token-gate', { token, body: { enabled: false } });
    expect(bare.status).toBe(400);
    expect(bare.body.data[0].instancePath).toBe('/password');
    const noCode = await api('PUT', '/users/auth/2fa/token-gate', { token, body: { enabled: false, password: user.password } });
    expect(noCode.body.data[0].instancePath).toBe('/otp_code');
    const off = await api('PUT', '/users/auth/2fa/token-gate', { token, body: { enabled: false, password: user.password, otp_code: authenticator.generate() } });
    expect(off.status).toBe(200);
    expect(off.body.data).toEqual({ require_for_tokens: false });
    expect((await status(token)).require_for_tokens).toBe(false);
    const on = await api('PUT', '/users/auth/2fa/token-gate', { token, body: { enabled: true } });
    expect(on.body.data).toEqual({ require_for_tokens: true });
  });
});

describe('turning 2FA off', () => {
  it('needs the password and a code (a backup code will do), then sign-in asks for no code', async () => {
    const { authenticator, backupCodes, token } = await enable(jwt, user.password);
    const wrong = await api('DELETE', '/users/auth/2fa', { token, body: { password: user.password, code: wrongFor(authenticator.generate()) } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.data[0].instancePath).toBe('/code');
    const res = await api('DELETE', '/users/auth/2fa', { token, body: { password: user.password, code: backupCodes[3] } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ sessions_revoked: true, token: expect.any(String) });
    expect(await status(res.body.data.token)).toEqual({ enabled: false, verified: false, backup_codes_remaining: 0, require_for_tokens: false });
    const login = await api('POST', '/users/auth/login', { body: { username: user.username, password: user.password } });
    expect(login.body.data.token).toEqual(expect.any(String));
    expect((await api('DELETE', '/users/auth/2fa', { token: res.body.data.token, body: { password: user.password, code: '123456' } })).status).toBe(400);
  });
});

describe('guessing', () => {
  it('closes the management routes for a minute after five wrong passwords', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await api('POST', '/users/auth/2fa/setup', { token: jwt, body: { password: `wrong-pass-${i}` } })).status).toBe(400);
    }
    const locked = await api('POST', '/users/auth/2fa/setup', { token: jwt, body: { password: user.password } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the demo', () => {
  it("lists bob's backup codes in demo.json, and they sign him in", async () => {
    const demo = await startSandbox({ seedDemo: true });
    try {
      const bob = demo.demo!.users.find((u) => u.username === 'bob')!;
      expect(bob.backup_codes).toHaveLength(10);
      const first = await call(demo.apiUrl, 'POST', '/users/auth/login', { body: { username: 'bob', password: bob.password } });
      const res = await call(demo.apiUrl, 'POST', '/users/auth/2fa/verify', { body: { temp_token: first.body.data.temp_token, code: bob.backup_codes![0] } });
      expect(res.status).toBe(200);
      expect(res.body.data.user.id).toBe(bob.id);
    } finally {
      await demo.close();
    }
  });
});
