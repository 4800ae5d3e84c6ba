import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { EntityManager } from 'typeorm';
import { canonicalJson } from '../../lib/canonical-json';
import { RackrateError } from '../../lib/errors';
import type { HandlerResult } from '../routing/route';

/**
 * Idempotency-Key on POST, with Stripe's semantics:
 * - the first request with a key runs, and its response (success or 4xx
 *   business error) is stored in the same transaction as its writes, so a
 *   stored response exists exactly when the writes committed;
 * - the same key with the same method, path and body replays that response
 *   (header Idempotent-Replayed: true) without running anything;
 * - the same key with another request is refused (422 idempotency_key_reused);
 * - a second request while the first is still running gets 409
 *   idempotency_key_in_use (a transaction-scoped advisory lock; a crash
 *   releases it with the rolled-back transaction);
 * - requests that fail validation or authentication, or fail with 5xx, store
 *   nothing, so the caller can retry with the same key;
 * - keys are kept IDEMPOTENCY_KEY_TTL_HOURS (at least 24 h), then pruned by
 *   the housekeeping workflow; an expired key is treated as new.
 */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function readIdempotencyKey(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new RackrateError('invalid_idempotency_key', 'Idempotency-Key must be 1-255 visible ASCII characters.', {
      errors: [{ in: 'header', field: 'Idempotency-Key', code: 'invalid_format', message: 'must be 1-255 visible ASCII characters' }],
    });
  }
  return key;
}

export type IdempotencyScope = { kind: 'tenant'; tenantId: string } | { kind: 'platform' };

export interface IdempotentCall {
  key: string;
  method: string;
  path: string;
  body: unknown;
  now: Date;
  ttlHours: number;
}

interface StoredResponse {
  request_hash: string;
  response_status: number;
  response_body: unknown;
  response_headers: Record<string, string>;
}

function fingerprint(call: IdempotentCall): string {
  return createHash('sha256')
    .update(`${call.method.toUpperCase()} ${call.path}\n${canonicalJson(call.body ?? null)}`)
    .digest('hex');
}

function lockName(scope: IdempotencyScope, key: string): string {
  return scope.kind === 'tenant' ? `rackrate.idempotency:${scope.tenantId}:${key}` : `rackrate.idempotency:platform:${key}`;
}

async function findStored(tx: EntityManager, scope: IdempotencyScope, call: IdempotentCall): Promise<StoredResponse | undefined> {
  const rows: StoredResponse[] =
    scope.kind === 'tenant'
      ? await tx.query(
          `SELECT request_hash, response_status, response_body, response_headers FROM idempotency_keys
            WHERE tenant_id = $1 AND key = $2 AND expires_at > $3`,
          [scope.tenantId, call.key, call.now],
        )
      : await tx.query(
          `SELECT request_hash, response_status, response_body, response_headers FROM platform_idempotency_keys
            WHERE key = $1 AND expires_at > $2`,
          [call.key, call.now],
        );
  return rows[0];
}

async function store(tx: EntityManager, scope: IdempotencyScope, call: IdempotentCall, hash: string, result: HandlerResult) {
  const expiresAt = new Date(call.now.getTime() + call.ttlHours * 3600 * 1000);
  const values = [call.key, call.method.toUpperCase(), call.path, hash, result.status, JSON.stringify(result.body ?? null), JSON.stringify(result.headers ?? {}), call.now, expiresAt];
  // ON CONFLICT replaces an expired record of the same key (live ones were found above).
  const set = `request_method = EXCLUDED.request_method, request_path = EXCLUDED.request_path,
    request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
    response_body = EXCLUDED.response_body, response_headers = EXCLUDED.response_headers,
    created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`;
  if (scope.kind === 'tenant') {
    await tx.query(
      `INSERT INTO idempotency_keys (tenant_id, key, request_method, request_path, request_hash, response_status,
         response_body, response_headers, created_at, expires_at)
       VALUES ($10, $1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, key) DO UPDATE SET ${set}`,
      [...values, scope.tenantId],
    );
  } else {
    await tx.query(
      `INSERT INTO platform_idempotency_keys (key, request_method, request_path, request_hash, response_status,
         response_body, response_headers, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (key) DO UPDATE SET ${set}`,
      values,
    );
  }
}

/**
 * Runs `execute` once per key inside the caller's open transaction.
 * `problemResult` renders a 4xx RackrateError as the response to store.
 */
export async function runIdempotently(
  tx: EntityManager,
  scope: IdempotencyScope,
  call: IdempotentCall,
  execute: () => Promise<HandlerResult>,
  problemResult: (error: RackrateError) => HandlerResult,
): Promise<{ result: HandlerResult; replayed: boolean }> {
  const [lock] = (await tx.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS acquired`, [
    lockName(scope, call.key),
  ])) as Array<{ acquired: boolean }>;
  if (!lock?.acquired) {
    throw new RackrateError('idempotency_key_in_use', 'A request with this Idempotency-Key is in progress; retry shortly.', {
      headers: { 'Retry-After': '1' },
    });
  }

  const hash = fingerprint(call);
  const stored = await findStored(tx, scope, call);
  if (stored) {
    if (stored.request_hash !== hash) {
      throw new RackrateError(
        'idempotency_key_reused',
        'This Idempotency-Key was first used with a different method, path or body; use a new key for a new request.',
        { errors: [{ in: 'header', field: 'Idempotency-Key', code: 'reused', message: 'was used with a different request' }] },
      );
    }
    return {
      result: { status: stored.response_status, body: stored.response_body, headers: stored.response_headers },
      replayed: true,
    };
  }

  await tx.query('SAVEPOINT idempotent_work');
  let result: HandlerResult;
  try {
    result = await execute();
  } catch (error) {
    if (!(error instanceof RackrateError) || error.status >= 500) throw error;
    // A business rejection is a result too: undo its partial writes, keep the answer.
    await tx.query('ROLLBACK TO SAVEPOINT idempotent_work');
    result = problemResult(error);
  }
  await store(tx, scope, call, hash, result);
  return { result, replayed: false };
}
