import { CoreError } from '../core-error.js';

// One string of a JSON document, streamed out of the document's bytes as they arrive: how the local
// copy takes a stored file's value (tens of megabytes inside `{"data":{"value":"…"}}`) from the API
// without holding the answer, its text and its parsed form at once. Everything else in the document
// is scanned and dropped. Runs of plain characters are sliced out whole (base64 has no quote or
// backslash), so the scan costs little more than the UTF-8 decoding.

interface Level {
  kind: 'object' | 'array';
  /** The key whose value comes next, or is being read (objects). */
  key: string | undefined;
  /** Objects: a key is expected next (after `{` or `,`). */
  wantKey: boolean;
}

const malformed = () => new CoreError('SERVER_ERROR', 'The server sent an answer this app does not understand (not the JSON it expected).');

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The string at `path` (object keys from the top, e.g. `['data', 'value']`), unescaped, in pieces.
 * Throws a SERVER_ERROR when the document is malformed, ends early, or holds no string there; the
 * rest of the document after the string is read (so the connection can be reused) but not kept.
 */
export async function* jsonStringAt(body: AsyncIterable<Uint8Array>, path: readonly string[]): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stack: Level[] = [];
  /** Inside a string: 'key' (collected), 'target' (given out), 'skip'. */
  let inString: 'key' | 'target' | 'skip' | undefined;
  let key = '';
  let escape: string | undefined;
  let found = false;
  let done = false;

  const atTarget = () =>
    stack.length === path.length && stack.every((level, i) => level.kind === 'object' && level.key === path[i]);

  for await (const bytes of body) {
    if (done) continue;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw malformed();
    }
    let out = '';
    for (let i = 0; i < text.length && !done; ) {
      if (inString) {
        if (escape !== undefined) {
          escape += text[i++];
          if (escape[0] === 'u') {
            if (escape.length < 5) continue;
            if (!/^u[0-9a-fA-F]{4}$/.test(escape)) throw malformed();
            const char = String.fromCharCode(parseInt(escape.slice(1), 16));
            if (inString === 'target') out += char;
            else if (inString === 'key') key += char;
          } else {
            const char = ESCAPES[escape];
            if (char === undefined) throw malformed();
            if (inString === 'target') out += char;
            else if (inString === 'key') key += char;
          }
          escape = undefined;
          continue;
        }
        // The run up to the next quote or backslash, taken whole.
        let end = i;
        while (end < text.length) {
          const c = text.charCodeAt(end);
          if (c === 0x22 || c === 0x5c) break;
          end += 1;
        }
        const run = text.slice(i, end);
        if (inString === 'target') out += run;
        else if (inString === 'key') key += run;
        i = end;
        if (i >= text.length) break;
        if (text[i] === '\\') {
          escape = '';
          i += 1;
          continue;
        }
        // The closing quote.
        i += 1;
        const level = stack.at(-1);
        if (inString === 'key' && level) {
          level.key = key;
          level.wantKey = false;
        } else if (inString === 'target') {
          found = true;
          done = true;
        }
        inString = undefined;
        continue;
      }
      const c = text[i++]!;
      const level = stack.at(-1);
      if (c === '"') {
        if (level?.kind === 'object' && level.wantKey) {
          inString = 'key';
          key = '';
        } else inString = atTarget() ? 'target' : 'skip';
      } else if (c === '{' || c === '[') {
        if (atTarget()) throw malformed();
        stack.push({ kind: c === '{' ? 'object' : 'array', key: undefined, wantKey: c === '{' });
      } else if (c === '}' || c === ']') {
        if (!level || (c === '}') !== (level.kind === 'object')) throw malformed();
        stack.pop();
        if (stack.length === 0) done = true;
      } else if (c === ',') {
        if (!level) throw malformed();
        if (level.kind === 'object') {
          level.wantKey = true;
          level.key = undefined;
        }
      } else if (c !== ':' && c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t' && atTarget()) {
        // A number, true, false or null where the string should be.
        throw malformed();
      }
    }
    if (out) yield out;
  }
  if (!found) throw malformed();
}
