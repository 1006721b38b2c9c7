import { describe, expect, it } from 'vitest';
import { totpCode } from '../../renderer/src/lib/totp.js';
import { newTotpSecret, totpCode as sandboxCode } from '../../sandbox/auth/totp.js';

// The window offers the sandbox's two-factor demo user its current code (issue 14 A.20).

describe('totpCode', () => {
  it('gives the code the sandbox expects, at any time', async () => {
    for (const at of [0, 59_000, Date.parse('2026-11-28T12:00:00Z'), Date.now()]) {
      const secret = newTotpSecret();
      expect(await totpCode(secret, at)).toBe(sandboxCode(secret, at));
    }
  });

  it('matches RFC 6238 (SHA-1, T = 59 s)', async () => {
    // The RFC's key "12345678901234567890" in base32; its 8-digit value is 94287082, so 6 digits: 287082.
    expect(await totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).toBe('287082');
  });
});
