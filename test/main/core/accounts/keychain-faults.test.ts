import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildKeyringTool, inPrivateKeyring } from '../../../support/keyring-faults.js';

// The keychain must never crash the app. Each case starts a fresh GNOME Keyring (its own D-Bus
// session), puts it into a state that crashed keytar's findCredentials (verified: SIGSEGV after
// libsecret's "secret_value_get_text: assertion 'value' failed"), then runs the app's keychain
// adapter and the real `npm run serve` in it. Both must answer.

let dir: string;
let tool: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hoody-keyring-faults-'));
  tool = buildKeyringTool(dir);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const token = (t: string) => JSON.stringify({ kind: 'api-token', token: t }).replace(/"/g, '\\"');

const cases: Array<[string, string, { good: string | null; bad: string | null }]> = [
  ['a keyring holding an unreadable item (in a second, locked collection)', `"$TOOL" store hoody-vault good@test "${token('hdy_good')}" && "$TOOL" store-locked hoody-vault bad@test`, { good: JSON.stringify({ kind: 'api-token', token: 'hdy_good' }), bad: null }],
  ['a locked collection', `"$TOOL" store hoody-vault good@test "${token('hdy_good')}" && "$TOOL" store hoody-vault bad@test x && "$TOOL" lock`, { good: null, bad: null }],
  ['an item whose secret is not text', `"$TOOL" store hoody-vault good@test "${token('hdy_good')}" && "$TOOL" store-binary hoody-vault bad@test`, { good: JSON.stringify({ kind: 'api-token', token: 'hdy_good' }), bad: expect.any(String) as never }],
];

describe('start-up against a faulty keyring', () => {
  it.each(cases)('survives %s: the probe and reads by name answer, and serve mode starts', async (_name, setup, expected) => {
    const data = await mkdtemp(join(dir, 'data-'));
    // Both accounts are known to the app, so start-up reads both entries by name.
    await writeFile(join(data, 'accounts.json'), JSON.stringify({ accounts: [{ id: 'good@test', serverUrl: 'http://127.0.0.1:9' }, { id: 'bad@test', serverUrl: 'http://127.0.0.1:9' }], activeId: 'good@test' }));
    const run = inPrivateKeyring(`${setup} && node_modules/.bin/tsx test/support/keychain-child.ts good@test bad@test && exec node out/main/serve.js --no-open --data "$DATA"`, { TOOL: tool, DATA: data });
    try {
      const { stdout, stderr } = await run.output(/serving at \S+\n/);
      // (The keyring wrapper prints GNOME_KEYRING_CONTROL=… first: look for our two lines.)
      const lines = stdout.trim().split('\n');
      const adapter = lines.find((line) => line.startsWith('{'));
      expect(adapter, `no answer from the adapter; stderr:\n${stderr}`).toBeDefined();
      expect(JSON.parse(adapter!)).toEqual({ available: true, read: { 'good@test': expected.good, 'bad@test': expected.bad } });
      const url = lines.map((line) => /^serving at (\S+)$/.exec(line)?.[1]).find(Boolean);
      expect(url, `serve did not start; stderr:\n${stderr}`).toBeDefined();
      expect((await fetch(url!)).status).toBe(200);
      const accounts = await call(url!, 'accounts.list');
      expect(accounts).toMatchObject({ ok: true, data: { keychain: { available: true } } });
      const statuses = Object.fromEntries((accounts as { data: { accounts: Array<{ id: string; status: string }> } }).data.accounts.map((a) => [a.id, a.status]));
      expect(statuses).toEqual({ 'good@test': expected.good ? 'signed-in' : 'expired', 'bad@test': 'expired' });
    } finally {
      run.stop();
      await run.exited;
    }
  }, 90_000);
});

async function call(pageUrl: string, op: string): Promise<unknown> {
  const page = new URL(pageUrl);
  const ws = new WebSocket(new URL('bridge', pageUrl).href.replace('http:', 'ws:'), { headers: { origin: page.origin } });
  try {
    return await new Promise((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, op, input: undefined })));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
        if (message.id === 1) resolve(message.result);
      });
      ws.once('error', reject);
    });
  } finally {
    ws.close();
  }
}
