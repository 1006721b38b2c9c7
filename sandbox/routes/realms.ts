import type { FastifyInstance } from 'fastify';
import { requireAuth } from '../auth/authenticate.js';
import type { SandboxContext } from '../context.js';
import { ok } from '../envelope.js';

export function realmRoutes(ctx: SandboxContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/realms', { config: { auth: true } }, async (request) => {
      const auth = requireAuth(request);
      let realmIds = ctx.db.realmIdsForUser(auth.user.id);
      const restrictions = auth.apiToken?.restrictions;
      if (restrictions?.has_realm_restrictions) realmIds = realmIds.filter((id) => restrictions.allowed_realm_ids.includes(id));
      return ok({ realm_ids: realmIds, total: realmIds.length }, 'Realms in use.');
    });
  };
}
