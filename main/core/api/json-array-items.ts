// The elements of one array field of a JSON object, as texts, without parsing them: enough to tell
// that an answer holds the same elements as the last one in another order (a server that promises no
// order may shuffle its key listing at every answer; unchanged-answers.ts). It checks the object's
// structure, not every token: a text it does not take apart (or takes apart wrongly) only costs a
// full parse, since the elements it gives are compared with those of an answer that did parse.

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i += 1;
  return i;
}

/** The index after the string that starts at `i` (a quote), or -1. Strings are jumped over with indexOf. */
function skipString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let b = quote - 1; text.charCodeAt(b) === BACKSLASH; b -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index after the value that starts at `i`, or -1. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    for (let j = i; j < text.length; j += 1) {
      const d = text.charCodeAt(j);
      if (d === QUOTE) {
        const end = skipString(text, j);
        if (end < 0) return -1;
        j = end - 1;
      } else if (d === OPEN_OBJECT || d === OPEN_ARRAY) {
        depth += 1;
      } else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isSpace(d)) break;
    j += 1;
  }
  return j > i ? j : -1;
}

/**
 * The elements of the array that is the value of `field` in the object `text` (the first such
 * field, written plainly), and the text without that array (the rest of the object, to compare
 * too); undefined when the text is not such an object.
 */
export function arrayItems(text: string, field: string): { items: string[]; rest: string } | undefined {
  const name = `"${field}"`;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_OBJECT) return undefined;
  i = skipSpace(text, i + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return undefined;
    const key = text.slice(i, keyEnd);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipSpace(text, i + 1);
    if (key === name && text.charCodeAt(i) === OPEN_ARRAY) {
      const start = i;
      const items: string[] = [];
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === CLOSE_ARRAY) return { items, rest: text.slice(0, start) + text.slice(i + 1) };
      for (;;) {
        const end = skipValue(text, i);
        if (end < 0) return undefined;
        items.push(text.slice(i, end));
        i = skipSpace(text, end);
        const c = text.charCodeAt(i);
        if (c === CLOSE_ARRAY) return { items, rest: text.slice(0, start) + text.slice(i + 1) };
        if (c !== COMMA) return undefined;
        i = skipSpace(text, i + 1);
      }
    }
    const end = skipValue(text, i);
    if (end < 0) return undefined;
    i = skipSpace(text, end);
    if (text.charCodeAt(i) !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
  return undefined;
}
