import { heartbeat } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../db/tenant-transaction';
import type { Logger } from '../lib/logger';
import { DEFAULT_USAGE_RETENTION_MONTHS, maintainUsageStorage, type UsageStorageResult } from '../services/metering/usage-retention';

export interface PruneResult {
  tenantKeysDeleted: number;
  platformKeysDeleted: number;
}

/** Rows per DELETE, so no transaction holds many locks or runs long. */
const BATCH = 5000;

async function deleteInBatches(run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await run();
    total += deleted;
    if (deleted < BATCH) return total;
    heartbeat();
  }
}

/**
 * Housekeeping I/O. `before` comes from the workflow's clock, so the same
 * activity replayed or retried deletes the same set, and a time-skipping
 * test controls it.
 */
export function createHousekeepingActivities(deps: { dataSource: DataSource; logger: Logger; usageRetentionMonths?: number }) {
  const { dataSource, logger } = deps;
  return {
    /** Usage partitions ahead, expired months dropped, old idempotency keys pruned (services/metering/usage-retention.ts). */
    async maintainUsageStorage(input: { now: string }): Promise<UsageStorageResult> {
      const result = await maintainUsageStorage(dataSource, {
        now: new Date(input.now),
        retentionMonths: deps.usageRetentionMonths ?? DEFAULT_USAGE_RETENTION_MONTHS,
        afterTenant: () => heartbeat(),
      });
      logger.info({ ...result, now: input.now }, 'maintained usage storage');
      return result;
    },

    async pruneExpiredIdempotencyKeys(input: { before: string }): Promise<PruneResult> {
      const before = new Date(input.before);
      const tenants: Array<{ id: string }> = await dataSource.query('SELECT id FROM tenants ORDER BY id');
      let tenantKeysDeleted = 0;
      for (const tenant of tenants) {
        // Each tenant in its own transaction: row-level security only shows one tenant at a time.
        tenantKeysDeleted += await deleteInBatches(() =>
          inTenantTransaction(dataSource, tenant.id, async (tx) => {
            const [, count] = (await tx.query(
              `DELETE FROM idempotency_keys WHERE ctid IN (
                 SELECT ctid FROM idempotency_keys WHERE tenant_id = $1 AND expires_at <= $2 LIMIT ${BATCH})`,
              [tenant.id, before],
            )) as [unknown, number];
            return count;
          }),
        );
        heartbeat();
      }
      const platformKeysDeleted = await deleteInBatches(async () => {
        const [, count] = (await dataSource.query(
          `DELETE FROM platform_idempotency_keys WHERE ctid IN (
             SELECT ctid FROM platform_idempotency_keys WHERE expires_at <= $1 LIMIT ${BATCH})`,
          [before],
        )) as [unknown, number];
        return count;
      });
      logger.info({ tenantKeysDeleted, platformKeysDeleted, before: input.before }, 'pruned expired idempotency keys');
      return { tenantKeysDeleted, platformKeysDeleted };
    },
  };
}

export type HousekeepingActivities = ReturnType<typeof createHousekeepingActivities>;
