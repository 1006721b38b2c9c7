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
