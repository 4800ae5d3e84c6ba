import { z } from 'zod';
import { Decimal, min, ZERO } from '../../money/decimal';
import { nonNegativeDecimal } from '../decimal-input';
import type { QuantityInput } from '../inputs';
import { line, qty, type BreakdownLine } from '../rating';

/**
 * Included quantity: the first `included_quantity` units of the period are
 * free, e.g. 1000 GB of transit included with a cabinet. Applied to the
 * quantity before any price model rates it: 1,250 GB used leaves 250 GB for
 * the model, and a zero-amount line states what was included
 * ("Included: 1000 of 1000 GB"). With 600 GB used, 600 are included and 0
 * are rated. Prorating the allowance for a part period is the caller's
 * choice: pass the prorated config.
 */
export const allowanceConfig = z.strictObject({
  included_quantity: nonNegativeDecimal,
  /** Word for the unit on the invoice line, e.g. "GB". */
  unit_label: z.string().min(1).max(50).optional(),
});
export type AllowanceConfig = z.output<typeof allowanceConfig>;

export interface AllowanceApplied {
  /** The input left for the price model: the quantity minus what was included. */
  input: QuantityInput;
  /** How much of the allowance was used: min(quantity, included_quantity). */
  included: Decimal;
  /** Zero-amount line to put before the model's lines. */
  line: BreakdownLine;
}

export function applyAllowance(config: AllowanceConfig, input: QuantityInput): AllowanceApplied {
  if (input.quantity.isNegative()) throw new RangeError(`an allowance cannot apply to a negative quantity (${qty(input.quantity)})`);
  const included = min(input.quantity, config.included_quantity);
  const unit = config.unit_label ? ` ${config.unit_label}` : '';
  return {
    input: { kind: 'quantity', quantity: input.quantity.minus(included) },
    included,
    line: line(`Included: ${qty(included)} of ${qty(config.included_quantity)}${unit}`, included, ZERO, ZERO),
  };
}
