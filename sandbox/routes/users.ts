import type { FastifyInstance, FastifyRequest } from 'fastify';
import { userUpdateSchema, type UserUpdate } from '../../common/rules.js';
import { requireAuth, type AuthContext } from '../auth/authenticate.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { SandboxContext } from '../context.js';
import type { UserRow } from '../db.js';
import { ApiError, fieldError, forbidden, notFound, ok, tooManyRequests } from '../envelope.js';
import { isoNow, newId } from '../ids.js';
import { refuseRefinements, schemas } from '../schemas.js';
import { publicUser } from '../views.js';

export const RETRY_SETUP_INTERVAL_MS = 60_000;
const DEFAULT_REGION = 'us-east-1';

function me(auth: AuthContext) {
  const user = publicUser(auth.user);
  if (!auth.apiToken) return user;
  const { id, name, vault_access, restrictions } = auth.apiToken;
  return { ...user, auth_token: { id, name, vault_access, restrictions } };
}

export function userRoutes(ctx: SandboxContext) {
  async function updateUser(request: FastifyRequest) {
    const auth = requireAuth(request);
    const { id } = request.params as { id: string };
    const body = request.body as UserUpdate;
    const isAdmin = auth.user.is_admin === 1;
    const self = id.toLowerCase() === auth.user.id;
    if (!isAdmin && !self) throw forbidden('You can only update your own profile.');
    if (!isAdmin && (body.is_admin !== undefined || body.is_banned !== undefined)) throw forbidden('Only administrators can set is_admin or is_banned.');
    const target = self ? auth.user : ctx.db.getUser(id.toLowerCase());
    if (!target) throw notFound('User not found.');
    refuseRefinements(userUpdateSchema, body);

    const willBeAdmin = body.is_admin ?? target.is_admin === 1;
    const willBeBanned = body.is_banned ?? target.is_banned === 1;
    if (willBeAdmin && willBeBanned) throw new ApiError(400, 'Admin users cannot be banned.');

    const changes: Partial<UserRow> = { updated_at: isoNow() };
    if (body.alias !== undefined) changes.alias = body.alias;
    if (body.public_key !== undefined) changes.public_key = body.public_key;
    if (body.metadata !== undefined) changes.metadata = JSON.stringify(body.metadata);
    if (body.is_admin !== undefined) changes.is_admin = body.is_admin ? 1 : 0;
    if (body.is_banned !== undefined) changes.is_banned = body.is_banned ? 1 : 0;
    if (body.password !== undefined) {
      if (!(await verifyPassword(body.current_password!, target.password_hash))) {
        throw fieldError('current_password', 'current_password', 'is not the current password');
      }
      changes.password_hash = await hashPassword(body.password);
    }
    return ok(publicUser(ctx.db.updateUser(target.id, changes)!), 'User updated.');
  }

  return async (app: FastifyInstance): Promise<void> => {
    const authed = { auth: true } as const;

    app.get('/users/me', { config: authed }, async (request) => ok(me(requireAuth(request)), 'Current user.'));
    app.get('/users/auth/me', { config: authed }, async (request) => ok(me(requireAuth(request)), 'Current user.'));

    app.post('/users/me/retry-setup', {
      config: authed,
      schema: { body: schemas.retrySetup },
      // The body is optional: a bare POST means "use the default region".
      preValidation: async (request) => {
        request.body ??= {};
      },
    }, async (request) => {
      const { user } = requireAuth(request);
      const now = Date.now();
      const wait = (user.last_setup_at ?? 0) + RETRY_SETUP_INTERVAL_MS - now;
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw tooManyRequests(seconds, `Setup was retried less than a minute ago: wait ${seconds} seconds before trying again.`);
      }
      ctx.db.updateUser(user.id, { last_setup_at: now });
      if (user.needs_admin_recovery === 1) {
        return ok({ server: null, project: null, container: null, blocked_reason: 'admin_recovery_required' }, 'Setup is blocked: this account needs an administrator.');
      }
      let setup = ctx.db.getProvisioning(user.id);
      if (!setup) {
        const region = (request.body as { region?: string }).region ?? DEFAULT_REGION;
        setup = { user_id: user.id, server_id: newId(), region, project_id: newId(), container_id: newId(), created_at: isoNow(now) };
        ctx.db.insertProvisioning(setup);
        ctx.db.updateUser(user.id, { free_tier_unlocked: 1 });
      }
      return ok(
        {
          server: { id: setup.server_id, region: setup.region, hostname: `srv-${setup.server_id.slice(-8)}.${setup.region}.sandbox.hoody.local`, status: 'running' },
          project: { id: setup.project_id, name: 'Default project' },
          container: { id: setup.container_id, name: 'default', status: 'running' },
          blocked_reason: null,
        },
        'Account is provisioned.',
      );
    });

    app.get('/users/:id', { config: authed, schema: { params: schemas.userParams } }, async (request) => {
      const auth = requireAuth(request);
      const id = (request.params as { id: string }).id.toLowerCase();
      // Non-admins get 403 for every other id, existing or not, so ids cannot be probed.
      if (auth.user.is_admin !== 1 && id !== auth.user.id) throw forbidden('You can only view your own profile.');
      const user = ctx.db.getUser(id);
      if (!user) throw notFound('User not found.');
      return ok(publicUser(user), 'User found.');
    });

    for (const method of ['PATCH', 'PUT'] as const) {
      app.route({ method, url: '/users/:id', config: authed, schema: { params: schemas.userParams, body: schemas.userUpdate }, handler: updateUser });
    }
  };
}
