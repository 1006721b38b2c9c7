import { test } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';

/** What one spec file works against: a sandbox for the file, and a fresh serve mode (and data folder) per test. */
export interface ServeWorld {
  sandbox: Sandbox;
  dataDir: string;
  serve: ServeProcess | undefined;
}

/**
 * Registers the hooks every end-to-end spec repeated: the sandbox started once for the file, serve
 * mode started on a new data folder before each test, and both removed after. The returned object
 * is filled in by the hooks (a test may replace `serve`, to restart the app on the same folder).
 */
export function serveWorld(name: string, sandboxOptions: SandboxOptions = { seedDemo: false }): ServeWorld {
  const world = {} as ServeWorld;
  test.beforeAll(async () => {
    world.sandbox = await startSandbox(sandboxOptions);
  });
  test.afterAll(async () => {
    await world.sandbox?.close();
  });
  test.beforeEach(async () => {
    world.dataDir = await mkdtemp(join(tmpdir(), `hoody-e2e-${name}-`));
    world.serve = await startServeProcess(['--data', world.dataDir]);
  });
  test.afterEach(async () => {
    await world.serve?.stop();
    await rm(world.dataDir, { recursive: true, force: true });
  });
  return world;
}

/** A world whose server can go away and come back: its own sandbox data folder per test, and a port kept. */
export interface OfflineWorld extends ServeWorld {
  sandboxDir: string;
  port: number;
  /** Starts the sandbox again on the same data folder: on its old port (the app's server is back), or on any port (another tool's server, the app still offline). */
  startSandbox(where?: 'same-port' | 'elsewhere'): Promise<Sandbox>;
}

/**
 * Per test: a sandbox on a data folder of its own (so a test can stop it and start it again with
 * everything kept), and serve mode on a new data folder. Specs about offline work use it.
 */
export function offlineWorld(name: string): OfflineWorld {
  const world = {} as OfflineWorld;
  world.startSandbox = async (where = 'same-port') => {
    const sandbox = await startSandbox({ dataDir: world.sandboxDir, ...(where === 'same-port' ? { port: world.port } : {}) });
    if (where === 'same-port') world.sandbox = sandbox;
    return sandbox;
  };
  test.beforeEach(async () => {
    world.sandboxDir = await mkdtemp(join(tmpdir(), `hoody-e2e-${name}-sbx-`));
    world.sandbox = await startSandbox({ dataDir: world.sandboxDir });
    world.port = Number(new URL(world.sandbox.url).port);
    world.dataDir = await mkdtemp(join(tmpdir(), `hoody-e2e-${name}-`));
    world.serve = await startServeProcess(['--data', world.dataDir]);
  });
  test.afterEach(async () => {
    await world.serve?.stop();
    await world.sandbox.close().catch(() => {});
    await rm(world.dataDir, { recursive: true, force: true });
    await rm(world.sandboxDir, { recursive: true, force: true });
  });
  return world;
}

/** A sandbox for the spec file, and as many serve modes ("computers", each on its own data folder) as a test starts. */
export interface ComputersWorld {
  sandbox: Sandbox;
  /** Starts serve mode on a new data folder; stopped and removed after the test. */
  computer(): Promise<ServeProcess>;
}

export function computersWorld(name: string, sandboxOptions: SandboxOptions = { seedDemo: false }): ComputersWorld {
  const dirs: string[] = [];
  const serves: ServeProcess[] = [];
  const world = {} as ComputersWorld;
  world.computer = async () => {
    const dir = await mkdtemp(join(tmpdir(), `hoody-e2e-${name}-`));
    dirs.push(dir);
    const serve = await startServeProcess(['--data', dir]);
    serves.push(serve);
    return serve;
  };
  test.beforeAll(async () => {
    world.sandbox = await startSandbox(sandboxOptions);
  });
  test.afterAll(async () => {
    await world.sandbox?.close();
  });
  test.afterEach(async () => {
    await Promise.all(serves.splice(0).map((s) => s.stop()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return world;
}
