import { Ajv } from 'ajv';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { authHook } from './auth/authenticate.js';
import { MIB, retentionCutoff, type SandboxContext } from './context.js';
import { ApiError, reasonPhrase, type ErrorEnvelope } from './envelope.js';
import { FaultController, faultHook, faultRoutes } from './faults.js';
import { applyQueryRule } from './query-rule.js';
import { requestRealm } from './realm.js';
import { activityRoutes } from './routes/activity.js';
import { authRoutes } from './routes/auth.js';
import { realmRoutes } from './routes/realms.js';
import { userRoutes } from './routes/users.js';
import { vaultRoutes } from './routes/vault.js';

export const API_PREFIX = '/api/v1';
const PRUNE_EVERY_MS = 60_000;

export interface AppOptions {
  faults: FaultController | null;
  log: boolean;
}

/** The Fastify application: envelopes, validation, auth, activity recording, faults and every route. */
export function buildApp(ctx: SandboxContext, options: AppOptions): FastifyInstance {
  const app = Fastify({
    // Key names may be 255 characters (more once percent-encoded); the router's default cap is 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    // A value as large as the whole quota must fit, plus room for JSON escaping and metadata.
    bodyLimit: Math.max(MIB, Math.ceil(ctx.config.vaultLimitMb * MIB * 2 + MIB)),
    logger: options.log ? { level: 'info', stream: process.stderr } : false,
    // The socket of a dropped request (fault injection) must not hold close() up.
    forceCloseConnections: true,
  });

  // Bodies are checked strictly (no coercion, unknown fields refused, as the zod rules say);
  // query strings arrive as text, so only they are coerced to the numbers their schemas name.
  // Both ajv and zod count string length in code points, so an emoji counts once in either.
  const ajvOptions = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;
  const bodyAjv = new Ajv({ ...ajvOptions, coerceTypes: false });
  const queryAjv = new Ajv({ ...ajvOptions, coerceTypes: true });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema));

  // An empty JSON body (a bare POST with Content-Type: application/json, as some clients send for
  // logout) reads as no body rather than a parse error.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    defaultJson(request, text, done);
  });

  app.decorateRequest('auth', null);
  // Every route, including those registered below and any added later: unknown query parameters are refused.
  app.addHook('onRoute', applyQueryRule);

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      void reply.headers(error.headers).code(error.statusCode).send(error.toEnvelope());
      return;
    }
    if (error.validation) {
      const envelope: ErrorEnvelope = { statusCode: 400, error: reasonPhrase(400), message: error.message, data: error.validation };
      void reply.code(400).send(envelope);
      return;
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error(error);
    const envelope: ErrorEnvelope = { statusCode: status, error: reasonPhrase(status), message: status >= 500 ? 'Internal server error.' : error.message };
    void reply.code(status).send(envelope);
  });

  app.setNotFoundHandler((request, reply) => {
    const envelope: ErrorEnvelope = { statusCode: 404, error: reasonPhrase(404), message: `Route ${request.method}:${request.url.split('?')[0]} not found` };
    void reply.code(404).send(envelope);
  });

  // Faults come first so an injected failure happens before anything else, like a failing proxy.
  if (options.faults) app.addHook('onRequest', faultHook(options.faults));
  app.addHook('onRequest', authHook(ctx));

  let lastPrune = Date.now();
  app.addHook('onResponse', async (request, reply) => {
    const auth = request.auth;
    if (!auth) return;
    const now = Date.now();
    ctx.db.insertActivity([
      {
        user_id: auth.user.id,
        realm_id: requestRealm(request),
        method: request.method,
        path: request.url.split('?')[0]!,
        status_code: reply.statusCode,
        ip_address: request.ip,
        user_agent: request.headers['user-agent'] ?? '',
        created_at: now,
      },
    ]);
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      ctx.db.pruneActivity(retentionCutoff(ctx.config, now));
    }
  });

  void app.register(
    async (api) => {
      await api.register(authRoutes(ctx));
      await api.register(userRoutes(ctx));
      await api.register(activityRoutes(ctx));
      await api.register(vaultRoutes(ctx));
      await api.register(realmRoutes(ctx));
    },
    { prefix: API_PREFIX },
  );
  if (options.faults) void app.register(faultRoutes(options.faults, ctx.config));
  return app;
}
