import type { EntityManager } from 'typeorm';

/**
 * The accounts whose thresholds need a look, written by the ingest
 * transaction and drained by the watcher (threshold-evaluation.ts).
 *
 * Why DO UPDATE and not DO NOTHING: the drain holds the row locked (FOR
 * UPDATE SKIP LOCKED) while it evaluates and deletes it in the same
 * transaction. An ingest that commits events meanwhile must not see the
 * old row and skip: DO UPDATE waits for the drain's lock, then finds the
 * row gone and inserts a fresh one, so the next drain sees the new events.
 * Accounts are sorted so two ingests lock rows in the same order (no
 * deadlock). `enqueued_at` keeps the oldest wait (the database clock).
 * Nothing is written when the tenant has no active threshold.
 */
export async function enqueueThresholdChecks(tx: EntityManager, tenantId: string, accountIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(accountIds)].sort();
  if (ids.length === 0) return;
  await tx.query(
    `INSERT INTO usage_threshold_queue (tenant_id, account_id, enqueued_at)
     SELECT $1, a, statement_timestamp() FROM unnest($2::uuid[]) AS a
      WHERE EXISTS (SELECT 1 FROM usage_thresholds t WHERE t.tenant_id = $1 AND t.status = 'active')
     ORDER BY a
     ON CONFLICT (tenant_id, account_id) DO UPDATE SET enqueued_at = LEAST(usage_threshold_queue.enqueued_at, EXCLUDED.enqueued_at)`,
    [tenantId, ids],
  );
}

/** Up to `limit` queued accounts, oldest first, locked for this transaction; rows another drain holds are skipped. */
export async function claimQueuedAccounts(tx: EntityManager, tenantId: string, limit: number): Promise<Array<{ accountId: string; enqueuedAt: Date }>> {
  const rows: Array<{ account_id: string; enqueued_at: Date }> = await tx.query(
    `SELECT account_id, enqueued_at FROM usage_threshold_queue WHERE tenant_id = $1
      ORDER BY enqueued_at, account_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [tenantId, limit],
  );
  return rows.map((r) => ({ accountId: r.account_id, enqueuedAt: r.enqueued_at }));
}

export async function deleteQueuedAccounts(tx: EntityManager, tenantId: string, accountIds: readonly string[]): Promise<number> {
  if (accountIds.length === 0) return 0;
  const [, count] = (await tx.query(`DELETE FROM usage_threshold_queue WHERE tenant_id = $1 AND account_id = ANY($2::uuid[])`, [tenantId, accountIds])) as [
    unknown,
    number,
  ];
  return count;
}

/** Kept accounts go to the back of the queue, so accounts waiting on a renewal cannot starve the others. */
export async function requeueAccounts(tx: EntityManager, tenantId: string, accountIds: readonly string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await tx.query(`UPDATE usage_threshold_queue SET enqueued_at = statement_timestamp() WHERE tenant_id = $1 AND account_id = ANY($2::uuid[])`, [tenantId, accountIds]);
}
