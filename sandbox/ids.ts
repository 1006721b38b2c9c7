import { createHash, randomBytes } from 'node:crypto';

/** A 24-hex id, the shape of the real service's (MongoDB ObjectId) ids. */
export function newId(): string {
  return randomBytes(12).toString('hex');
}

/** Secrets are stored only as their digest, so a copied database file grants nothing. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function isoNow(now = Date.now()): string {
  return new Date(now).toISOString();
}
