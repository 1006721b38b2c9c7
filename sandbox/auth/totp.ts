import { Secret, TOTP } from 'otpauth';

// The usual authenticator-app settings (SHA-1, 6 digits, 30 s); one step of clock drift is allowed.

function totp(secret: string, label = 'sandbox'): TOTP {
  return new TOTP({ issuer: 'Hoody Sandbox', label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

export function totpCode(secret: string, timestamp = Date.now()): string {
  return totp(secret).generate({ timestamp });
}

export function checkTotp(secret: string, code: string): boolean {
  return totp(secret).validate({ token: code, window: 1 }) !== null;
}
