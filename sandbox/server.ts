import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createAdmin, type SandboxAdmin } from './admin.js';
import { API_PREFIX, buildApp } from './app.js';
import { retentionCutoff, type SandboxConfig, type SandboxContext } from './context.js';
import { SandboxDb } from './db.js';
import { FaultController } from './faults.js';
import { seedDemo, type DemoData } from './seed-demo.js';

export type { SandboxAdmin, CreateUserOptions, CreatedUser, ActivityInput } from './admin.js';
export type { ApiTokenOptions, CreatedApiToken, SessionTokens } from './auth/tokens.js';
export type { TokenRestrictions } from './db.js';
export type { DemoData, DemoRealm, DemoToken, DemoUser } from './seed-demo.js';
export type { FaultController } from './faults.js';
export type { FaultSpec } from './schemas.js';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where sandbox.sqlite lives; a temporary folder, removed on close, when omitted. */
  dataDir?: string;
  vaultLimitMb?: number;
  retentionDays?: number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  faults?: boolean;
  /** List vault keys in a random order instead of by name (the API promises no order). */
  shuffleKeys?: boolean;
  seedDemo?: boolean;
  log?: boolean;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:PORT, without /api/v1. */
  url: string;
  /** url + '/api/v1'. */
  apiUrl: string;
  dataDir: string;
  demo?: DemoData;
  /** Works with or without `faults: true`; only the HTTP control routes depend on the option. */
  faults: FaultController;
  admin: SandboxAdmin;
  /** Every route the server answers (method, path with its `:params`), so tests can cover them all. */
  routes: ReadonlyArray<{ method: string; url: string }>;
  close(): Promise<void>;
}

export const DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  vaultLimitMb: 50,
  retentionDays: 30,
  accessTokenTtlSeconds: 24 * 60 * 60,
  refreshTokenTtlSeconds: 7 * 24 * 60 * 60,
} as const;

const HOURLY = 60 * 60 * 1000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = ownsDir ? mkdtempSync(join(tmpdir(), 'hoody-sandbox-')) : resolve(options.dataDir!);
  mkdirSync(dataDir, { recursive: true });

  const config: SandboxConfig = {
    vaultLimitMb: options.vaultLimitMb ?? DEFAULTS.vaultLimitMb,
    retentionDays: options.retentionDays ?? DEFAULTS.retentionDays,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULTS.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? DEFAULTS.refreshTokenTtlSeconds,
    shuffleKeys: options.shuffleKeys ?? false,
  };
  const db = new SandboxDb(dataDir);
  const ctx: SandboxContext = { db, jwtSecret: db.jwtSecret(), config };
  const faults = new FaultController(db);
  const admin = createAdmin(ctx);
  const app = buildApp(ctx, { faults: options.faults ? faults : null, log: options.log ?? false });
  const routes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  db.pruneActivity(retentionCutoff(config));
  // Quiet servers prune too; unref so the timer never keeps a process alive.
  const pruner = setInterval(() => db.pruneActivity(retentionCutoff(config)), HOURLY);
  pruner.unref();

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearInterval(pruner);
    await app.close();
    db.close();
    if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await app.listen({ port: options.port ?? DEFAULTS.port, host: options.host ?? DEFAULTS.host });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('The sandbox is not listening on a TCP port.');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    const demo = options.seedDemo ? await seedDemo(ctx, admin, dataDir, url) : undefined;
    return { url, apiUrl: `${url}${API_PREFIX}`, dataDir, ...(demo ? { demo } : {}), faults, admin, routes, close };
  } catch (error) {
    await close();
    throw error;
  }
}
