import type { VaultStatus } from '../../../common/vault.js';
import { hoody } from './hoody.js';
import { useProfile } from '../stores/profile.js';
import { useUploads } from '../stores/uploads.js';
import { useVault } from '../stores/vault.js';

/**
 * Follows the vault's lock state. When it locks, every decrypted value held by the window is
 * dropped: the stores are reset, then the page reloads, so nothing revealed survives even in the
 * JavaScript heap (the Bitwarden way).
 */
export function followVaultChanges(reload: () => void = () => window.location.reload()): () => void {
  return hoody().on('vault.changed', (status: VaultStatus) => {
    const previous = useVault.getState().status;
    if (previous?.state === 'unlocked' && status.state !== 'unlocked') {
      useVault.getState().reset();
      useProfile.getState().reset();
      useUploads.getState().reset();
      useVault.setState({ status });
      reload();
      return;
    }
    useVault.setState({ status });
    // Back online with everything sent: show the server's state again, and the server's realms
    // (offline, the scope picker had only those with a copy on this computer).
    const back = status.online && previous !== undefined && !previous.online;
    if (status.state === 'unlocked' && back) void useVault.getState().loadRealms();
    if (status.state === 'unlocked' && previous?.state === 'unlocked' && (back || status.pendingChanges < previous.pendingChanges)) {
      void useVault.getState().refresh();
    }
  });
}

/** Reports the user's activity to main (at most every 20 s) so the idle lock measures real use. */
export function reportActivity(): () => void {
  let last = 0;
  const onActivity = () => {
    if (useVault.getState().status?.state !== 'unlocked') return;
    const now = Date.now();
    if (now - last < 20_000) return;
    last = now;
    void hoody().vault.activity();
  };
  const events = ['keydown', 'pointerdown', 'wheel'] as const;
  for (const name of events) window.addEventListener(name, onActivity, { passive: true });
  return () => {
    for (const name of events) window.removeEventListener(name, onActivity);
  };
}

/** Ctrl/⌘+L locks the vault from anywhere in the window (the Electron menu has the same accelerator). */
export function lockShortcut(): () => void {
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
  const onKey = (event: KeyboardEvent) => {
    if ((isMac ? event.metaKey : event.ctrlKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'l') {
      event.preventDefault();
      void hoody().vault.lock();
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
