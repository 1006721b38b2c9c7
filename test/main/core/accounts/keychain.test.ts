import { describe, expect, it } from 'vitest';
import { KeychainQueue, KeychainStore, PROBE_ACCOUNT, probeKeychain, type Keytar } from '../../../../main/core/accounts/secret-store.js';
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
    const hanging = { getPassword: () => new Promise<never>(() => {}) } as never;
    const probe = await probeKeychain({ load: () => hanging, timeoutMs: 50, queue: new KeychainQueue() });
    expect(probe).toEqual({ available: false, reason: expect.stringContaining('did not answer') });
  });

  it('probes with a lookup of an account that is never stored, and never lists the keychain', async () => {
    const calls: string[] = [];
    const keytar = {
      getPassword: async (service: string, account: string) => (calls.push(`get ${service} ${account}`), null),
      findCredentials: async () => {
        calls.push('findCredentials');
        return [];
      },
    };
    const probe = await probeKeychain({ load: () => keytar as unknown as Keytar, service: 'svc', queue: new KeychainQueue() });
    expect(probe.available).toBe(true);
    expect(calls).toEqual([`get svc ${PROBE_ACCOUNT}`]);
  });

  it('runs keychain calls one at a time, in order, even when a call fails', async () => {
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const slow = (label: string, fail = false) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      order.push(`start ${label}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`end ${label}`);
      running -= 1;
      if (fail) throw new Error(`${label} failed`);
      return label;
    };
    const keytar: Keytar = {
      getPassword: (_s, account) => slow(`get ${account}`, account === 'broken')() as Promise<string>,
      setPassword: (_s, account) => slow(`set ${account}`)().then(() => undefined),
      deletePassword: (_s, account) => slow(`delete ${account}`)().then(() => true),
    };
    const queue = new KeychainQueue();
    const a = new KeychainStore(keytar, 'svc', queue);
    const b = new KeychainStore(keytar, 'svc', queue);
    const results = await Promise.allSettled([a.get('one'), b.set('two', 's'), a.get('broken'), b.delete('three'), a.get('four')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(peak).toBe(1);
    expect(queue.peak).toBe(1);
    expect(order.filter((line) => line.startsWith('start'))).toEqual(['start get one', 'start set two', 'start get broken', 'start delete three', 'start get four']);
  });

  it('serialises calls to the real keychain too', async () => {
    const keychain = await realKeychain();
    await Promise.all(Array.from({ length: 20 }, (_, i) => keychain.set(`acct-${i}@host`, `secret-${i}`)));
    expect(await Promise.all(Array.from({ length: 20 }, (_, i) => keychain.get(`acct-${i}@host`)))).toEqual(Array.from({ length: 20 }, (_, i) => `secret-${i}`));
    await Promise.all(Array.from({ length: 20 }, (_, i) => keychain.delete(`acct-${i}@host`)));
    const { keychainQueue } = await import('../../../../main/core/accounts/secret-store.js');
    expect(keychainQueue.peak).toBe(1);
  });
});
