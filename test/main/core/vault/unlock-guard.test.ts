import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import { UnlockGuard } from '../../../../main/core/vault/unlock-guard.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The unlock guard on its own, with a clock the test moves by hand: no waiting, no key derivation.

const tempDir = useTempDir();

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { code: string; retryAfter?: number }) => ({ code: error.code, retryAfter: error.retryAfter }),
  );

describe('the unlock guard', () => {
  it('lets two wrong tries go free, then doubles the wait (1 s, 2 s, 4 s …) up to 5 minutes', async () => {
    const time = clock();
    const guard = new UnlockGuard(await tempDir(), time.now);
    const waits: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const state = await guard.failed();
      waits.push((state.retryAt - time.now()) / 1000);
      time.advance(state.retryAt - time.now());
    }
    expect(waits).toEqual([0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300]);
    expect(guard.state.failures).toBe(12);
  });

  it('refuses a try before the wait is over, saying how many seconds are left, and allows it after', async () => {
    const time = clock();
    const guard = new UnlockGuard(await tempDir(), time.now);
    for (let i = 0; i < 4; i += 1) await guard.failed();
    // The fourth failure armed a 2 s wait.
    expect(await refusal(guard.check())).toEqual({ code: 'RATE_LIMITED', retryAfter: 2 });
    time.advance(1_500);
    expect(await refusal(guard.check())).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
    time.advance(500);
    await expect(guard.check()).resolves.toBeUndefined();
  });

  it('a right passphrase clears the count', async () => {
    const time = clock();
    const guard = new UnlockGuard(await tempDir(), time.now);
    for (let i = 0; i < 3; i += 1) await guard.failed();
    await guard.succeeded();
    expect(guard.state).toEqual({ failures: 0, retryAt: 0 });
    expect((await guard.failed()).retryAt).toBe(time.now());
  });

  it('keeps the count on disk: a restart does not reset it', async () => {
    const dir = await tempDir();
    const time = clock();
    const first = new UnlockGuard(dir, time.now);
    for (let i = 0; i < 5; i += 1) await first.failed();
    const again = new UnlockGuard(dir, time.now);
    expect(await refusal(again.check())).toEqual({ code: 'RATE_LIMITED', retryAfter: 4 });
    expect(again.state.failures).toBe(5);
    expect(JSON.parse(await readFile(join(dir, 'unlock-guard.json'), 'utf8'))).toEqual({ failures: 5, retryAt: time.now() + 4000 });
  });

  it('starts from zero when its file is damaged or holds nonsense, and writes a good one on the next failure', async () => {
    const time = clock();
    for (const content of ['{not json', '{"failures":-4,"retryAt":"soon"}', 'null']) {
      const dir = await tempDir();
      await writeFile(join(dir, 'unlock-guard.json'), content);
      const guard = new UnlockGuard(dir, time.now);
      await expect(guard.check()).resolves.toBeUndefined();
      expect(guard.state).toEqual({ failures: 0, retryAt: 0 });
      await guard.failed();
      expect(JSON.parse(await readFile(join(dir, 'unlock-guard.json'), 'utf8'))).toMatchObject({ failures: 1 });
    }
  });

  it('counts every one of many failures reported at once', async () => {
    const dir = await tempDir();
    const time = clock();
    const guard = new UnlockGuard(dir, time.now);
    await Promise.all(Array.from({ length: 10 }, () => guard.failed()));
    expect(guard.state.failures).toBe(10);
    expect(JSON.parse(await readFile(join(dir, 'unlock-guard.json'), 'utf8'))).toMatchObject({ failures: 10 });
  });

  it('is one guard per account folder, however the folder is spelled', async () => {
    const dir = await tempDir();
    expect(UnlockGuard.for(dir)).toBe(UnlockGuard.for(`${dir}/`));
    expect(UnlockGuard.for(dir)).toBe(UnlockGuard.for(join(dir, 'x', '..')));
    expect(UnlockGuard.for(dir)).not.toBe(UnlockGuard.for(await tempDir()));
  });
});

describe('one unlock attempt at a time', () => {
  it('refuses (RATE_LIMITED) an attempt while another is running, without running it', async () => {
    const guard = new UnlockGuard(await tempDir(), clock().now);
    let finish!: (value: string | undefined) => void;
    let started!: () => void;
    const deriving = new Promise<void>((resolve) => (started = resolve));
    const first = guard.run(() => {
      started();
      return new Promise<string | undefined>((resolve) => (finish = resolve));
    });
    expect(guard.running).toBe(true);
    await deriving;
    let ranSecond = false;
    const second = await refusal(
      guard.run(async () => {
        ranSecond = true;
        return 'key';
      }),
    );
    expect(second).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(ranSecond).toBe(false);
    finish(undefined);
    expect(await first).toBeUndefined();
    expect(guard.running).toBe(false);
    // Only the attempt that ran was counted; the refused one was no guess.
    expect(guard.state.failures).toBe(1);
  });

  it('counts a wrong attempt before the next may start, and a right one clears the count', async () => {
    const time = clock();
    const guard = new UnlockGuard(await tempDir(), time.now);
    expect(await guard.run(async () => undefined)).toBeUndefined();
    expect(await guard.run(async () => undefined)).toBeUndefined();
    expect(await guard.run(async () => undefined)).toBeUndefined();
    expect(guard.state.failures).toBe(3);
    // The third failure armed a 1 s wait: the next attempt is refused without being run.
    let ran = false;
    expect(
      await refusal(
        guard.run(async () => {
          ran = true;
          return 'key';
        }),
      ),
    ).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(ran).toBe(false);
    time.advance(1000);
    expect(await guard.run(async () => 'key')).toBe('key');
    expect(guard.state).toEqual({ failures: 0, retryAt: 0 });
  });

  it('frees the slot when the derivation throws, without counting a failure', async () => {
    const guard = new UnlockGuard(await tempDir(), clock().now);
    await expect(guard.run(() => Promise.reject(new Error('worker died')))).rejects.toThrow('worker died');
    expect(guard.running).toBe(false);
    expect(guard.state.failures).toBe(0);
    expect(await guard.run(async () => 'key')).toBe('key');
  });
});

// Through the core, against the sandbox over HTTP, with real Argon2id (the lowest accepted
// parameters): every derivation is counted as it starts and ends, by wrapping the real one.
const derivations = vi.hoisted(() => ({ active: 0, max: 0, total: 0 }));
vi.mock('../../../../main/core/crypto/kdf.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../main/core/crypto/kdf.js')>();
  return {
    ...real,
    argon2id: async (...args: Parameters<typeof real.argon2id>) => {
      derivations.active += 1;
      derivations.total += 1;
      derivations.max = Math.max(derivations.max, derivations.active);
      try {
        return await real.argon2id(...args);
      } finally {
        derivations.active -= 1;
      }
    },
  };
});

describe('wrong passphrases sent at once through the core', () => {
  const sandbox = useSandbox();
  const cores: Core[] = [];
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });

  it('checks one at a time, refuses the rest with RATE_LIMITED, and counts every failure that was checked', async () => {
    const user = await sandbox().admin.createUser();
    const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
    const core = await createCore({ dataDir: await tempDir(), mode: 'serve', version: 't', keychain: { unavailable: 'not under test here' }, argon2: MIN_ARGON2, engine: { sleep: async () => {} } });
    cores.push(core);
    const call = (op: string, input?: unknown) => core.dispatch(op, input) as Promise<{ ok: boolean; data?: { failures: number }; error?: { code: string; retryAfter?: number } }>;
    expect(await call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true })).toMatchObject({ ok: true });
    expect(await call('vault.setup', { passphrase: 'the one right passphrase' })).toMatchObject({ ok: true });
    await call('vault.lock');
    Object.assign(derivations, { active: 0, max: 0, total: 0 });

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => call('vault.unlock', { passphrase: `wrong guess number ${i}` })));
    const codes = results.map((r) => r.error?.code);
    const checked = codes.filter((c) => c === 'UNAUTHORIZED').length;
    const refused = results.filter((r) => r.error?.code === 'RATE_LIMITED');
    console.log(`10 wrong passphrases at once: ${checked} checked, ${refused.length} refused, at most ${derivations.max} derivation(s) at a time`);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(checked + refused.length).toBe(10);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(refused.every((r) => typeof r.error?.retryAfter === 'number' && r.error.retryAfter > 0)).toBe(true);
    expect(derivations.max).toBe(1);
    expect(derivations.total).toBe(checked);
    const status = await call('vault.status');
    expect(status.data?.failures).toBe(checked);

    // With fewer than three failures no wait is armed: the right passphrase opens and clears the count.
    expect(checked).toBeLessThan(3);
    expect(await call('vault.unlock', { passphrase: 'the one right passphrase' })).toMatchObject({ ok: true, data: { state: 'unlocked', failures: 0 } });
  });
});
