import { describe, expect, it, vi } from 'vitest';
import type { Credentials } from '../../../../main/core/api/credentials.js';
import { HoodyClient } from '../../../../main/core/api/hoody-client.js';
import { HttpEngine } from '../../../../main/core/api/http.js';
import { AuthSession } from '../../../../main/core/api/session.js';
import { useSandbox } from '../../../support/sandbox.js';

const sandbox = useSandbox();

async function sessionClient() {
  const user = await sandbox().admin.createUser();
  const tokens = sandbox().admin.signIn(user.id);
  const credentials: Credentials = { kind: 'session', token: tokens.token, refreshToken: tokens.refreshToken, expiresAt: tokens.expires_at };
  const onRefreshed = vi.fn(async (_next: Credentials) => {});
  const onExpired = vi.fn();
  const engine = new HttpEngine({ baseUrl: sandbox().url, sleep: async () => {} });
  const session = new AuthSession(engine, credentials, { onRefreshed, onExpired });
  return { user, tokens, session, client: new HoodyClient(session), onRefreshed, onExpired };
}

describe('AuthSession', () => {
  it('refreshes an expired access token once for many concurrent calls, and repeats each call', async () => {
    const { user, tokens, client, onRefreshed } = await sessionClient();
    sandbox().faults.expireAccessTokens();
    const answers = await Promise.all(Array.from({ length: 12 }, () => client.me()));
    expect(answers.every((me) => me.id === user.id)).toBe(true);
    expect(onRefreshed).toHaveBeenCalledTimes(1);
    const next = onRefreshed.mock.calls[0]![0] as Extract<Credentials, { kind: 'session' }>;
    // The refresh token rotated: the new one differs, and the old one no longer works.
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.token).not.toBe(tokens.token);
    const replay = await fetch(`${sandbox().apiUrl}/users/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.refreshToken}` },
      body: JSON.stringify({ refreshToken: tokens.refreshToken }),
    });
    expect(replay.status).toBe(401);
  });

  it('refreshes ahead of time when the token is about to expire, without waiting for a 401', async () => {
    const { user, tokens, session, onRefreshed } = await sessionClient();
    const expiringSoon: Credentials = { kind: 'session', token: tokens.token, refreshToken: tokens.refreshToken, expiresAt: new Date(Date.now() + 5_000).toISOString() };
    const early = new AuthSession(session.engine, expiringSoon, { onRefreshed });
    expect((await new HoodyClient(early).me()).id).toBe(user.id);
    expect(onRefreshed).toHaveBeenCalledTimes(1);
  });

  it('ends the session when the refresh is refused: SESSION_EXPIRED once, then fails fast without calling the server', async () => {
    const { client, session, onExpired } = await sessionClient();
    sandbox().faults.expireAccessTokens();
    sandbox().faults.add({ path: '/api/v1/users/auth/refresh', status: 401, times: 1 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.me()));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'SESSION_EXPIRED')).toBe(true);
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(session.expired).toBe(true);
    const started = Date.now();
    await expect(client.me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('after logout (all sessions ended), the next call ends in SESSION_EXPIRED', async () => {
    const { tokens, client, onExpired } = await sessionClient();
    const logout = await fetch(`${sandbox().apiUrl}/users/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.token}` } });
    expect(logout.status).toBe(200);
    await expect(client.me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('an API token that stops working ends the account session without any refresh attempt', async () => {
    const onExpired = vi.fn();
    const onRefreshed = vi.fn();
    const session = new AuthSession(new HttpEngine({ baseUrl: sandbox().url }), { kind: 'api-token', token: 'hdy_revoked0000000000' }, { onExpired, onRefreshed });
    await expect(new HoodyClient(session).me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(onRefreshed).not.toHaveBeenCalled();
  });
});
