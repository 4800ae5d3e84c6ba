import { z } from 'zod';
import type { QuantityInput } from '../inputs';
import { line, ratingOf, type BreakdownLine, type Rating } from '../rating';
import { describeTiers, landedTier, requireNonNegative, unitPriceTiers } from '../tiers';

/**
 * Volume pricing: every unit is charged at the unit price of the tier the
 * total lands in, plus that tier's optional `flat_fee`.
 *
 * Transit bandwidth, tiers up to 100 GB at 0.10, up to 500 GB at 0.08 with a
 * 5.00 fee, then 0.05 with a 10.00 fee; 600 GB lands in tier 3, so
 * 600 × 0.05 + 10.00 = 40.00 (less than 500 GB would cost: 500 × 0.08 + 5.00
 * = 45.00, the usual volume-pricing cliff). Zero quantity lands in no tier
 * and costs nothing: one zero line at the first tier's price, no fee.
 */
export const volumeConfig = z.strictObject({
  model: z.literal('volume'),
  tiers: unitPriceTiers,
  /** Word for the unit on the invoice line, e.g. "GB". */
  unit_label: z.string().min(1).max(50).optional(),
});
export type VolumeConfig = z.output<typeof volumeConfig>;

export function rateVolume(config: VolumeConfig, input: QuantityInput): Rating {
  const quantity = input.quantity;
  requireNonNegative(quantity, 'volume');
  const zero = quantity.isZero();
  const { tier, ref, label, priced } = landedTier(describeTiers(config.tiers, config.unit_label, (t) => t.unit_price), quantity);
  const lines: BreakdownLine[] = [line(priced, quantity, tier.unit_price, quantity.times(tier.unit_price), ref)];
  if (!zero && tier.flat_fee && !tier.flat_fee.isZero()) lines.push(line(`${label}: flat fee`, null, null, tier.flat_fee, ref));
  return ratingOf(lines, { quantity, unitPrice: tier.unit_price });
}
