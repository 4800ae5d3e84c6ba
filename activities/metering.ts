import { heartbeat } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../db/tenant-transaction';
import { systemClock, type Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { drainThresholdQueue, WATCHER_ACTOR } from '../services/metering/threshold-evaluation';

export interface ThresholdSweep {
  tenants: number;
  accounts: number;
  thresholds: number;
  crossings: number;
  kept: number;
}

/** Accounts claimed per transaction: small enough that a transaction stays short, large enough to drain a burst in few rounds. */
const DEFAULT_ACCOUNTS_PER_TRANSACTION = 100;

/**
 * Metering activities. `evaluateUsageThresholds` drains the threshold queue
 * of every tenant (the tenants table is not under row-level security; each
 * tenant's work runs in a transaction bound to it). It reads the time from
 * its clock, not from the workflow: a crossing is judged at the moment it
 * is evaluated, and a retried sweep simply looks again. Rounds repeat for a
 * tenant while they find a full batch, so one sweep empties the queue.
 */
export function createMeteringActivities(deps: { dataSource: DataSource; logger: Logger; clock?: Clock }) {
  const { dataSource, logger } = deps;
  const clock = deps.clock ?? systemClock;
  return {
    async evaluateUsageThresholds(input: { accountsPerTransaction?: number } = {}): Promise<ThresholdSweep> {
      const limit = input.accountsPerTransaction ?? DEFAULT_ACCOUNTS_PER_TRANSACTION;
      const tenants: Array<{ id: string }> = await dataSource.query(`SELECT id FROM tenants ORDER BY id`);
      const sweep: ThresholdSweep = { tenants: tenants.length, accounts: 0, thresholds: 0, crossings: 0, kept: 0 };
      for (const tenant of tenants) {
        for (;;) {
          const ctx = { tenantId: tenant.id, actor: WATCHER_ACTOR, requestId: null, now: clock.now() };
          const round = await inTenantTransaction(dataSource, tenant.id, (tx) => drainThresholdQueue(tx, ctx, limit, logger));
          sweep.accounts += round.claimed;
          sweep.thresholds += round.thresholds;
          sweep.crossings += round.crossings;
          sweep.kept += round.kept;
          heartbeat();
          if (round.claimed < limit || round.claimed === round.kept) break;
        }
      }
      if (sweep.crossings > 0) logger.info(sweep, 'usage thresholds crossed');
      return sweep;
    },
  };
}

export type MeteringActivities = ReturnType<typeof createMeteringActivities>;
