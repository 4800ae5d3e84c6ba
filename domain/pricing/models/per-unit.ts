import { z } from 'zod';
import { nonNegativeDecimal } from '../decimal-input';
import type { QuantityInput } from '../inputs';
import { line, priceText, qty, ratingOf, type Rating } from '../rating';

/** Every unit at one price: 14 IPv4 addresses at 2.00 = 28.00. */
export const perUnitConfig = z.strictObject({
  model: z.literal('per_unit'),
  unit_price: nonNegativeDecimal,
  /** Word for the unit on the invoice line, e.g. "IPv4 address". */
  unit_label: z.string().min(1).max(50).optional(),
});
export type PerUnitConfig = z.output<typeof perUnitConfig>;

export function ratePerUnit(config: PerUnitConfig, input: QuantityInput): Rating {
  const label = config.unit_label ?? 'unit';
  const amount = input.quantity.times(config.unit_price);
  return ratingOf([line(`${qty(input.quantity)} × ${label} at ${priceText(config.unit_price)}`, input.quantity, config.unit_price, amount)], {
    quantity: input.quantity,
    unitPrice: config.unit_price,
  });
}
