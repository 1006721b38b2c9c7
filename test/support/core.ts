import { expect } from 'vitest';
import type { Result } from '../../common/errors.js';
import type { Core } from '../../main/core/core.js';

// The one way tests call the core: `core.call`, typed by the contract, so a change of an
// operation's input or result breaks the tests at compile time. Tests of deliberately malformed
// input use `core.dispatch`, which takes anything.

export type CoreCall = Core['call'];

/** The data of a result that must have succeeded (the assertion names the error otherwise). */
export function okData<T>(result: Result<T>): T {
  expect(result, result.ok ? '' : `${result.error.code}: ${result.error.message}`).toMatchObject({ ok: true });
  return (result as { ok: true; data: T }).data;
}
