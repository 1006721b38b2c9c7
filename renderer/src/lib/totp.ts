import { base32 } from '@scure/base';

/**
 * The current code of a TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s), as an authenticator app
 * shows it. Used only for the local sandbox's demo user, whose secret the sandbox hands over.
 */
export async function totpCode(secretBase32: string, now = Date.now()): Promise<string> {
  const clean = secretBase32.replace(/[\s=]/g, '').toUpperCase();
  const padded = clean + '='.repeat((8 - (clean.length % 8)) % 8);
  const key = await crypto.subtle.importKey('raw', new Uint8Array(base32.decode(padded)), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  let step = Math.floor(now / 1000 / 30);
  const counter = new Uint8Array(8);
  for (let i = 7; i >= 0; i--, step = Math.floor(step / 256)) counter[i] = step % 256;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 1_000_000).padStart(6, '0');
}
