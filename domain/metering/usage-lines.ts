import { Decimal, sum } from '../money/decimal';
import { money, type ChargeLine } from '../subscriptions/charge-lines';
import { chargeDetailsOf } from '../invoicing/charge-details';
import type { Rating } from '../pricing/rating';

/**
 * The charge lines usage becomes at period close: one per usage charge and
 * group-by value, rated in arrears, and adjustment lines for periods already
 * billed whose usage changed since (late events). Keys are deterministic so
 * a retried activity or a replayed workflow records each line once:
 *   usage:            {subscription}/usage/{period start}/{item}/{charge}[/{group}]
 *   usage adjustment: {subscription}/usage_adjustment/{late period start}/{item}/{charge}/{closing period start}
 * An adjustment is the re-rated amount of the late period minus everything
 * already recorded for that charge and period (its usage lines and earlier
 * adjustments), so an event is never counted twice however often the late
 * period is looked at again.
 */
export type UsageGroup = Record<string, string | null>;

export interface RatedUsage {
  itemCode: string;
  itemName: string;
  chargeKey: string;
  product: string;
  /** The charge's description (or product name). */
  description: string;
  unitLabel: string | null;
  group: UsageGroup;
  quantity: Decimal;
  /** Rounded to the currency (docs/money.md, rounding point 1). */
  amount: Decimal;
  /** The rating behind the amount, carried to the invoice as the line's breakdown. */
  rating?: Rating;
  metricCode?: string;
}

export interface UsagePeriod {
  start: Date;
  end: Date;
}

/** "port=xe-0/0/1, region=ams1"; empty for an ungrouped charge. Keys sorted, so the same group always reads the same. */
export function groupLabel(group: UsageGroup): string {
  return Object.keys(group)
    .sort()
    .map((k) => `${k}=${group[k] ?? '(none)'}`)
    .join(', ');
}

function quantityText(quantity: Decimal, unit: string | null): string {
  return unit ? `${quantity.toFixed()} ${unit}` : quantity.toFixed();
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function usageLines(subscriptionId: string, currency: string, period: UsagePeriod, rated: readonly RatedUsage[]): ChargeLine[] {
  return rated.map((r) => {
    const label = groupLabel(r.group);
    return {
      key: `${subscriptionId}/usage/${period.start.toISOString()}/${r.itemCode}/${r.chargeKey}${label ? `/${encodeURIComponent(label)}` : ''}`,
      kind: 'usage' as const,
      itemCode: r.itemCode,
      chargeKey: r.chargeKey,
      product: r.product,
      description: `${r.itemName}: ${r.description}${label ? ` (${label})` : ''}, ${quantityText(r.quantity, r.unitLabel)}`,
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      quantity: r.quantity.toFixed(),
      amount: money(r.amount, currency),
      ...(r.rating ? { details: chargeDetailsOf(r.rating, r.metricCode ?? null, label ? r.group : null) } : {}),
    };
  });
}

/** What is already recorded for one usage charge and period: its usage lines and earlier adjustments. */
export interface BilledUsage {
  quantity: Decimal;
  amount: Decimal;
}

/**
 * The adjustment for one usage charge of a period billed before, recorded
 * when `closing` closes; null when the re-rated amount and quantity equal
 * what was billed.
 */
export function usageAdjustmentLine(
  subscriptionId: string,
  currency: string,
  late: UsagePeriod,
  closing: UsagePeriod,
  rerated: readonly RatedUsage[],
  billed: BilledUsage,
  charge: { itemCode: string; itemName: string; chargeKey: string; product: string; description: string; unitLabel: string | null },
): ChargeLine | null {
  const quantity = sum(rerated.map((r) => r.quantity)).minus(billed.quantity);
  const amount = sum(rerated.map((r) => r.amount)).minus(billed.amount);
  if (quantity.isZero() && amount.isZero()) return null;
  const sign = quantity.isNegative() ? '' : '+';
  return {
    key: `${subscriptionId}/usage_adjustment/${late.start.toISOString()}/${charge.itemCode}/${charge.chargeKey}/${closing.start.toISOString()}`,
    kind: 'usage_adjustment',
    itemCode: charge.itemCode,
    chargeKey: charge.chargeKey,
    product: charge.product,
    description:
      `${charge.itemName}: ${charge.description}, adjustment for ${day(late.start)} to ${day(late.end)} ` +
      `(late usage, ${sign}${quantityText(quantity, charge.unitLabel)})`,
    periodStart: late.start.toISOString(),
    periodEnd: late.end.toISOString(),
    quantity: quantity.toFixed(),
    amount: money(amount, currency),
  };
}

export { Decimal };
