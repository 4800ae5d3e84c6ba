import { z } from 'zod';
import { ZERO } from '../../money/decimal';
import type { QuantityInput } from '../inputs';
import { line, qty, ratingOf, type Rating } from '../rating';
import { describeTiers, landedTier, priceTiers, requireNonNegative } from '../tiers';

/**
 * Stairstep pricing: one price for the whole tier the quantity falls in,
 * however far into it. Cross-connects at 1–10 for 500.00, 11–25 for 900.00,
 * then 1500.00: 12 cross-connects cost 900.00, and so do 25.
 *
 * Zero quantity falls in no tier and costs nothing, unless `zero_quantity`
 * is "first_tier": then zero is charged the first tier's price, for a
 * capacity reserved whether or not it is used (a patch panel held for the
 * customer). The choice sits on the model, not on the shared tier type.
 */
export const stairstepConfig = z.strictObject({
  model: z.literal('stairstep'),
  tiers: priceTiers,
  zero_quantity: z.enum(['free', 'first_tier']).default('free'),
  /** Word for the unit on the invoice line, e.g. "cross-connects". */
  unit_label: z.string().min(1).max(50).optional(),
});
export type StairstepConfig = z.output<typeof stairstepConfig>;

export function rateStairstep(config: StairstepConfig, input: QuantityInput): Rating {
  const quantity = input.quantity;
  requireNonNegative(quantity, 'stairstep');
  if (quantity.isZero() && config.zero_quantity === 'free') {
    const what = config.unit_label ? `0 ${config.unit_label}` : 'Quantity 0';
    return ratingOf([line(`${what}: no charge`, quantity, null, ZERO)], { quantity, unitPrice: null });
  }
  const { tier, ref, priced } = landedTier(describeTiers(config.tiers, config.unit_label, (t) => t.price), quantity);
  const usage = quantity.isZero() ? 'charged at zero' : `${qty(quantity)} in use`;
  const description = `${priced} (${usage})`;
  return ratingOf([line(description, quantity, null, tier.price, ref)], { quantity, unitPrice: null });
}
