import { describe, expect, it } from 'vitest';
import { createCore } from '../../../../main/core/core.js';
import { repoRoot } from '../../../support/serve-process.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir();

describe('"Local sandbox" at sign-in', () => {
  it('starts the sandbox on demand, once, and its demo accounts can sign in', async () => {
    const core = await createCore({ dataDir: await tempDir(), mode: 'serve', version: 't', appRoot: repoRoot, keychain: { unavailable: 'not needed here' } });
    try {
      expect(await core.dispatch('app.info', undefined)).toMatchObject({ ok: true, data: { localSandbox: true } });
      const [first, second] = await Promise.all([core.dispatch('sandbox.start', undefined), core.dispatch('sandbox.start', undefined)]);
      expect(first).toMatchObject({ ok: true, data: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
      expect(second).toEqual(first);
      const info = (first as { data: { url: string; users: Array<{ username: string; password: string; isAdmin: boolean; twoFactor: boolean; isBanned: boolean }> } }).data;
      expect(info.users.some((u) => u.isAdmin)).toBe(true);
      expect(info.users.some((u) => u.twoFactor)).toBe(true);
      const plain = info.users.find((u) => !u.isAdmin && !u.twoFactor && !u.isBanned)!;
      const signedIn = await core.dispatch('accounts.signInWithPassword', { serverUrl: info.url, login: plain.username, password: plain.password, sessionOnly: true });
      expect(signedIn).toMatchObject({ ok: true, data: { status: 'signed-in', account: { username: plain.username } } });
    } finally {
      await core.close();
    }
  }, 30_000);

  it('is refused with a clear message where the app has no sandbox (a packaged app)', async () => {
    const core = await createCore({ dataDir: await tempDir(), mode: 'electron', version: 't', keychain: { unavailable: 'not needed here' } });
    expect(await core.dispatch('sandbox.start', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE', message: expect.stringContaining('source code only') } });
  });
});
