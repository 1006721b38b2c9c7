import { describe, expect, it } from 'vitest';
import { readAhead } from '../../../../main/core/files/read-ahead.js';

// The read-ahead between sealing and sending a file: order kept, bounded (backpressure), failures
// delivered in their place, and the source closed when the consumer stops early.

function producer(count: number, failAt?: number) {
  const log = { produced: 0, closed: false };
  async function* items(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < count; i += 1) {
        await new Promise((resolve) => setImmediate(resolve));
        if (i === failAt) throw new Error(`failed at ${i}`);
        log.produced += 1;
        yield i;
      }
    } finally {
      log.closed = true;
    }
  }
  return { items: items(), log };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('readAhead', () => {
  it('gives every item in order', async () => {
    const { items } = producer(50);
    const seen: number[] = [];
    for await (const item of readAhead(items, 4)) seen.push(item);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('runs the producer ahead while the consumer waits, but never more than the bound', async () => {
    const { items, log } = producer(100);
    const ahead = readAhead(items, 4);
    expect((await ahead.next()).value).toBe(0);
    await settle();
    // Four requested at once (the one taken and three ahead), made while the consumer waited; no more.
    expect(log.produced).toBe(4);
    await ahead.next();
    await settle();
    expect(log.produced).toBe(5);
    await ahead.return(undefined);
  });

  it('delivers a failure after the items before it, and stops there', async () => {
    const { items } = producer(10, 3);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(items, 4)) seen.push(item);
      })(),
    ).rejects.toThrow('failed at 3');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('closes the source when the consumer stops early (a cancelled upload)', async () => {
    const { items, log } = producer(100);
    for await (const item of readAhead(items, 4)) if (item === 2) break;
    expect(log.closed).toBe(true);
    expect(log.produced).toBeLessThan(100);
  });
});
