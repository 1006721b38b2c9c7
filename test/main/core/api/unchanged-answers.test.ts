import { describe, expect, it } from 'vitest';
import { arrayItems } from '../../../../main/core/api/json-array-items.js';
import { UnchangedAnswers } from '../../../../main/core/api/unchanged-answers.js';

// An answer that holds what the last one held is not parsed again: byte for byte, or the same array
// elements in another order (a server that promises no order). Anything else is made afresh.

async function* bodyOf(text: string): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  // In pieces, as a socket gives them.
  for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
}

const envelope = (items: unknown[], message = 'Vault keys.') => JSON.stringify({ success: true, message, data: items });
const entry = (key: string, notes = 'a "quoted" note, with } and ] and \\\\') => ({ key, notes, metadata: { sealed: 'c2VhbGVk', nested: [1, { a: null }] }, size_bytes: 3, ok: true });

describe('arrayItems', () => {
  it('gives the elements of one array field as texts, and the rest of the object', () => {
    const text = ' { "success" : true , "data" : [ {"a":"x\\\\\\"]"} , [1,2], "s,t", 12.5e3, null ] , "message":"m" } ';
    const split = arrayItems(text, 'data')!;
    expect(split.items).toEqual(['{"a":"x\\\\\\"]"}', '[1,2]', '"s,t"', '12.5e3', 'null']);
    expect(split.items.map((item) => JSON.parse(item))).toEqual(JSON.parse(text).data);
    expect(split.rest).toBe(' { "success" : true , "data" :  , "message":"m" } ');
    expect(arrayItems('{"data":[]}', 'data')).toEqual({ items: [], rest: '{"data":}' });
  });

  it('gives nothing for a text that is not such an object', () => {
    for (const text of ['[1,2]', '{"data":{"a":1}}', '{"other":[1]}', '{"data":[1 2]}', '{"data":[1,', '{"data":["open]}', 'not json', '']) {
      expect(arrayItems(text, 'data'), text).toBeUndefined();
    }
  });
});

describe('UnchangedAnswers', () => {
  it('gives back what it made of an answer holding the same elements, in the same order or another', async () => {
    const answers = new UnchangedAnswers<unknown>('data');
    let made = 0;
    const make = (text: string) => {
      made += 1;
      return Object.freeze(JSON.parse(text).data);
    };
    const [a, b, c] = [entry('a'), entry('b'), entry('c')];
    const first = await answers.read('', bodyOf(envelope([a, b, c])), make);
    expect(await answers.read('', bodyOf(envelope([a, b, c])), make)).toBe(first);
    expect(await answers.read('', bodyOf(envelope([c, a, b])), make)).toBe(first);
    expect(made).toBe(1);
    // One element changed, one gone, one repeated in place of another, or the rest of the answer changed: made again.
    const changed = await answers.read('', bodyOf(envelope([c, a, entry('b', 'other')])), make);
    expect(changed).not.toBe(first);
    expect(made).toBe(2);
    expect(await answers.read('', bodyOf(envelope([c, a])), make)).not.toBe(changed);
    expect(await answers.read('', bodyOf(envelope([a, a, c])), make)).toEqual([a, a, c]);
    const before = made;
    expect(await answers.read('', bodyOf(envelope([c, a, a])), make)).toEqual([c, a, a]);
    // Elements repeated in the last answer: not compared as a set.
    expect(made).toBe(before + 1);
    await answers.read('', bodyOf(envelope([a, c])), make);
    expect(await answers.read('', bodyOf(envelope([c, a], 'Other message.')), make)).toEqual([c, a]);
    expect(made).toBe(before + 3);
    // Kept per key: another scope's answer is its own.
    const other = await answers.read('realm', bodyOf(envelope([c, a], 'Other message.')), make);
    expect(other).toEqual([c, a]);
    expect(made).toBe(before + 4);
  });

  it('without a field, compares bytes only', async () => {
    const answers = new UnchangedAnswers<unknown>();
    let made = 0;
    const make = (text: string) => {
      made += 1;
      return JSON.parse(text);
    };
    const first = await answers.read('', bodyOf(envelope([1, 2])), make);
    expect(await answers.read('', bodyOf(envelope([1, 2])), make)).toBe(first);
    expect(await answers.read('', bodyOf(envelope([2, 1])), make)).not.toBe(first);
    expect(made).toBe(2);
  });
});
