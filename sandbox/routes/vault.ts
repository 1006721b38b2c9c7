import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { checkVaultAccess, requireAuth } from '../auth/authenticate.js';
import { MIB, type SandboxContext } from '../context.js';
import { ApiError, notFound, ok } from '../envelope.js';
import { isoNow } from '../ids.js';
import { requestRealm } from '../realm.js';
import { refuseRefinements, schemas, vaultWriteSchema } from '../schemas.js';
import { vaultEntry } from '../views.js';

type VaultWrite = z.input<typeof vaultWriteSchema>;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** What a value plus its metadata weigh against the quota: UTF-8 bytes of both, metadata as JSON text. */
export function entrySize(value: string, metadataJson: string | null): number {
  return Buffer.byteLength(value, 'utf8') + (metadataJson === null ? 0 : Buffer.byteLength(metadataJson, 'utf8'));
}

/** Fisher–Yates, in place: every order equally likely. */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

export function vaultRoutes(ctx: SandboxContext) {
  const limitBytes = ctx.config.vaultLimitMb * MIB;

  function scope(request: FastifyRequest): { userId: string; realmId: string } {
    const auth = requireAuth(request);
    const realmId = requestRealm(request);
    checkVaultAccess(auth, realmId);
    return { userId: auth.user.id, realmId };
  }

  return async (app: FastifyInstance): Promise<void> => {
    const authed = { auth: true } as const;
    const realmQuery = { querystring: schemas.realmQuery };
    const keyRoute = { ...realmQuery, params: schemas.vaultKeyParams };

    app.get('/vault/keys', { config: authed, schema: realmQuery }, async (request) => {
      const { userId, realmId } = scope(request);
      const rows = ctx.db.listVault(userId, realmId);
      if (ctx.config.shuffleKeys) shuffle(rows);
      return ok(rows.map((row) => vaultEntry(row, false)), 'Vault keys.');
    });

    app.get('/vault/keys/:key', { config: authed, schema: keyRoute }, async (request) => {
      const { userId, realmId } = scope(request);
      const row = ctx.db.getVault(userId, realmId, (request.params as { key: string }).key);
      if (!row) throw notFound('Vault key not found.');
      return ok(vaultEntry(row, true), 'Vault key.');
    });

    for (const method of ['PATCH', 'PUT'] as const) {
      app.route({
        method,
        url: '/vault/keys/:key',
        config: authed,
        schema: { ...keyRoute, body: schemas.vaultWrite },
        handler: async (request, reply) => {
          const { userId, realmId } = scope(request);
          const key = (request.params as { key: string }).key;
          const body = request.body as VaultWrite;
          refuseRefinements(vaultWriteSchema, body);
          const stored = ctx.db.transaction(() => {
            const existing = ctx.db.getVault(userId, realmId, key);
            // A write replaces the whole entry, PUT-style: omitted metadata means none (null).
            const metadata = body.metadata == null ? null : JSON.stringify(body.metadata);
            const size = entrySize(body.value, metadata);
            // The account-wide quota, with this write's new size replacing the old one.
            const used = ctx.db.vaultUsage(userId).bytes - (existing?.size_bytes ?? 0);
            if (used + size > limitBytes) {
              throw new ApiError(400, `Vault storage limit exceeded: this write needs ${size} bytes, ${used} of ${limitBytes} bytes are in use.`, {
                error: 'VAULT_LIMIT_EXCEEDED',
              });
            }
            const now = isoNow();
            const row = {
              user_id: userId,
              realm_id: realmId,
              key,
              value: body.value,
              metadata,
              size_bytes: size,
              created_at: existing?.created_at ?? now,
              updated_at: now,
            };
            ctx.db.upsertVault(row);
            return { row, created: !existing };
          });
          reply.code(stored.created ? 201 : 200);
          return ok(vaultEntry(stored.row, true), stored.created ? 'Vault key created.' : 'Vault key updated.', stored.created ? 201 : 200);
        },
      });
    }

    app.delete('/vault/keys/:key', { config: authed, schema: keyRoute }, async (request) => {
      const { userId, realmId } = scope(request);
      if (!ctx.db.deleteVault(userId, realmId, (request.params as { key: string }).key)) throw notFound('Vault key not found.');
      return ok(null, 'Vault key deleted.');
    });

    app.delete('/vault', { config: authed, schema: realmQuery }, async (request) => {
      const { userId, realmId } = scope(request);
      return ok({ deleted_count: ctx.db.clearVault(userId, realmId) }, 'Vault cleared.');
    });

    app.get('/vault/stats', { config: authed, schema: realmQuery }, async (request) => {
      const { userId, realmId } = scope(request);
      const realm = ctx.db.vaultUsage(userId, realmId);
      const account = ctx.db.vaultUsage(userId);
      return ok(
        {
          total_keys: realm.keys,
          total_size_bytes: realm.bytes,
          total_size_mb: round2(realm.bytes / MIB),
          limit_mb: ctx.config.vaultLimitMb,
          used_percentage: round2((account.bytes / limitBytes) * 100),
          remaining_mb: round2(Math.max(0, limitBytes - account.bytes) / MIB),
        },
        'Vault statistics.',
      );
    });
  };
}
