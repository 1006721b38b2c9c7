import { inputSchemas, type OperationInput, type OperationResult, type ParsedInput } from '../../common/contract.js';
import type { Result } from '../../common/errors.js';
import { isOperationName, type AreaOperation, type OperationArea, type OperationName } from '../../common/operations.js';
import { invalidInput } from '../../common/validation.js';
import { toAppError, type OnUnexpected } from './app-error.js';

export type Handlers = {
  [K in OperationName]: (input: ParsedInput<K>) => Promise<OperationResult<K>> | OperationResult<K>;
};

/** The handlers of one area (main/core/<area>/handlers.ts): the core spreads them all into one map. */
export type AreaHandlers<A extends OperationArea> = Pick<Handlers, AreaOperation<A>>;

/** What the transports call: anything may arrive over IPC or a socket, so nothing is assumed. */
export type Dispatch = (op: unknown, input: unknown) => Promise<Result<unknown>>;

/**
 * The same dispatcher, typed by the contract, for callers inside the app (the CLI, tests): a
 * contract change breaks them at compile time. Operations without input may omit it.
 */
export type Call = <K extends OperationName>(op: K, ...input: undefined extends OperationInput<K> ? [input?: OperationInput<K>] : [input: OperationInput<K>]) => Promise<Result<OperationResult<K>>>;

export const typedCall =
  (dispatch: Dispatch): Call =>
  (op, ...input) =>
    dispatch(op, input[0]) as never;

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
