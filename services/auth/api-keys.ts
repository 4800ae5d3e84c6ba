import type { DataSource, EntityManager } from 'typeorm';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../domain/auth/scopes';
import { ApiKey } from '../../db/entities/api-key';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { apiKeyMatches, apiKeyPrefix, generateApiKey } from './api-key-codec';
import type { CreateApiKeyInput } from './api-key-schemas';

const RESOURCE = 'api_key';

export interface AuthenticatedKey {
  keyId: string;
  tenantId: string;
  prefix: string;
  name: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
}

/**
 * Channel on which key revocations are announced (NOTIFY, sent at commit) to
 * every API process, payload the key prefix. Whatever else makes a key stop
 * working (suspending a tenant, when that exists) must notify here too, or
 * API processes keep honouring the key until their cache entry expires.
 */
export const API_KEY_CHANGES_CHANNEL = 'rackrate_api_keys';

/** Refresh last_used_at at most this often, so reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;

/**
 * Resolves a presented key to its tenant, or null when the key is malformed,
 * unknown, wrong, revoked, expired or belongs to a suspended tenant. The
 * caller answers every null the same way (401), so nothing tells a prober
 * which case it hit.
 */
export async function authenticateApiKey(
  dataSource: DataSource,
  presented: string,
  now: Date,
  logger: Logger,
): Promise<AuthenticatedKey | null> {
  const prefix = apiKeyPrefix(presented);
  if (prefix === null) return null;
  const rows: Array<{
    id: string;
    tenant_id: string;
    name: string;
    secret_hash: Buffer;
    scopes: ApiKeyScope[];
    expires_at: Date | null;
    revoked_at: Date | null;
    last_used_at: Date | null;
    tenant_status: string;
  }> = await dataSource.query(
    `SELECT k.id, k.tenant_id, k.name, k.secret_hash, k.scopes, k.expires_at, k.revoked_at, k.last_used_at,
            t.status AS tenant_status
       FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
      WHERE k.prefix = $1`,
    [prefix],
  );
  const row = rows[0];
  if (!row || !apiKeyMatches(presented, row.secret_hash)) return null;
  if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return null;
  if (row.tenant_status !== 'active') return null;

  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    // Best effort: a failed bookkeeping write must not fail the request.
    dataSource
      .query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, [row.id, now])
      .catch((error: unknown) => logger.warn({ err: error, api_key_id: row.id }, 'could not update last_used_at'));
  }
  return { keyId: row.id, tenantId: row.tenant_id, prefix, name: row.name, scopes: row.scopes, expiresAt: row.expires_at };
}

export function apiKeyRepresentation(k: ApiKey) {
  return {
    id: k.id,
    object: 'api_key' as const,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    created_at: k.createdAt.toISOString(),
    expires_at: k.expiresAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(
  tx: EntityManager,
  ctx: ChangeContext,
  input: CreateApiKeyInput,
): Promise<{ apiKey: ApiKey; secret: string }> {
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  if (expiresAt !== null && expiresAt <= ctx.now) {
    throw new RackrateError('validation_failed', 'expires_at must be in the future.', {
      errors: [{ in: 'body', field: 'expires_at', code: 'not_in_future', message: 'must be in the future' }],
    });
  }
  const generated = generateApiKey();
  const apiKey = tx.create(ApiKey, {
    id: uuidv7(ctx.now.getTime()),
    tenantId: ctx.tenantId,
    name: input.name,
    prefix: generated.prefix,
    secretHash: generated.hash,
    // Stored in catalogue order so lists read the same whatever order they were asked in.
    scopes: API_KEY_SCOPES.filter((s) => input.scopes.includes(s)),
    createdAt: ctx.now,
    expiresAt,
    revokedAt: null,
    lastUsedAt: null,
  });
  await tx.insert(ApiKey, apiKey);
  await recordChange(tx, ctx, {
    action: 'api_key.created',
    resourceType: RESOURCE,
    resourceId: apiKey.id,
    before: null,
    after: apiKeyRepresentation(apiKey),
  });
  return { apiKey, secret: generated.plaintext };
}

export async function getApiKey(tx: EntityManager, tenantId: string, id: string): Promise<ApiKey | null> {
  return tx.findOneBy(ApiKey, { tenantId, id });
}

export async function listApiKeys(tx: EntityManager, tenantId: string, page: PageRequest): Promise<Page<ApiKey>> {
  const query = tx.createQueryBuilder(ApiKey, 'k').where('k.tenant_id = :tenantId', { tenantId });
  return paginate(query, 'k', page);
}

/** Revokes a key at once. The tenant's last working admin key cannot be revoked: that would lock it out. */
export async function revokeApiKey(tx: EntityManager, ctx: ChangeContext, id: string): Promise<ApiKey> {
  // Serialise revocations per tenant so two concurrent calls cannot revoke the last two admin keys.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('rackrate.api_keys:' || $1, 0))`, [ctx.tenantId]);
  const apiKey = await getApiKey(tx, ctx.tenantId, id);
  if (!apiKey) throw notFound('API key', id);
  if (apiKey.revokedAt !== null) throw new RackrateError('api_key_revoked', `API key ${id} is already revoked.`);
  if (apiKey.scopes.includes('admin')) {
    const rows: Array<{ n: number }> = await tx.query(
      `SELECT count(*)::int AS n FROM api_keys
        WHERE tenant_id = $1 AND id <> $2 AND 'admin' = ANY (scopes)
          AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3)`,
      [ctx.tenantId, id, ctx.now],
    );
    if ((rows[0]?.n ?? 0) === 0) {
      throw new RackrateError('last_admin_key', 'Create another admin key before revoking this one.');
    }
  }
  const before = apiKeyRepresentation(apiKey);
  apiKey.revokedAt = ctx.now;
  await tx.update(ApiKey, { tenantId: ctx.tenantId, id }, { revokedAt: ctx.now });
  // Delivered when this transaction commits: every API process drops the key from its cache.
  await tx.query('SELECT pg_notify($1, $2)', [API_KEY_CHANGES_CHANNEL, apiKey.prefix]);
  await recordChange(tx, ctx, {
    action: 'api_key.revoked',
    resourceType: RESOURCE,
    resourceId: id,
    before,
    after: apiKeyRepresentation(apiKey),
  });
  return apiKey;
}
