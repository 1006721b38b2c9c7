import type { FastifyInstance } from 'fastify';
import { requireAuth } from '../auth/authenticate.js';
import type { SandboxContext } from '../context.js';
import { ok } from '../envelope.js';
import { schemas } from '../schemas.js';

export function realmRoutes(ctx: SandboxContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/realms', { config: { auth: true }, schema: { querystring: schemas.realmsQuery } }, async (request) => {
      const auth = requireAuth(request);
      let realmIds = ctx.db.realmIdsForUser(auth.user.id);
      const restrictions = auth.apiToken?.restrictions;
      if (restrictions?.has_realm_restrictions) realmIds = realmIds.filter((id) => restrictions.allowed_realm_ids.includes(id));
      const { include_usage: includeUsage } = request.query as { include_usage?: boolean };
      // As the SDK's types say: `usage` (keyed by realm id) is added to `data` only when asked for.
      const usage = includeUsage ? { usage: ctx.db.realmUsage(auth.user.id, realmIds) } : {};
      return ok({ realm_ids: realmIds, total: realmIds.length, ...usage }, 'Realms in use.');
    });
  };
}
