import sodium from 'libsodium-wrappers-sumo';

// libsodium's sumo build (the standard one lacks Argon2id), initialised once.
let ready: Promise<typeof sodium> | undefined;

export function loadSodium(): Promise<typeof sodium> {
  ready ??= sodium.ready.then(() => sodium);
  return ready;
}
