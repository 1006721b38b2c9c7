import { describe, expect, it } from 'vitest';
import { probeKeychain } from '../../../../main/core/accounts/secret-store.js';
import { realKeychain } from '../../../support/keychain.js';

// The real OS keychain: GNOME Keyring's Secret Service over D-Bus, as the app uses it through keytar.

describe('the OS keychain through keytar', () => {
  it('stores, reads, replaces and deletes a secret', async () => {
    const keychain = await realKeychain();
    expect(await keychain.get('someone@api.example')).toBeNull();
    await keychain.set('someone@api.example', 'first-secret');
    expect(await keychain.get('someone@api.example')).toBe('first-secret');
    await keychain.set('someone@api.example', 'second-secret');
    expect(await keychain.get('someone@api.example')).toBe('second-secret');
    expect(await keychain.delete('someone@api.example')).toBe(true);
    expect(await keychain.get('someone@api.example')).toBeNull();
    expect(await keychain.delete('someone@api.example')).toBe(false);
  });

  it('keeps one entry per account, apart from each other', async () => {
    const keychain = await realKeychain();
    await keychain.set('a@host', 'secret-a');
    await keychain.set('b@host', 'secret-b');
    expect([await keychain.get('a@host'), await keychain.get('b@host')]).toEqual(['secret-a', 'secret-b']);
    await keychain.delete('a@host');
    expect(await keychain.get('b@host')).toBe('secret-b');
    await keychain.delete('b@host');
  });

  it('says plainly why there is no keychain when the module cannot load', async () => {
    const probe = await probeKeychain({
      load: () => {
        throw new Error('libsecret-1.so.0: cannot open shared object file');
      },
    });
    expect(probe).toEqual({ available: false, reason: expect.stringContaining('libsecret-1.so.0') });
  });

  it('treats a keychain that does not answer as unavailable', async () => {
    const hanging = { findCredentials: () => new Promise<never>(() => {}) } as never;
    const probe = await probeKeychain({ load: () => hanging, timeoutMs: 50 });
    expect(probe).toEqual({ available: false, reason: expect.stringContaining('did not answer') });
  });
});
