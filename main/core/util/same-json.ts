// Whether two parsed JSON values are the same, in any key order: what `JSON.stringify(a) ===
// JSON.stringify(b)` answers when keys are in the same order, without building either string. A
// listing compares each of 10,000 entries with the one before (their metadata, the scope's copy):
// through strings that was most of a listing that changed nothing, and the server may list keys,
// and so build objects, in any order.

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key)) continue;
    // JSON.stringify leaves out undefined members: so does this.
    if (left[key] === undefined) continue;
    count += 1;
    if (!Object.hasOwn(right, key) || !sameJson(left[key], right[key])) return false;
  }
  for (const key in right) if (Object.hasOwn(right, key) && right[key] !== undefined) count -= 1;
  return count === 0;
}
