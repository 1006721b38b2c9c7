import type { SandboxDb } from './db.js';

/** What every route needs: the store and the settings the sandbox was started with. */
export interface SandboxContext {
  db: SandboxDb;
  jwtSecret: string;
  config: SandboxConfig;
}

export interface SandboxConfig {
  vaultLimitMb: number;
  retentionDays: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** List keys in a random order (a real server promises no order; benchmarks and tests use this). */
  shuffleKeys: boolean;
}

export const MIB = 1024 * 1024;
export const DAY_MS = 24 * 60 * 60 * 1000;

export function retentionCutoff(config: SandboxConfig, now = Date.now()): number {
  return now - config.retentionDays * DAY_MS;
}
