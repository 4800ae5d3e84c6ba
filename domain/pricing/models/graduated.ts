import { z } from 'zod';
import { min } from '../../money/decimal';
import type { QuantityInput } from '../inputs';
import { line, ratingOf, type BreakdownLine, type Rating } from '../rating';
import { describeTiers, requireNonNegative, unitPriceTiers } from '../tiers';

/**
 * Graduated (tiered) pricing: each portion of the quantity is priced at its
 * own tier's unit price, and a tier's optional `flat_fee` is charged once
 * the quantity enters that tier (goes above the previous tier's up_to).
 *
 * Transit bandwidth, tiers up to 100 GB at 0.10, up to 500 GB at 0.08 with a
 * 5.00 fee, then 0.05 with a 10.00 fee; 600 GB in a month costs
 * 100 × 0.10 + 400 × 0.08 + 5.00 + 100 × 0.05 + 10.00 = 62.00.
 * Zero quantity enters no tier and costs nothing (one zero line for the
 * first tier keeps the invoice readable).
 */
export const graduatedConfig = z.strictObject({
  model: z.literal('graduated'),
  tiers: unitPriceTiers,
  /** Word for the unit on the invoice line, e.g. "GB". */
  unit_label: z.string().min(1).max(50).optional(),
});
export type GraduatedConfig = z.output<typeof graduatedConfig>;

export function rateGraduated(config: GraduatedConfig, input: QuantityInput): Rating {
  const quantity = input.quantity;
  requireNonNegative(quantity, 'graduated');
  const tiers = describeTiers(config.tiers, config.unit_label, (t) => t.unit_price);
  // Zero enters no tier: the first tier's line shows 0 and no fee applies.
  const priced = quantity.isZero() ? tiers.slice(0, 1) : tiers.filter(({ ref }) => quantity.greaterThan(ref.from));
  const lines = priced.flatMap(({ tier, ref, label, priced: description }): BreakdownLine[] => {
    const portion = min(quantity, ref.to ?? quantity).minus(ref.from);
    const units = line(description, portion, tier.unit_price, portion.times(tier.unit_price), ref);
    if (!tier.flat_fee || tier.flat_fee.isZero() || quantity.isZero()) return [units];
    return [units, line(`${label}: flat fee`, null, null, tier.flat_fee, ref)];
  });
  return ratingOf(lines, { quantity, unitPrice: null });
}
