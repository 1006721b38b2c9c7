import type Sodium from 'libsodium-wrappers-sumo';

// libsodium's sumo build (the standard one lacks Argon2id), loaded and initialised once, on first
// use: its WebAssembly takes tens of milliseconds to start, which a command-line run that opens
// nothing (a locked listing, say) should not pay.
let ready: Promise<typeof Sodium> | undefined;

export function loadSodium(): Promise<typeof Sodium> {
  ready ??= import('libsodium-wrappers-sumo').then(async (module) => {
    const sodium = (module as { default?: typeof Sodium }).default ?? (module as unknown as typeof Sodium);
    await sodium.ready;
    return sodium;
  });
  return ready;
}
