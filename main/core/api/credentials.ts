// What signs an account's requests. Lives in main's memory and the OS keychain only.

export type Credentials =
  | { kind: 'api-token'; token: string }
  | { kind: 'session'; token: string; refreshToken: string; expiresAt?: string | undefined; refreshExpiresAt?: string | undefined };

export function isApiToken(token: string): boolean {
  return token.startsWith('hdy_');
}

export function serializeCredentials(credentials: Credentials): string {
  return JSON.stringify(credentials);
}

export function parseCredentials(text: string | null): Credentials | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Credentials> & Record<string, unknown>;
    if (value.kind === 'api-token' && typeof value.token === 'string') return { kind: 'api-token', token: value.token };
    if (value.kind === 'session' && typeof value.token === 'string' && typeof value.refreshToken === 'string') {
      return {
        kind: 'session',
        token: value.token,
        refreshToken: value.refreshToken,
        expiresAt: typeof value.expiresAt === 'string' ? value.expiresAt : undefined,
        refreshExpiresAt: typeof value.refreshExpiresAt === 'string' ? value.refreshExpiresAt : undefined,
      };
    }
  } catch {
    // fall through: an unreadable entry is treated as absent
  }
  return undefined;
}
