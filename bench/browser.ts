import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { repoRoot, startServeProcess, type ServeProcess } from '../test/support/serve-process.js';

// Serve mode and Chromium for the benchmarks that are about the window: the built app, served as a
// user runs it, in Debian's Chromium (Playwright cannot download browsers here).

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.HOODY_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface BenchServe extends ServeProcess {
  rendererDir: string;
  dataDir: string;
  close(): Promise<void>;
}

/** A plain page with one line of text: the baseline for "first paint" from the same host. */
export const PLAIN_PAGE = 'plain.html';

/**
 * Serve mode over a copy of the built renderer with one extra file, `plain.html`, so the app and a
 * plain page come from the same host with the same headers.
 */
export async function startBenchServe(): Promise<BenchServe> {
  // @ts-expect-error: plain JavaScript module without types
  const { ensureBuild } = (await import('../scripts/ensure-build.mjs')) as { ensureBuild: () => void };
  ensureBuild();
  const rendererDir = await mkdtemp(join(tmpdir(), 'hoody-bench-renderer-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'hoody-bench-data-'));
  await cp(join(repoRoot, 'out', 'renderer'), rendererDir, { recursive: true });
  await writeFile(join(rendererDir, PLAIN_PAGE), '<!doctype html>\n<html lang="en"><head><meta charset="UTF-8" /><title>Plain</title></head><body><p>A plain page.</p></body></html>\n');
  const serve = await startServeProcess(['--data', dataDir], { HOODY_RENDERER_DIR: rendererDir });
  return {
    ...serve,
    rendererDir,
    dataDir,
    close: async () => {
      await serve.stop();
      await rm(rendererDir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the serve host's core over its WebSocket, as the window's bridge does. */
export async function serveBridge(serve: { url: string }): Promise<{ call<T = unknown>(op: string, input?: unknown): Promise<T>; waitForEvent(name: string, timeoutMs: number): Promise<unknown>; close(): void }> {
  const { default: WebSocket } = await import('ws');
  const origin = new URL(serve.url).origin;
  const ws = new WebSocket(`${serve.url.replace(/^http/, 'ws')}bridge`, { headers: { Origin: origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (result: { ok: boolean; data?: unknown; error?: { message: string } }) => void>();
  const watchers = new Set<(event: string, payload: unknown) => void>();
  ws.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as { id?: number; result?: { ok: boolean; data?: unknown; error?: { message: string } }; event?: string; payload?: unknown };
    if (message.id !== undefined && message.result) waiting.get(message.id)?.(message.result);
    if (message.event) for (const watch of watchers) watch(message.event, message.payload);
  });
  let next = 1;
  return {
    call: <T>(op: string, input?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        waiting.set(id, (result) => (result.ok ? resolve(result.data as T) : reject(new Error(`${op}: ${result.error?.message}`))));
        ws.send(JSON.stringify({ id, op, input }));
      }),
    waitForEvent: (name, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${name} event within ${timeoutMs} ms`)), timeoutMs);
        const watch = (event: string, payload: unknown) => {
          if (event !== name) return;
          clearTimeout(timer);
          watchers.delete(watch);
          resolve(payload);
        };
        watchers.add(watch);
      }),
    close: () => ws.close(),
  };
}
