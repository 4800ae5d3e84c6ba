import type { Rating } from '../pricing/rating';
import type { BreakdownEntry } from './invoice-document';

/**
 * What a recorded usage charge keeps of its rating for the invoice
 * (subscription_charges.details): the breakdown lines (tiers, allowance,
 * commit and burst) and the model's facts (the 95th-percentile figure,
 * sample counts, completeness), plus where its usage came from so the
 * invoice can draw the samples.
 */
export interface ChargeDetails {
  unit_price: string | null;
  breakdown: BreakdownEntry[];
  facts: Record<string, string | number | boolean | null> | null;
  metric_code: string | null;
  group: Record<string, string | null> | null;
}

export function chargeDetailsOf(rating: Rating, metricCode: string | null, group: Record<string, string | null> | null): ChargeDetails {
  return {
    unit_price: rating.unitPrice ? rating.unitPrice.toFixed() : null,
    breakdown: rating.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity ? l.quantity.toFixed() : null,
      unit_price: l.unitPrice ? l.unitPrice.toFixed() : null,
      amount: l.amount.toFixed(),
    })),
    facts: rating.details ?? null,
    metric_code: metricCode,
    group,
  };
}
