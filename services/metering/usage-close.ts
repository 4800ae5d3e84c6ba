import type { EntityManager } from 'typeorm';
import { Decimal } from '../../domain/money/decimal';
import { usageAdjustmentLine, usageLines, type UsagePeriod } from '../../domain/metering/usage-lines';
import type { ChargeLine } from '../../domain/subscriptions/charge-lines';
import type { SubscriptionItem } from '../../domain/subscriptions/subscription-terms';
import { INGEST_LIMITS } from '../../domain/metering/ingest-limits';
import { loadSubscription, rateUsageCharge, usageChargesOf, type RatedUsageCharge, type UsageChargeRef } from './usage-rating';
import { loadMetric } from './usage-aggregation';
import { PlanVersion } from '../../db/entities/catalog/plan-version';
import type { Subscription } from '../../db/entities/subscriptions/subscription';

/**
 * Usage at period close (docs/metering.md, "Late events"): the closing
 * period's usage lines, plus an adjustment for every earlier period whose
 * usage changed since it was rated. Each rating is remembered in
 * usage_ratings with the database time it was first taken; a period is
 * looked at again when an event or sample for it was received after that
 * time minus a margin longer than any ingest transaction, so an event that
 * committed just after the rating read is still found. Looking again at a
 * period that did not change records nothing.
 */

/** Longer than any ingest transaction (they are bounded by statement_timeout); see docs/metering.md. */
const INGEST_COMMIT_MARGIN = '10 minutes';

/**
 * How far back a close looks for changed periods: an event may arrive up to
 * the late-event window after its period ended, and is seen at the first
 * close after it committed (at most one period later, two if it raced a close).
 */
export function lateLookbackStart(closing: UsagePeriod): Date {
  const length = closing.end.getTime() - closing.start.getTime();
  return new Date(closing.start.getTime() - INGEST_LIMITS.lateWindowMs - 2 * length);
}

interface RatingRow {
  item_code: string;
  charge_key: string;
  period_start: Date;
  period_end: Date;
  result: StoredRating;
}

/** What usage_ratings.result holds: enough to rate the charge again after the item left the subscription. */
interface StoredRating {
  item: Pick<SubscriptionItem, 'code' | 'name' | 'planId' | 'version'>;
  groups: Array<{ group: Record<string, string | null>; quantity: string; amount: string }>;
}

async function rememberRating(tx: EntityManager, subscription: Subscription, ref: UsageChargeRef, period: UsagePeriod, rated: RatedUsageCharge[]): Promise<void> {
  const result: StoredRating = {
    item: { code: ref.item.code, name: ref.item.name, planId: ref.item.planId, version: ref.item.version },
    groups: rated.map((r) => ({ group: r.group, quantity: r.quantity.toFixed(), amount: r.amount.toFixed() })),
  };
  // first_rated_at never moves: events received after it (minus the margin) make the period worth another look.
  await tx.query(
    `INSERT INTO usage_ratings (tenant_id, subscription_id, item_code, charge_key, period_start, period_end, metric_code, result, first_rated_at, rated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, statement_timestamp(), statement_timestamp())
     ON CONFLICT (tenant_id, subscription_id, item_code, charge_key, period_start)
     DO UPDATE SET result = EXCLUDED.result, period_end = EXCLUDED.period_end, rated_at = EXCLUDED.rated_at`,
    [subscription.tenantId, subscription.id, ref.item.code, ref.charge.key, period.start, period.end, ref.metric.code, JSON.stringify(result)],
  );
}

/** Earlier rated periods of the subscription with events or samples received since their first rating. */
async function changedPeriods(tx: EntityManager, subscription: Subscription, closing: UsagePeriod): Promise<RatingRow[]> {
  return tx.query(
    `SELECT r.item_code, r.charge_key, r.period_start, r.period_end, r.result
       FROM usage_ratings r
       JOIN billable_metrics m ON m.tenant_id = r.tenant_id AND m.code = r.metric_code
      WHERE r.tenant_id = $1 AND r.subscription_id = $2 AND r.period_start < $3 AND r.period_end > $4
        AND (EXISTS (SELECT 1 FROM usage_events e
                      WHERE e.tenant_id = r.tenant_id AND e.account_id = $5 AND e.code = m.event_name
                        AND e.occurred_at >= r.period_start AND e.occurred_at < r.period_end
                        AND e.subscription_id = r.subscription_id
                        AND e.received_at > r.first_rated_at - interval '${INGEST_COMMIT_MARGIN}')
          OR EXISTS (SELECT 1 FROM usage_samples s
                      WHERE s.tenant_id = r.tenant_id AND s.account_id = $5 AND s.code = m.event_name
                        AND s.subscription_id = r.subscription_id
                        AND s.day >= (r.period_start AT TIME ZONE 'UTC')::date AND s.day <= (r.period_end AT TIME ZONE 'UTC')::date
                        AND s.updated_at > r.first_rated_at - interval '${INGEST_COMMIT_MARGIN}'))
      ORDER BY r.period_start, r.item_code, r.charge_key`,
    [subscription.tenantId, subscription.id, closing.start, lateLookbackStart(closing), subscription.accountId],
  );
}

async function billedFor(tx: EntityManager, subscription: Subscription, row: RatingRow): Promise<{ quantity: Decimal; amount: Decimal }> {
  const [billed] = (await tx.query(
    `SELECT coalesce(sum(quantity), 0)::text AS quantity, coalesce(sum(amount), 0)::text AS amount
       FROM subscription_charges
      WHERE tenant_id = $1 AND subscription_id = $2 AND kind IN ('usage', 'usage_adjustment')
        AND item_code = $3 AND charge_key = $4 AND period_start = $5`,
    [subscription.tenantId, subscription.id, row.item_code, row.charge_key, row.period_start],
  )) as Array<{ quantity: string; amount: string }>;
  return { quantity: new Decimal(billed!.quantity), amount: new Decimal(billed!.amount) };
}

/** The usage charge a stored rating was for, from the current terms or, when the item has left them, from the rating itself. */
async function refFor(tx: EntityManager, subscription: Subscription, current: UsageChargeRef[], row: RatingRow): Promise<UsageChargeRef | null> {
  const live = current.find((r) => r.item.code === row.item_code && r.charge.key === row.charge_key);
  if (live) return live;
  const stored = row.result.item;
  const version = await tx.findOneBy(PlanVersion, { tenantId: subscription.tenantId, planId: stored.planId, version: stored.version });
  const charge = version?.definition.charges.find((c) => c.key === row.charge_key);
  if (!charge?.metric) return null;
  const item: SubscriptionItem = { kind: 'addon', ...stored, quantity: '1', recurring: [], oneTime: [], usage: [row.charge_key] };
  return { item, charge, metric: await loadMetric(tx, subscription.tenantId, charge.metric), description: charge.description ?? charge.key };
}

export async function usageLinesAtClose(tx: EntityManager, tenantId: string, subscriptionId: string, closing: UsagePeriod): Promise<ChargeLine[]> {
  const subscription = await loadSubscription(tx, tenantId, subscriptionId);
  const refs = await usageChargesOf(tx, subscription);
  const lines: ChargeLine[] = [];
  for (const ref of refs) {
    const rated = await rateUsageCharge(tx, subscription, ref, closing);
    await rememberRating(tx, subscription, ref, closing, rated);
    lines.push(...usageLines(subscription.id, subscription.currency, closing, rated));
  }
  for (const row of await changedPeriods(tx, subscription, closing)) {
    const ref = await refFor(tx, subscription, refs, row);
    if (!ref) continue;
    const late = { start: new Date(row.period_start), end: new Date(row.period_end) };
    const rerated = await rateUsageCharge(tx, subscription, ref, late);
    const adjustment = usageAdjustmentLine(subscription.id, subscription.currency, late, closing, rerated, await billedFor(tx, subscription, row), {
      itemCode: ref.item.code, itemName: ref.item.name, chargeKey: ref.charge.key, product: ref.charge.product,
      description: ref.description, unitLabel: ref.metric.unitLabel,
    });
    if (adjustment) lines.push(adjustment);
    await rememberRating(tx, subscription, ref, late, rerated);
  }
  return lines;
}

/**
 * One closed period's usage lines rated again from the events stored now,
 * and remembered as the period's rating: what a draft invoice's refresh
 * uses during its grace period, so a late event lands on the invoice
 * itself instead of becoming an adjustment on the next one.
 */
export async function rerateClosedPeriod(tx: EntityManager, tenantId: string, subscriptionId: string, period: UsagePeriod): Promise<ChargeLine[]> {
  const subscription = await loadSubscription(tx, tenantId, subscriptionId);
  const lines: ChargeLine[] = [];
  for (const ref of await usageChargesOf(tx, subscription)) {
    const rated = await rateUsageCharge(tx, subscription, ref, period);
    await rememberRating(tx, subscription, ref, period, rated);
    lines.push(...usageLines(subscription.id, subscription.currency, period, rated));
  }
  return lines;
}

/**
 * Whether anything for the subscription's period was received since it was
 * last rated (minus the ingest margin): when not, rating it again would
 * give the same answer.
 */
export async function usageReceivedSinceRating(tx: EntityManager, tenantId: string, subscriptionId: string, accountId: string, periodStart: Date): Promise<boolean> {
  const rows = (await tx.query(
    `SELECT 1 FROM usage_ratings r
       JOIN billable_metrics m ON m.tenant_id = r.tenant_id AND m.code = r.metric_code
      WHERE r.tenant_id = $1 AND r.subscription_id = $2 AND r.period_start = $4
        AND (EXISTS (SELECT 1 FROM usage_events e
                      WHERE e.tenant_id = r.tenant_id AND e.account_id = $3 AND e.code = m.event_name
                        AND e.occurred_at >= r.period_start AND e.occurred_at < r.period_end
                        AND e.subscription_id = r.subscription_id
                        AND e.received_at > r.rated_at - interval '${INGEST_COMMIT_MARGIN}')
          OR EXISTS (SELECT 1 FROM usage_samples s
                      WHERE s.tenant_id = r.tenant_id AND s.account_id = $3 AND s.code = m.event_name
                        AND s.subscription_id = r.subscription_id
                        AND s.day >= (r.period_start AT TIME ZONE 'UTC')::date AND s.day <= (r.period_end AT TIME ZONE 'UTC')::date
                        AND s.updated_at > r.rated_at - interval '${INGEST_COMMIT_MARGIN}'))
      LIMIT 1`,
    [tenantId, subscriptionId, accountId, periodStart],
  )) as unknown[];
  return rows.length > 0;
}
