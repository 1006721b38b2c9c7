import { inputSchemas, type OperationResult, type ParsedInput } from '../../common/contract.js';
import type { Result } from '../../common/errors.js';
import { isOperationName, type OperationName } from '../../common/operations.js';
import { invalidInput } from '../../common/validation.js';
import { toAppError, type OnUnexpected } from './app-error.js';

export type Handlers = {
  [K in OperationName]: (input: ParsedInput<K>) => Promise<OperationResult<K>> | OperationResult<K>;
};

export type Dispatch = (op: unknown, input: unknown) => Promise<Result<unknown>>;

export interface DispatchOptions {
  /** Where unexpected failures are reported; their details never reach the caller. */
  onUnexpected?: OnUnexpected;
}

/**
 * The single entry into main/core for both transports. It checks the operation name, validates the
 * input with the contract's schema, and answers `{ok, data}` or `{ok: false, error}`: it never throws.
 */
export function createDispatcher(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async function dispatch(op, input) {
    if (!isOperationName(op)) {
      return { ok: false, error: { code: 'UNKNOWN_OPERATION', message: `There is no operation named ${describe(op)}.` } };
    }
    try {
      // Inside the try: whatever the input holds, a schema that trips over it is still an answer.
      const parsed = inputSchemas[op].safeParse(input);
      if (!parsed.success) return { ok: false, error: invalidInput(parsed.error.issues) };
      const handler = handlers[op] as (input: unknown) => unknown;
      return { ok: true, data: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: toAppError(error, op, options.onUnexpected) };
    }
  };
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return `of type ${typeof value}`;
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
