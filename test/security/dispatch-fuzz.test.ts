import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputSchemas } from '../../common/contract.js';
import type { ErrorCode } from '../../common/errors.js';
import { OPERATIONS } from '../../common/operations.js';
import { createCore, type Core } from '../../main/core/index.js';
import { useTempDir } from '../support/temp-dir.js';

// Every operation, fuzzed through the real core's dispatch: random values, JSON as it arrives on
// the wire (own `__proto__` keys included), and near-valid inputs built from the contract's own
// field names. Whatever comes in, dispatch must answer `{ok: true, data}` or `{ok: false, error}`,
// never throw, never change state when it refuses (settings, accounts, no event sent), and never
// let an input reach Object.prototype. The core has no account and its
// server is a closed local port, so nothing slow (network, key derivation) runs.

const RUNS = Number(process.env.HOODY_FUZZ_RUNS ?? 12_000);
const ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'INVALID_INPUT', 'UNKNOWN_OPERATION', 'FORBIDDEN_SENDER', 'STORAGE', 'DISCONNECTED', 'INTERNAL', 'UNAUTHORIZED', 'SESSION_EXPIRED',
  'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'SERVER_ERROR', 'NETWORK', 'TIMEOUT', 'NOT_SIGNED_IN',
  'KEYCHAIN_UNAVAILABLE', 'NOT_AVAILABLE', 'LOCKED', 'PASSWORD_REQUIRED', 'UNREADABLE',
]);
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

/** The field names of a zod schema, found by walking its definition (objects, unions, wrappers). */
function fieldNames(schema: unknown, into = new Set<string>(), seen = new Set<unknown>()): Set<string> {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return into;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return into;
  if (def.shape && typeof def.shape === 'object') {
    for (const [name, inner] of Object.entries(def.shape as Record<string, unknown>)) {
      into.add(name);
      fieldNames(inner, into, seen);
    }
  }
  for (const key of ['innerType', 'in', 'out', 'left', 'right', 'element', 'valueType']) fieldNames(def[key], into, seen);
  if (Array.isArray(def.options)) for (const option of def.options) fieldNames(option, into, seen);
  return into;
}

const contractFields = [...new Set(Object.values(inputSchemas).flatMap((schema) => [...fieldNames(schema)]))];

/** Values a field of the contract plausibly takes, and the edges around them. */
const plausibleValue = fc.oneof(
  fc.constantFrom('', 'dark', 'light', 'system', 'a.txt', 'hdy_' + 'a'.repeat(40), 'abcdef0123456789abcdef01', 'ABCDEF0123456789ABCDEF01', 'http://127.0.0.1:9', 'mine', 'theirs', 'both', 'GET', '2026-01-01T00:00:00Z'),
  fc.constant(randomUUID()),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined, Number.NaN, Infinity, -0, 2 ** 53),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...PROTO_KEYS, 'a'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
);

const nearValid = fc.dictionary(fc.constantFrom(...contractFields, ...PROTO_KEYS), plausibleValue, { maxKeys: 6 });

/** JSON text parsed as the serve bridge and IPC deliver it: `__proto__` arrives as an own key. */
const wireJson = fc
  .tuple(fc.constantFrom(...PROTO_KEYS, ...contractFields), fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }))
  .map(([key, value, rest]) => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}${Object.keys(rest).length ? `, ${JSON.stringify(rest).slice(1, -1)}` : ''}}`) as unknown);

const input = fc.oneof(
  { arbitrary: nearValid, weight: 4 },
  { arbitrary: wireJson, weight: 3 },
  { arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }), weight: 2 },
  { arbitrary: fc.constantFrom(undefined, null, {}, [], '', 0, 'x'.repeat(100_000)), weight: 1 },
);
const operation = fc.oneof({ arbitrary: fc.constantFrom(...OPERATIONS), weight: 9 }, { arbitrary: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'vault', 'app.info ', 'APP.INFO')), weight: 1 });

const tempDir = useTempDir();
let core: Core;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  core = await createCore({ dataDir: await tempDir(), mode: 'serve', version: '0.0.0', keychain: { unavailable: 'not used by the fuzz test' }, log: () => {} });
  // A closed local port: a sign-in that passes its schema fails at once, without the network.
  expect(await core.dispatch('settings.update', { serverUrl: 'http://127.0.0.1:9' })).toMatchObject({ ok: true });
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await core?.close();
});

function expectResultShape(result: unknown): void {
  expect(typeof result).toBe('object');
  const r = result as Record<string, unknown>;
  if (r.ok === true) {
    expect(Object.keys(r).sort()).toEqual(['data', 'ok']);
  } else {
    expect(r.ok).toBe(false);
    expect(Object.keys(r).sort()).toEqual(['error', 'ok']);
    const error = r.error as Record<string, unknown>;
    expect(ERROR_CODES.has(error.code as ErrorCode), String(error.code)).toBe(true);
    expect(typeof error.message).toBe('string');
    expect((error.message as string).length).toBeGreaterThan(0);
    if (error.fields !== undefined) {
      for (const [field, rule] of Object.entries(error.fields as object)) {
        expect(typeof rule, field).toBe('string');
      }
    }
  }
  // It crosses a process boundary as JSON: it must survive the trip.
  expect(() => JSON.stringify(result)).not.toThrow();
}

describe('dispatch under fuzzing', () => {
  it(`answers every one of ${RUNS} random calls with a Result, and nothing reaches Object.prototype`, async () => {
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const arrayBefore = Object.getOwnPropertyNames(Array.prototype).sort();
    const tally = { tries: 0, refused: 0, unnamed: 0, changedOnRefusal: 0, codes: new Map<string, number>() };
    let events = 0;
    const unsubscribe = core.events.subscribe(() => (events += 1));
    const state = () => JSON.stringify({ settings: core.settings.get(), accounts: core.accounts.state() });
    await fc.assert(
      fc.asyncProperty(operation, input, async (op, value) => {
        tally.tries += 1;
        const [before, eventsBefore] = [state(), events];
        const result = await core.dispatch(op, value);
        expectResultShape(result);
        if (!result.ok) {
          if (state() !== before || events !== eventsBefore) tally.changedOnRefusal += 1;
          tally.refused += 1;
          tally.codes.set(result.error.code, (tally.codes.get(result.error.code) ?? 0) + 1);
          // An invalid input always names at least one field (or the input as a whole).
          if (result.error.code === 'INVALID_INPUT' && Object.keys(result.error.fields ?? {}).length === 0) tally.unnamed += 1;
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS, seed: Number(process.env.HOODY_FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    unsubscribe();
    const codes = [...tally.codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    console.log(`dispatch fuzz: ${tally.tries} tries, ${tally.refused} refused (${codes}), ${tally.tries - tally.refused} answered ok, 0 thrown, ${tally.changedOnRefusal} state changes on refusal`);
    expect(tally.tries).toBeGreaterThanOrEqual(RUNS);
    expect(tally.unnamed).toBe(0);
    expect(tally.changedOnRefusal).toBe(0);
    expect(tally.codes.get('INTERNAL') ?? 0).toBe(0);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayBefore);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
