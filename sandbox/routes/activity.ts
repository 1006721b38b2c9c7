import type { FastifyInstance } from 'fastify';
import { ACTIVITY_LIMIT_DEFAULT, activityQuerySchema, type ActivityQuery } from '../../common/rules.js';
import { requireAuth } from '../auth/authenticate.js';
import { DAY_MS, retentionCutoff, type SandboxContext } from '../context.js';
import { ok } from '../envelope.js';
import { refuseRefinements, schemas } from '../schemas.js';
import { activityEntry } from '../views.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date-only end_date means "through that day", which is what a person picking a day expects. */
function endOf(date: string): number {
  const ms = Date.parse(date);
  return DATE_ONLY.test(date) ? ms + DAY_MS - 1 : ms;
}

export function activityRoutes(ctx: SandboxContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/users/auth/activity', { config: { auth: true }, schema: { querystring: schemas.activityQuery } }, async (request) => {
      const { user } = requireAuth(request);
      const q = request.query as ActivityQuery;
      refuseRefinements(activityQuerySchema, q, 'querystring');
      const page = q.page ?? 1;
      const limit = q.limit ?? ACTIVITY_LIMIT_DEFAULT;
      const minStatus = Math.max(q.min_status ?? 0, q.errors_only === 'true' ? 400 : 0) || undefined;
      const { total, rows } = ctx.db.queryActivity(
        {
          userId: user.id,
          since: retentionCutoff(ctx.config),
          startMs: q.start_date === undefined ? undefined : Date.parse(q.start_date),
          endMs: q.end_date === undefined ? undefined : endOf(q.end_date),
          minStatus,
          maxStatus: q.max_status,
          method: q.method,
          realmId: q.realm_id?.toLowerCase(),
        },
        limit,
        (page - 1) * limit,
      );
      return { ...ok(rows.map(activityEntry), 'Activity log.'), metadata: { total, page, limit, pages: Math.ceil(total / limit) } };
    });

    app.get('/users/auth/activity/stats', { config: { auth: true } }, async (request) => {
      const { user } = requireAuth(request);
      const stats = ctx.db.activityStats(user.id, retentionCutoff(ctx.config));
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      return ok(
        {
          total_size_bytes: stats.bytes,
          total_records: stats.records,
          oldest_record: iso(stats.oldest),
          newest_record: iso(stats.newest),
          retention_days: ctx.config.retentionDays,
        },
        'Activity log statistics.',
      );
    });
  };
}
