import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VaultStatus } from '../../common/vault.js';
import { followVaultChanges } from '../../renderer/src/lib/vault-lock.js';
import { useVault } from '../../renderer/src/stores/vault.js';
import { installBridge } from './bridge.js';

// Issue 14 A.10: offline, the scope picker holds only the realms this computer has a copy of; when
// the server is back, the window asks for the server's realms again, by itself.

const unlocked = (online: boolean): VaultStatus => ({ state: 'unlocked', accountId: 'a@h', failures: 0, retryAt: 0, allowedRealms: null, online, pendingChanges: 0 });
const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

describe('back online', () => {
  it("reloads the scope picker's realms and the listing when the server answers again", async () => {
    const serverRealms = ['aa11aa11aa11aa11aa11aa11', 'bb22bb22bb22bb22bb22bb22'];
    const asked: string[] = [];
    const core = await installBridge(await mkdtemp(join(tmpdir(), 'reconnect-')), async (op) => {
      if (op === 'vault.realms') return (asked.push(op), { ok: true, data: { realms: serverRealms, globalAllowed: true } });
      if (op === 'vault.listChanges') return (asked.push(op), { ok: false, error: { code: 'NETWORK', message: 'not under test' } });
      return undefined;
    });
    stops.push(() => void core.close());
    stops.push(followVaultChanges(() => {}));
    useVault.setState({ realms: ['aa11aa11aa11aa11aa11aa11'], status: unlocked(true) });
    core.events.emit('vault.changed', unlocked(false));
    expect(asked).toEqual([]);
    core.events.emit('vault.changed', unlocked(true));
    await expect.poll(() => useVault.getState().realms).toEqual(serverRealms);
    expect(asked.sort()).toEqual(['vault.listChanges', 'vault.realms']);
  });
});
