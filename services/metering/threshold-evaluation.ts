import type { EntityManager } from 'typeorm';
import { levelsToAnnounce } from '../../domain/metering/thresholds';
import { Decimal } from '../../domain/money/decimal';
import { UsageThreshold } from '../../db/entities/metering/usage-threshold';
import type { Logger } from '../../lib/logger';
import type { ChangeContext } from '../change-context';
import { emitDomainEvent } from '../domain-events';
import { claimQueuedAccounts, deleteQueuedAccounts, requeueAccounts } from './threshold-queue';
import { observedText, observeThreshold } from './threshold-observation';

/**
 * Drains one tenant's threshold queue: claims queued accounts (FOR UPDATE
 * SKIP LOCKED, so concurrent drains take disjoint accounts), evaluates every
 * active threshold they can move, records each level reached for the first
 * time in the period as a usage_threshold_crossings row and announces it
 * with usage.threshold_crossed, then deletes the claimed rows, all in the
 * caller's one transaction. Exactly once per threshold, level and period:
 * the crossing's primary key is (threshold, period start, percent) and the
 * event is emitted only for rows this transaction inserted; a concurrent
 * evaluation of the same threshold waits on the uncommitted row and then
 * inserts nothing.
 */
export const WATCHER_ACTOR = { type: 'system' as const, id: 'usage-threshold-watcher', label: 'usage threshold watcher' };

export interface DrainResult {
  claimed: number;
  thresholds: number;
  crossings: number;
  /** Accounts left queued because a subscription's period awaits renewal. */
  kept: number;
}

/**
 * Active thresholds the claimed accounts' usage can move: their own, those
 * of their subscriptions, and account-level ones of the accounts paying for
 * their subscriptions (master billing).
 */
async function affectedThresholds(tx: EntityManager, tenantId: string, accountIds: readonly string[]): Promise<UsageThreshold[]> {
  return tx
    .createQueryBuilder(UsageThreshold, 't')
    .where('t.tenant_id = :tenantId AND t.status = :active', { tenantId, active: 'active' })
    .andWhere(
      `(t.account_id = ANY(:accounts)
        OR t.subscription_id IN (SELECT s.id FROM subscriptions s WHERE s.tenant_id = :tenantId AND s.account_id = ANY(:accounts))
        OR (t.subscription_id IS NULL AND t.account_id IN
            (SELECT s.billing_account_id FROM subscriptions s WHERE s.tenant_id = :tenantId AND s.account_id = ANY(:accounts))))`,
      { accounts: accountIds },
    )
    .orderBy('t.id')
    .getMany();
}

async function announcedLevels(tx: EntityManager, t: UsageThreshold, periodStart: Date): Promise<Decimal[]> {
  const rows: Array<{ percent: string }> = await tx.query(
    `SELECT percent::text AS percent FROM usage_threshold_crossings WHERE tenant_id = $1 AND threshold_id = $2 AND period_start = $3`,
    [t.tenantId, t.id, periodStart],
  );
  return rows.map((r) => new Decimal(r.percent));
}

/** Records and announces the levels newly reached; returns how many were announced. */
async function evaluateThreshold(tx: EntityManager, ctx: ChangeContext, t: UsageThreshold, logger: Logger): Promise<{ crossings: number; keep: string | null }> {
  const observation = await observeThreshold(tx, t, ctx.now);
  if (observation.kind === 'skip') {
    logger.debug({ threshold_id: t.id, reason: observation.reason }, 'threshold not evaluated');
    return { crossings: 0, keep: null };
  }
  if (observation.kind === 'stale') return { crossings: 0, keep: observation.accountId };
  const { period, observed, reference, currency } = observation;
  const levels = levelsToAnnounce({ percents: t.percents.map((p) => new Decimal(p)), reference, observed, announced: await announcedLevels(tx, t, period.start) });
  if (levels.length === 0) return { crossings: 0, keep: null };
  const inserted: Array<{ percent: string }> = await tx.query(
    `INSERT INTO usage_threshold_crossings (tenant_id, threshold_id, period_start, percent, period_end, observed, reference_value, crossed_at)
     SELECT $1, $2, $3, p, $4, $5, $6, $7 FROM unnest($8::numeric[]) AS p
     ON CONFLICT DO NOTHING RETURNING percent::text AS percent`,
    [t.tenantId, t.id, period.start, period.end, observed.toFixed(), reference.toFixed(), ctx.now, levels.map((l) => l.toFixed())],
  );
  const announced = inserted.map((r) => new Decimal(r.percent)).sort((a, b) => a.comparedTo(b));
  for (const percent of announced) {
    await emitDomainEvent(tx, ctx, {
      type: 'usage.threshold_crossed',
      resourceType: 'usage_threshold',
      resourceId: t.id,
      payload: {
        object: 'usage_threshold_crossing',
        threshold_id: t.id,
        account_id: t.accountId,
        subscription_id: t.subscriptionId,
        basis: t.basis,
        metric_code: t.metricCode,
        percent: percent.toNumber(),
        observed: observedText(observed, currency),
        reference_value: reference.toFixed(),
        currency,
        period: { start: period.start.toISOString(), end: period.end.toISOString() },
        crossed_at: ctx.now.toISOString(),
      },
    });
  }
  return { crossings: announced.length, keep: null };
}

/**
 * One drain round in a tenant-bound transaction. A threshold that fails to
 * evaluate (e.g. a metric removed from under it) is rolled back to its
 * savepoint and logged, so it cannot hold up the others.
 */
export async function drainThresholdQueue(tx: EntityManager, ctx: ChangeContext, limit: number, logger: Logger): Promise<DrainResult> {
  const claimed = await claimQueuedAccounts(tx, ctx.tenantId, limit);
  if (claimed.length === 0) return { claimed: 0, thresholds: 0, crossings: 0, kept: 0 };
  const accountIds = claimed.map((c) => c.accountId);
  const thresholds = await affectedThresholds(tx, ctx.tenantId, accountIds);
  const keep = new Set<string>();
  let crossings = 0;
  for (const threshold of thresholds) {
    await tx.query('SAVEPOINT threshold_evaluation');
    try {
      const result = await evaluateThreshold(tx, ctx, threshold, logger);
      await tx.query('RELEASE SAVEPOINT threshold_evaluation');
      crossings += result.crossings;
      if (result.keep) keep.add(result.keep);
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT threshold_evaluation');
      logger.error({ err: error, threshold_id: threshold.id }, 'usage threshold evaluation failed');
    }
  }
  const kept = accountIds.filter((a) => keep.has(a));
  await deleteQueuedAccounts(tx, ctx.tenantId, accountIds.filter((a) => !keep.has(a)));
  await requeueAccounts(tx, ctx.tenantId, kept);
  return { claimed: claimed.length, thresholds: thresholds.length, crossings, kept: kept.length };
}
