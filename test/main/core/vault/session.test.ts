import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../main/core/core.js';
import { MIN_ARGON2 } from '../../../../main/core/crypto/kdf.js';
import type { OpenVault, VaultPart } from '../../../../main/core/vault/vault-part.js';
import { okData } from '../../../support/core.js';
import { useSandbox } from '../../../support/sandbox.js';
import { useTempDir } from '../../../support/temp-dir.js';

// The session owns the keys and tells every registered part when the vault opens and locks: lock
// hygiene is declared by each part (clearOnLock), not kept as a list by hand.

const sandbox = useSandbox();
const tempDir = useTempDir();
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

async function signedInCore() {
  const user = await sandbox().admin.createUser();
  const { token } = sandbox().admin.createApiToken({ userId: user.id, vaultAccess: true });
  const core = await createCore({ dataDir: await tempDir(), mode: 'serve', version: 't', keychain: { unavailable: 'not under test here' }, argon2: MIN_ARGON2, engine: { sleep: async () => {} } });
  cores.push(core);
  okData(await core.call('accounts.signInWithToken', { serverUrl: sandbox().url, token, sessionOnly: true }));
  return core;
}

describe('the vault session', () => {
  it('hands parts the account and keys only, and clears every part on lock, for every way of locking', async () => {
    const core = await signedInCore();
    const seen: Array<{ event: 'unlock'; open: OpenVault } | { event: 'clear' }> = [];
    const part: VaultPart = { onUnlock: (open) => void seen.push({ event: 'unlock', open }), clearOnLock: () => void seen.push({ event: 'clear' }) };
    core.vault.session.register(part);

    okData(await core.call('vault.setup', { passphrase: 'session test passphrase' }));
    const opened = seen.find((s) => s.event === 'unlock');
    expect(opened && 'open' in opened ? Object.keys(opened.open).sort() : []).toEqual(['accountId', 'keys']);
    expect(okData(await core.call('vault.lock')).state).toBe('locked');
    expect(seen.at(-1)).toEqual({ event: 'clear' });

    okData(await core.call('vault.unlock', { passphrase: 'session test passphrase' }));
    expect(seen.at(-1)?.event).toBe('unlock');
    await core.vault.lock('idle');
    expect(seen.at(-1)).toEqual({ event: 'clear' });
    // Every locked-state call now refuses: nothing a part held is reachable.
    expect(await core.call('vault.list', { realmId: '' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });

  it('wipes the keys it handed out when it locks', async () => {
    const core = await signedInCore();
    let open: OpenVault | undefined;
    core.vault.session.register({ onUnlock: (o) => void (open = o), clearOnLock: () => {} });
    okData(await core.call('vault.setup', { passphrase: 'session test passphrase' }));
    const keys = Object.values(open!.keys).filter((k): k is Uint8Array => k instanceof Uint8Array);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.some((b) => b !== 0))).toBe(true);
    await core.call('vault.lock');
    expect(keys.every((k) => k.every((b) => b === 0))).toBe(true);
    expect(core.vault.session.isOpen(open!)).toBe(false);
  });
});
