import { z } from 'zod';
import { nonNegativeDecimal } from '../decimal-input';
import type { QuantityInput } from '../inputs';
import { line, ratingOf, type Rating } from '../rating';

/**
 * A fixed amount per period whatever the quantity: a 42U cabinet at
 * 1200.00 a month costs 1200.00 with 3 servers in it or 40. The quantity is
 * ignored (not even checked), and the breakdown shows the amount once,
 * with no quantity or unit price.
 */
export const flatConfig = z.strictObject({
  model: z.literal('flat'),
  amount: nonNegativeDecimal,
  /** The invoice line's text, e.g. "42U cabinet"; "Flat fee" when absent. */
  label: z.string().min(1).max(100).optional(),
});
export type FlatConfig = z.output<typeof flatConfig>;

export function rateFlat(config: FlatConfig, _input: QuantityInput): Rating {
  return ratingOf([line(config.label ?? 'Flat fee', null, null, config.amount)], { quantity: null, unitPrice: null });
}
