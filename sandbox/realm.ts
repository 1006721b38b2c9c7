import type { FastifyRequest } from 'fastify';
import { OBJECT_ID_PATTERN } from '../common/rules.js';

// A request names a realm with ?realm_id or with a Host whose first label is a realm id
// (https://{realmId}.api.hoody.com); the query wins when both are given. No realm means the
// global scope, stored as "".

export const GLOBAL_REALM = '';

export function hostRealm(host: string | undefined): string | undefined {
  if (!host?.includes('.')) return undefined;
  const label = host.split('.')[0]!;
  return OBJECT_ID_PATTERN.test(label) ? label.toLowerCase() : undefined;
}

/** The realm of a request; the query value is trusted only once the route's schema has checked it. */
export function requestRealm(request: FastifyRequest): string {
  const query = request.query as { realm_id?: unknown } | undefined;
  const fromQuery = typeof query?.realm_id === 'string' && OBJECT_ID_PATTERN.test(query.realm_id) ? query.realm_id.toLowerCase() : undefined;
  return fromQuery ?? hostRealm(request.headers.host) ?? GLOBAL_REALM;
}
