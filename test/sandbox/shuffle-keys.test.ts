import { beforeAll, describe, expect, it } from 'vitest';
import { call, useSandbox } from './client.js';

// --shuffle-keys: the key listing comes in a random order (a real server promises none), so the
// window's sorting is measured and tested against what a server may really send.

const NAMES = Array.from({ length: 40 }, (_, i) => `key-${String(i).padStart(2, '0')}`);

async function fill(apiUrl: string, token: string): Promise<void> {
  for (const key of NAMES) {
    const answer = await call(apiUrl, 'PATCH', `/vault/keys/${key}`, { token, body: { value: 'v' } });
    expect(answer.status).toBeLessThan(300);
  }
}

async function listing(apiUrl: string, token: string): Promise<string[]> {
  const answer = await call(apiUrl, 'GET', '/vault/keys', { token });
  expect(answer.status).toBe(200);
  return (answer.body.data as Array<{ key: string }>).map((e) => e.key);
}

describe('sandbox --shuffle-keys', () => {
  const shuffled = useSandbox({ shuffleKeys: true });
  const ordered = useSandbox();
  let shuffledToken: string;
  let orderedToken: string;

  beforeAll(async () => {
    const a = await shuffled.sandbox.admin.createUser({ username: 'shuffled' });
    shuffledToken = shuffled.sandbox.admin.createApiToken({ userId: a.id }).token;
    const b = await ordered.sandbox.admin.createUser({ username: 'ordered' });
    orderedToken = ordered.sandbox.admin.createApiToken({ userId: b.id }).token;
    await fill(shuffled.sandbox.apiUrl, shuffledToken);
    await fill(ordered.sandbox.apiUrl, orderedToken);
  });

  it('lists every key, in another order from one listing to the next', async () => {
    const first = await listing(shuffled.sandbox.apiUrl, shuffledToken);
    const second = await listing(shuffled.sandbox.apiUrl, shuffledToken);
    expect([...first].sort()).toEqual(NAMES);
    expect([...second].sort()).toEqual(NAMES);
    // 40! orders: two listings in name order, or equal to each other, mean no shuffle.
    expect(first).not.toEqual(NAMES);
    expect(first).not.toEqual(second);
  });

  it('lists keys by name without the switch', async () => {
    expect(await listing(ordered.sandbox.apiUrl, orderedToken)).toEqual(NAMES);
  });
});

describe('PUT /__sandbox/shuffle-keys (with --faults)', () => {
  const switchable = useSandbox({ faults: true });

  it('turns the shuffle on and off while running, and refuses a body without a boolean `on`', async () => {
    const user = await switchable.sandbox.admin.createUser({ username: 'switched' });
    const { token } = switchable.sandbox.admin.createApiToken({ userId: user.id });
    await fill(switchable.sandbox.apiUrl, token);
    expect(await listing(switchable.sandbox.apiUrl, token)).toEqual(NAMES);
    const root = switchable.sandbox.apiUrl.replace(/\/api\/v1$/, '');
    const put = (body: unknown) => fetch(`${root}/__sandbox/shuffle-keys`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put({ on: true })).status).toBe(200);
    const first = await listing(switchable.sandbox.apiUrl, token);
    expect([...first].sort()).toEqual(NAMES);
    expect(first).not.toEqual(NAMES);
    expect((await put({ on: 'yes' })).status).toBe(400);
    expect((await put({ on: false })).status).toBe(200);
    expect(await listing(switchable.sandbox.apiUrl, token)).toEqual(NAMES);
  });
});
