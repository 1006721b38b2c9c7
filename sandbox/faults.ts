import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxDb } from './db.js';
import { ApiError, ok } from './envelope.js';
import { newId } from './ids.js';
import { faultSchema, schemas, type FaultSpec } from './schemas.js';

// Injected failures for testing a client's retry, timeout and refresh paths. Only mounted with
// `faults: true` (--faults), so a normal sandbox behaves like the real service and nothing else.

export const FAULT_PREFIX = '/__sandbox';

export interface Fault extends FaultSpec {
  id: string;
  /** How many more matching requests it applies to; undefined means every one. */
  remaining?: number;
}

export class FaultController {
  private faults: Fault[] = [];

  constructor(private readonly db: SandboxDb) {}

  add(spec: FaultSpec): { id: string } {
    const parsed = faultSchema.parse(spec);
    const fault: Fault = { ...parsed, id: newId(), remaining: parsed.times };
    this.faults.push(fault);
    return { id: fault.id };
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  /** Every access JWT issued so far stops working; refresh tokens keep working, which is the point. */
  expireAccessTokens(): void {
    this.db.bumpAccessGeneration();
  }

  /** The first fault matching the request, used up by one if it is counted. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => (f.method === undefined || f.method === method) && path.startsWith(f.path));
    if (!fault) return undefined;
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    }
    return fault;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function faultHook(controller: FaultController) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.url.split('?')[0]!;
    if (path.startsWith(FAULT_PREFIX)) return;
    const fault = controller.take(request.method, path);
    if (!fault) return;
    if (fault.latencyMs) await sleep(fault.latencyMs);
    if (fault.drop) {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
    if (fault.status !== undefined) throw new ApiError(fault.status, 'Injected fault', { headers });
    // Without a status the request goes on normally, just late and/or with the Retry-After header.
    reply.headers(headers);
  };
}

export function faultRoutes(controller: FaultController, config: { shuffleKeys: boolean }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post(`${FAULT_PREFIX}/faults`, { schema: { body: schemas.fault } }, async (request, reply) => {
      reply.code(201);
      return ok(controller.add(request.body as FaultSpec), 'Fault added.', 201);
    });
    app.get(`${FAULT_PREFIX}/faults`, async () => ok(controller.list(), 'Active faults.'));
    app.delete(`${FAULT_PREFIX}/faults`, async () => {
      controller.clear();
      return ok(null, 'Faults cleared.');
    });
    // One sandbox, one filled vault, both orders: a benchmark measures a listing in a stable order and
    // in a shuffled one without filling a second account.
    app.put(`${FAULT_PREFIX}/shuffle-keys`, { schema: { body: schemas.shuffleKeys } }, async (request) => {
      config.shuffleKeys = (request.body as { on: boolean }).on;
      return ok({ on: config.shuffleKeys }, config.shuffleKeys ? 'Vault keys are listed in a random order.' : 'Vault keys are listed by name.');
    });
    app.post(`${FAULT_PREFIX}/expire-access-tokens`, async () => {
      controller.expireAccessTokens();
      return ok(null, 'Every access token issued so far is now expired.');
    });
  };
}
