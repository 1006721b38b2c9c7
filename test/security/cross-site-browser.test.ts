import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { useTempDir } from '../support/temp-dir.js';

// The attack as it happened: a web page in the user's own browser (real Chromium) aims at serve
// mode on loopback. It tries the `//` upgrade that once killed the host, the bridge even with the
// secret (it cannot know it, but suppose it leaked), and a forged upload. All are refused, and the
// host still answers afterwards.

const tempDir = useTempDir();
let serve: ServeProcess;
let attacker: Server;
let browser: Browser;

beforeAll(async () => {
  serve = await startServeProcess(['--data', await tempDir()]);
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>a page on another site</title>');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: process.env.HOODY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  attacker?.close();
  await serve?.stop();
});

describe('a hostile page in the browser', () => {
  it('cannot reach or take down serve mode', async () => {
    const target = new URL(serve.url);
    const page = await browser.newPage();
    // Served from localhost on another port: another origin (and another site by port for WebSockets' Origin check).
    await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(
      async ({ port, secret }) => {
        // The page's own WebSocket (this file's `WebSocket` is the ws package, in Node).
        const PageSocket = (globalThis as unknown as { WebSocket: new (url: string) => { onopen: () => void; onerror: () => void } }).WebSocket;
        const socket = (url: string) =>
          new Promise<string>((resolve) => {
            const ws = new PageSocket(url);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          });
        const results: Record<string, string> = {};
        results.slashes = await socket(`ws://127.0.0.1:${port}//`);
        results.tripleSlashes = await socket(`ws://127.0.0.1:${port}///`);
        results.bridgeWithSecret = await socket(`ws://127.0.0.1:${port}/${secret}/bridge`);
        results.bridgeByLocalhost = await socket(`ws://localhost:${port}/${secret}/bridge`);
        results.upload = await fetch(`http://127.0.0.1:${port}/${secret}/upload?realmId=&key=x&uploadId=00000000-0000-4000-8000-000000000000&name=x`, { method: 'POST', mode: 'no-cors', body: 'stolen' }).then(
          (response) => `opaque ${response.type}`,
          () => 'refused',
        );
        results.read = await fetch(`http://127.0.0.1:${port}/${secret}/`).then(
          () => 'read',
          () => 'refused',
        );
        return results;
      },
      { port: Number(target.port), secret: target.pathname.split('/')[1]! },
    );
    expect(outcome).toEqual({ slashes: 'refused', tripleSlashes: 'refused', bridgeWithSecret: 'refused', bridgeByLocalhost: 'refused', upload: 'opaque opaque', read: 'refused' });
    const tries = Object.keys(outcome).length;
    console.log(`cross-site browser attack: ${tries} tries, ${Object.values(outcome).filter((v) => v !== 'open' && v !== 'read').length} refused or opaque`);
    expect(serve.child.exitCode).toBeNull();
    // The host still answers its own page.
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/${target.pathname.split('/')[1]}/bridge`, { headers: { origin: target.origin } });
    const info = await new Promise<unknown>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, op: 'app.info', input: undefined })));
      ws.once('message', (data) => resolve((JSON.parse(String(data)) as { result: unknown }).result));
      ws.once('error', reject);
    });
    ws.close();
    expect(info).toMatchObject({ ok: true, data: { mode: 'serve' } });
  }, 60_000);
});
