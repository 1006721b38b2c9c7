import { describe, expect, it } from 'vitest';
import { jsonStringAt } from '../../../../main/core/api/json-string-stream.js';

// The string at a path of a JSON answer, streamed from its bytes cut anywhere (mid-escape, mid
// UTF-8 character): the same string JSON.parse finds, or a refusal.

async function* cut(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function extract(text: string, size: number, path = ['data', 'value']): Promise<string> {
  let out = '';
  for await (const piece of jsonStringAt(cut(text, size), path)) out += piece;
  return out;
}

describe('a JSON string streamed out of an answer', () => {
  const answers = [
    { success: true, data: { key: 'k', value: 'plain base64 AAAA+/==', metadata: { value: 'not this one', list: [1, 'value', { value: 'nor this' }] } }, message: 'ok' },
    { data: { metadata: null, value: '{"hv":1,"f":65536,"s":"QUJD"}', updated_at: '2026-01-01' } },
    { data: { n: -1.5e3, t: true, f: false, z: null, 'va\\lue': 'x', value: 'escapes \\ " / \b \f \n \r \t \u0001 é 🔐 \u2028 end' } },
  ];
  it.each([1, 2, 3, 7, 64, 100_000])('finds the same string as JSON.parse, cut every %i bytes', async (size) => {
    for (const answer of answers) {
      const text = JSON.stringify(answer, null, size % 2 ? 0 : 1);
      expect(await extract(text, size)).toBe((JSON.parse(text) as { data: { value: string } }).data.value);
    }
  });

  it('refuses an answer with no string there, a value of another type, a cut answer or broken JSON', async () => {
    for (const text of ['{"data":{"key":"k"}}', '{"data":{"value":12}}', '{"data":{"value":null}}', '{"data":{"value":{"a":"b"}}}', '{"data":{"value":"abc', '{"data":{"value":"a\\qb"}}', '{"data":]', '{"value":"top level is not data.value"}']) {
      await expect(extract(text, 3), text).rejects.toMatchObject({ code: 'SERVER_ERROR' });
    }
  });
});
