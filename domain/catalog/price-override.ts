import { z } from 'zod';
import { nonNegativeDecimal } from '../pricing/decimal-input';
import { priceModelSchema } from '../pricing/price-model';
import type { Normalized } from './normalize';

/**
 * What a contract changes on one charge of a plan for one account: its own
 * price model (tiers, commits...), included quantity or minimum. Anything
 * not given falls back to the plan version's price book.
 */
export const overrideChargeSchema = z
  .strictObject({
    price: priceModelSchema.optional(),
    included_quantity: nonNegativeDecimal.optional(),
    minimum_amount: nonNegativeDecimal.optional(),
  })
  .refine((o) => Object.keys(o).length > 0, 'must override at least one of price, included_quantity, minimum_amount');

export const overrideChargesSchema = z.record(z.string(), overrideChargeSchema);
export type OverrideCharges = Normalized<z.output<typeof overrideChargesSchema>>;
