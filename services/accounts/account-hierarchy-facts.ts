import type { EntityManager } from 'typeorm';
import { MAX_HIERARCHY_DEPTH, type ProposedParent } from '../../domain/accounts/hierarchy';

/**
 * Loads what domain/accounts/hierarchy.ts needs to judge a parent change.
 * The recursive walks stop after a few levels beyond the limit, so even a
 * corrupted tree cannot make them loop.
 */
const WALK_LIMIT = MAX_HIERARCHY_DEPTH + 2;

/**
 * Serialises hierarchy changes within a tenant: without it, two concurrent
 * requests (A under B, B under A) could each pass the cycle check.
 */
export async function lockTenantHierarchy(tx: EntityManager, tenantId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('rackrate.account_hierarchy:' || $1, 0))`, [tenantId]);
}

export async function loadProposedParent(
  tx: EntityManager,
  tenantId: string,
  parentId: string,
): Promise<ProposedParent | null> {
  const rows: Array<{ id: string; currency: string; status: string; depth: number }> = await tx.query(
    `WITH RECURSIVE chain (id, parent_id, currency, status, depth) AS (
       SELECT id, parent_id, currency, status, 1 FROM accounts WHERE tenant_id = $1 AND id = $2
       UNION ALL
       SELECT a.id, a.parent_id, a.currency, a.status, c.depth + 1
         FROM accounts a JOIN chain c ON a.tenant_id = $1 AND a.id = c.parent_id
        WHERE c.depth < $3
     )
     SELECT id, currency, status, depth FROM chain ORDER BY depth`,
    [tenantId, parentId, WALK_LIMIT],
  );
  const [parent, ...ancestors] = rows;
  if (!parent) return null;
  return {
    id: parent.id,
    currency: parent.currency,
    archived: parent.status === 'archived',
    ancestorIds: ancestors.map((a) => a.id),
  };
}

/** Levels in the subtree rooted at the account, itself included. */
export async function loadSubtreeHeight(tx: EntityManager, tenantId: string, accountId: string): Promise<number> {
  const rows: Array<{ height: number }> = await tx.query(
    `WITH RECURSIVE tree (id, depth) AS (
       SELECT id, 1 FROM accounts WHERE tenant_id = $1 AND id = $2
       UNION ALL
       SELECT a.id, t.depth + 1 FROM accounts a JOIN tree t ON a.tenant_id = $1 AND a.parent_id = t.id
        WHERE t.depth < $3
     )
     SELECT max(depth)::int AS height FROM tree`,
    [tenantId, accountId, WALK_LIMIT],
  );
  return rows[0]?.height ?? 1;
}

export async function loadBillToParentChildCurrencies(
  tx: EntityManager,
  tenantId: string,
  accountId: string,
): Promise<string[]> {
  const rows: Array<{ currency: string }> = await tx.query(
    `SELECT DISTINCT currency FROM accounts
      WHERE tenant_id = $1 AND parent_id = $2 AND bill_to_parent AND status = 'active'`,
    [tenantId, accountId],
  );
  return rows.map((r) => r.currency);
}

export async function countActiveChildren(tx: EntityManager, tenantId: string, accountId: string): Promise<number> {
  const rows: Array<{ n: number }> = await tx.query(
    `SELECT count(*)::int AS n FROM accounts WHERE tenant_id = $1 AND parent_id = $2 AND status = 'active'`,
    [tenantId, accountId],
  );
  return rows[0]?.n ?? 0;
}
