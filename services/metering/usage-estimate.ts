import type { EntityManager } from 'typeorm';
import { usageLines } from '../../domain/metering/usage-lines';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { money } from '../../domain/subscriptions/charge-lines';
import { Account } from '../../db/entities/account';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { SubscriptionCharge } from '../../db/entities/subscriptions/subscription-charge';
import { notFound } from '../../lib/errors';
import { LIVE_STATUSES } from './threshold-reference';
import { rateSubscriptionUsage } from './usage-rating';

/**
 * The current period's charges to date (an estimated invoice): for each
 * subscription, the fixed charges already recorded for its current period
 * (recurring in advance, proration credits and charges, one-time fees,
 * discounts) and its usage rated from the period start to now, exactly as
 * the period close would rate it with the events stored so far. Fixed fees
 * billed in arrears appear once the period closes records them; usage is
 * what is known now (a bandwidth commit is billed whole from day one).
 * Totals are per currency. An account's estimate covers the live
 * subscriptions it pays for (billing_account_id), each over its own period.
 */
const RECORDED_KINDS = ['recurring', 'proration_credit', 'proration_charge', 'one_time', 'discount'] as const;

interface EstimateLine {
  subscription_id: string;
  kind: string;
  description: string;
  item_code: string | null;
  charge_key: string | null;
  product: string | null;
  metric: string | null;
  group: Record<string, string | null> | null;
  quantity: string;
  amount: string;
  currency: string;
  period: { start: string; end: string };
}

interface SubscriptionEstimate {
  summary: { id: string; currency: string; period: { start: string; end: string } | null };
  lines: EstimateLine[];
}

async function estimateOf(tx: EntityManager, subscription: Subscription, now: Date): Promise<SubscriptionEstimate> {
  const { currentPeriodStart: start, currentPeriodEnd: end, currency } = subscription;
  if (!start || !end || now < start) return { summary: { id: subscription.id, currency, period: null }, lines: [] };
  const period = { start: start.toISOString(), end: end.toISOString() };
  const recorded = await tx
    .createQueryBuilder(SubscriptionCharge, 'c')
    .where('c.tenant_id = :tenantId AND c.subscription_id = :id', { tenantId: subscription.tenantId, id: subscription.id })
    .andWhere('c.kind IN (:...kinds) AND c.period_start >= :start AND c.period_start < :end', { kinds: RECORDED_KINDS, start, end })
    .orderBy('c.revision')
    .addOrderBy('c.created_at')
    .addOrderBy('c.id')
    .getMany();
  const lines: EstimateLine[] = recorded.map((c) => ({
    subscription_id: subscription.id, kind: c.kind, description: c.description, item_code: c.itemCode, charge_key: c.chargeKey, product: c.productCode,
    metric: null, group: null, quantity: new Decimal(c.quantity).toFixed(), amount: money(new Decimal(c.amount), currency), currency,
    period: { start: c.periodStart.toISOString(), end: c.periodEnd.toISOString() },
  }));
  // The recorded period may lag its end by the seconds the workflow takes to renew: usage stops at the end.
  const asOf = now < end ? now : end;
  const soFar = { start, end: asOf };
  const rated = asOf > start ? await rateSubscriptionUsage(tx, subscription.tenantId, subscription.id, soFar) : [];
  // The same descriptions as the invoice lines the period close records.
  const described = usageLines(subscription.id, currency, soFar, rated);
  rated.forEach((r, i) => {
    lines.push({
      subscription_id: subscription.id, kind: 'usage', description: described[i]!.description, item_code: r.itemCode, charge_key: r.chargeKey,
      product: r.product, metric: r.metricCode, group: r.group, quantity: r.quantity.toFixed(), amount: money(r.amount, currency), currency,
      period: { start: start.toISOString(), end: asOf.toISOString() },
    });
  });
  return { summary: { id: subscription.id, currency, period }, lines };
}

function totals(lines: readonly EstimateLine[]): Array<{ currency: string; amount: string }> {
  const byCurrency = new Map<string, Decimal>();
  for (const line of lines) byCurrency.set(line.currency, (byCurrency.get(line.currency) ?? ZERO).plus(line.amount));
  return [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => ({ currency, amount: money(amount, currency) }));
}

export async function subscriptionUsageEstimate(tx: EntityManager, tenantId: string, subscriptionId: string, now: Date) {
  const subscription = await tx.findOneBy(Subscription, { tenantId, id: subscriptionId });
  if (!subscription) throw notFound('subscription', subscriptionId);
  const estimate = await estimateOf(tx, subscription, now);
  return {
    object: 'usage_estimate' as const,
    account_id: subscription.accountId,
    subscription_id: subscription.id,
    as_of: now.toISOString(),
    subscriptions: [estimate.summary],
    lines: estimate.lines,
    totals: totals(estimate.lines),
  };
}

export async function accountUsageEstimate(tx: EntityManager, tenantId: string, accountId: string, now: Date) {
  const account = await tx.findOneBy(Account, { tenantId, id: accountId });
  if (!account) throw notFound('account', accountId);
  const subscriptions = await tx
    .createQueryBuilder(Subscription, 's')
    .where('s.tenant_id = :tenantId AND s.billing_account_id = :accountId AND s.status IN (:...live)', { tenantId, accountId, live: LIVE_STATUSES })
    .orderBy('s.id')
    .getMany();
  const estimates: SubscriptionEstimate[] = [];
  for (const subscription of subscriptions) estimates.push(await estimateOf(tx, subscription, now));
  const lines = estimates.flatMap((e) => e.lines);
  return {
    object: 'usage_estimate' as const,
    account_id: account.id,
    subscription_id: null,
    as_of: now.toISOString(),
    subscriptions: estimates.map((e) => e.summary),
    lines,
    totals: totals(lines),
  };
}
