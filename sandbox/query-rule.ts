import type { FastifyRequest, RouteOptions } from 'fastify';
import { ApiError, type FieldError } from './envelope.js';

// One rule for query strings, on every route: a parameter the route does not take answers 400 and
// names it; none is ever silently ignored. Ignoring is the dangerous choice for a vault: a
// misspelt `realm_id` (say `realmId=`) would act on the global scope instead of the realm meant.
// The parameters a route takes are the properties of its querystring schema; a route without one
// takes none. Applied to each route as it is registered (Fastify's onRoute hook), so a new route
// cannot forget it.

type Hook = (request: FastifyRequest) => Promise<void>;

export function knownQueryParameters(route: Pick<RouteOptions, 'schema'>): string[] {
  const querystring = route.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(querystring?.properties ?? {});
}

function refuseUnknownQuery(known: readonly string[]): Hook {
  return async (request) => {
    const unknown = Object.keys((request.query ?? {}) as Record<string, unknown>).filter((name) => !known.includes(name));
    if (unknown.length === 0) return;
    const takes = known.length ? `it takes ${known.join(', ')}` : 'it takes none';
    const data: FieldError[] = unknown.map((name) => ({
      instancePath: `/${name}`,
      keyword: 'additionalProperties',
      message: 'must NOT have additional properties',
      params: { additionalProperty: name },
    }));
    throw new ApiError(400, `querystring/${unknown.join(', querystring/')}: not a parameter of this route (${takes})`, { data });
  };
}

/** Adds the rule to a route being registered, before its own validation. */
export function applyQueryRule(route: RouteOptions): void {
  const existing = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
  route.preValidation = [refuseUnknownQuery(knownQueryParameters(route)), ...existing] as RouteOptions['preValidation'];
}
