import { createHmac, timingSafeEqual } from 'node:crypto';

// HS256 by hand: the sandbox must hand out tokens that look like the real service's JWTs
// (header.payload.signature), and node:crypto is all that takes.

export interface AccessClaims {
  sub: string; // user id
  sid: string; // login session, so logout can end every token of it
  gen: number; // access-token generation, so the fault API can expire every token issued so far
  jti: string;
  iat: number;
  exp: number;
  iss: string;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function sign(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signJwt(claims: AccessClaims, secret: string): string {
  const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${body}.${sign(body, secret).toString('base64url')}`;
}

export type JwtCheck = { ok: true; claims: AccessClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export function verifyJwt(token: string, secret: string, nowSeconds = Date.now() / 1000): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  let claims: AccessClaims;
  try {
    const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    // Pinning the algorithm refuses "alg: none" and key-confusion tricks.
    if (parsedHeader.alg !== 'HS256') return { ok: false, reason: 'malformed' };
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
