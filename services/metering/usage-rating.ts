import type { EntityManager } from 'typeorm';
import { PlanVersion } from '../../db/entities/catalog/plan-version';
import { PriceOverride } from '../../db/entities/catalog/price-override';
import { Product } from '../../db/entities/catalog/product';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { effectiveChargePrice, type EffectivePrice, type StoredCharge } from '../../domain/catalog/effective-price';
import type { RatedUsage, UsageGroup, UsagePeriod } from '../../domain/metering/usage-lines';
import type { Decimal } from '../../domain/money/decimal';
import { commitOnlyCharge } from '../../domain/metering/commit-only';
import { rateCharge, type ChargePrice, type RatedCharge } from '../../domain/pricing/charge';
import type { RatingInput } from '../../domain/pricing/inputs';
import { BandwidthInputError } from '../../domain/pricing/percentile/combine';
import type { SubscriptionItem } from '../../domain/subscriptions/subscription-terms';
import { notFound } from '../../lib/errors';
import { loadMetric, usageRatingInputs, type MetricDefinition } from './usage-aggregation';

/**
 * Rates a subscription's usage charges over a period: for each usage charge
 * of its plan and add-ons (the terms in force now), the metric's events in
 * [start, end) attributed to the subscription, per group-by value, priced
 * with the account's contract override active at the period start, else the
 * plan version's price book. Reads only; the subscription workflow records
 * the lines (usage-close.ts), the usage API shows them as an estimate.
 */
export interface RatedUsageCharge extends RatedUsage {
  metricCode: string;
  rated: RatedCharge;
}

/** One usage charge of a subscription item, resolved against its plan version. */
export interface UsageChargeRef {
  item: SubscriptionItem;
  charge: StoredCharge;
  metric: MetricDefinition;
  description: string;
}

export async function usageChargesOf(tx: EntityManager, subscription: Subscription): Promise<UsageChargeRef[]> {
  const { tenantId } = subscription;
  const refs: UsageChargeRef[] = [];
  if (subscription.terms.items.every((i) => i.usage.length === 0)) return refs;
  const products = new Map((await tx.findBy(Product, { tenantId })).map((p) => [p.code, p.name]));
  const metrics = new Map<string, MetricDefinition>();
  for (const item of subscription.terms.items) {
    if (item.usage.length === 0) continue;
    const version = await tx.findOneBy(PlanVersion, { tenantId, planId: item.planId, version: item.version });
    if (!version) throw notFound('plan_version', `${item.code} v${item.version}`);
    for (const key of item.usage) {
      const charge = version.definition.charges.find((c) => c.key === key);
      if (!charge?.metric) continue;
      let metric = metrics.get(charge.metric);
      if (!metric) {
        metric = await loadMetric(tx, tenantId, charge.metric);
        metrics.set(charge.metric, metric);
      }
      refs.push({ item, charge, metric, description: charge.description ?? products.get(charge.product) ?? charge.key });
    }
  }
  return refs;
}

async function overrideCharges(tx: EntityManager, subscription: Subscription, planId: string, at: Date) {
  const override = await tx
    .createQueryBuilder(PriceOverride, 'o')
    .where('o.tenant_id = :tenantId AND o.account_id = :accountId AND o.plan_id = :planId AND o.currency = :currency', {
      tenantId: subscription.tenantId, accountId: subscription.accountId, planId, currency: subscription.currency,
    })
    .andWhere('o.starts_at <= :at AND (o.ends_at IS NULL OR o.ends_at > :at)', { at })
    .getOne();
  return override?.charges ?? {};
}

/** The price a usage charge is billed at on `at`: the account's contract override, else the plan version's price book; null when neither prices the currency. */
export async function usageChargePrice(tx: EntityManager, subscription: Subscription, ref: UsageChargeRef, at: Date): Promise<EffectivePrice | null> {
  const overrides = await overrideCharges(tx, subscription, ref.item.planId, at);
  return effectiveChargePrice(ref.charge, subscription.currency, overrides[ref.charge.key]);
}

/** Rates one usage charge over `period`: one entry per group-by value (none when no event matched a grouped charge). */
export async function rateUsageCharge(tx: EntityManager, subscription: Subscription, ref: UsageChargeRef, period: UsagePeriod): Promise<RatedUsageCharge[]> {
  const effective = await usageChargePrice(tx, subscription, ref, period.start);
  if (!effective) {
    // Cannot happen for a subscription the API created: it checks the plan is priced in the account's currency.
    throw new Error(`usage charge ${ref.charge.key} of ${ref.item.code} v${ref.item.version} has no ${subscription.currency} price`);
  }
  const groups = await usageRatingInputs(
    tx,
    { tenantId: subscription.tenantId, accountId: subscription.accountId, subscriptionId: subscription.id, metric: ref.metric, from: period.start, to: period.end },
    effective.price.model.model,
    subscription.timezone,
  );
  const percentile = effective.price.model.model === 'percentile';
  return groups.map((g) => {
    const rated = rateUsage({ ...effective.price, unitLabel: ref.metric.unitLabel ?? undefined }, g.input, subscription.currency);
    return {
      itemCode: ref.item.code, itemName: ref.item.name, chargeKey: ref.charge.key, product: ref.charge.product,
      // The quantity the price applied to (billed Mbps for the 95th), else the aggregate.
      description: ref.description, unitLabel: percentile ? 'Mbps' : ref.metric.unitLabel, metricCode: ref.metric.code,
      group: g.group as UsageGroup, quantity: rated.rating.quantity ?? (g.quantity as Decimal), amount: rated.amount, rated, rating: rated.rating,
    };
  });
}

/** The rating engine, except that a burstable charge without usable samples bills its commit (domain/metering/commit-only.ts). */
function rateUsage(price: ChargePrice, input: RatingInput, currency: string): RatedCharge {
  try {
    return rateCharge(price, input, currency);
  } catch (error) {
    if (error instanceof BandwidthInputError && price.model.model === 'percentile') return commitOnlyCharge(price.model, error.message, currency);
    throw error;
  }
}

export async function loadSubscription(tx: EntityManager, tenantId: string, subscriptionId: string): Promise<Subscription> {
  const subscription = await tx.findOneBy(Subscription, { tenantId, id: subscriptionId });
  if (!subscription) throw notFound('subscription', subscriptionId);
  return subscription;
}

export async function rateSubscriptionUsage(tx: EntityManager, tenantId: string, subscriptionId: string, period: UsagePeriod): Promise<RatedUsageCharge[]> {
  const subscription = await loadSubscription(tx, tenantId, subscriptionId);
  const rated: RatedUsageCharge[] = [];
  for (const ref of await usageChargesOf(tx, subscription)) rated.push(...(await rateUsageCharge(tx, subscription, ref, period)));
  return rated;
}
