import type { EntityManager } from 'typeorm';
import type { PercentileConvention } from '../../domain/metering/percentile-line';
import { Decimal } from '../../domain/money/decimal';
import type { ChargePrice } from '../../domain/pricing/charge';
import type { Subscription } from '../../db/entities/subscriptions/subscription';
import type { MetricDefinition } from './metric-definition';
import { usageChargePrice, usageChargesOf } from './usage-rating';

/**
 * The usage charges a subscription has on one metric, with the price each
 * is billed at on `at`: the plan (or add-on) version's price book in the
 * subscription's currency, or the account's contract override. The usage
 * API reads the bandwidth convention from it, thresholds read the commit.
 */
export interface MetricCharge {
  itemCode: string;
  chargeKey: string;
  price: ChargePrice;
}

export async function usageChargesOn(tx: EntityManager, subscription: Subscription, metricCode: string, at: Date): Promise<MetricCharge[]> {
  const charges: MetricCharge[] = [];
  for (const ref of await usageChargesOf(tx, subscription)) {
    if (ref.metric.code !== metricCode) continue;
    const effective = await usageChargePrice(tx, subscription, ref, at);
    if (effective) charges.push({ itemCode: ref.item.code, chargeKey: ref.charge.key, price: effective.price });
  }
  return charges;
}

/**
 * The 95th-percentile convention to draw or measure with: the first
 * percentile-priced charge's (percentile, method, direction, missing-sample
 * rule), else the metric's percentile with the price model's defaults
 * (nearest rank, the higher of in and out, unknown slots dropped).
 */
export function percentileConvention(metric: MetricDefinition, charges: readonly MetricCharge[]): PercentileConvention & { source: 'charge' | 'default' } {
  for (const charge of charges) {
    const model = charge.price.model;
    if (model.model === 'percentile') {
      return { percentile: model.percentile, method: model.method, direction: model.direction, missing: model.missing_samples, source: 'charge' };
    }
  }
  const aggregation = metric.aggregation;
  const percentile = new Decimal(aggregation.type === 'percentile' ? aggregation.percentile : '95');
  return { percentile, method: 'nearest_rank', direction: 'max_of_in_out', missing: 'drop', source: 'default' };
}
