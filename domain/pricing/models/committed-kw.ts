import { z } from 'zod';
import { max, ZERO } from '../../money/decimal';
import { nonNegativeDecimal } from '../decimal-input';
import type { QuantityInput } from '../inputs';
import { line, priceText, qty, ratingOf, type Rating } from '../rating';

/**
 * Committed power: the committed kW is billed every period whatever the
 * draw, and the measured kW above it (e.g. the peak 15-minute demand) at
 * the overage price. 5 kW at 150.00 with 5.8 kW measured and overage at
 * 200.00: 750.00 + 0.8 × 200.00 = 910.00. The overage line is shown even
 * at 0, so the invoice says the commitment was respected.
 */
export const committedKwConfig = z.strictObject({
  model: z.literal('committed_kw'),
  committed_kw: nonNegativeDecimal,
  /** Per committed kW per period. */
  price_per_kw: nonNegativeDecimal,
  /** Per kW measured above the commitment. */
  overage_price_per_kw: nonNegativeDecimal,
});
export type CommittedKwConfig = z.output<typeof committedKwConfig>;


export function rateCommittedKw(config: CommittedKwConfig, input: QuantityInput): Rating {
  const measured = input.quantity;
  if (measured.isNegative()) throw new Error(`committed kW: measured ${measured.toFixed()} kW is negative`);
  const overage = max(ZERO, measured.minus(config.committed_kw));
  return ratingOf(
    [
      line(`Committed ${qty(config.committed_kw)} kW at ${priceText(config.price_per_kw)}`, config.committed_kw, config.price_per_kw, config.committed_kw.times(config.price_per_kw)),
      line(
        `Overage ${qty(overage)} kW above ${qty(config.committed_kw)} kW committed (${qty(measured)} kW measured) at ${priceText(config.overage_price_per_kw)}`,
        overage,
        config.overage_price_per_kw,
        overage.times(config.overage_price_per_kw),
      ),
    ],
    { quantity: measured, unitPrice: null, details: { measured_kw: measured.toFixed(), committed_kw: config.committed_kw.toFixed(), overage_kw: overage.toFixed() } },
  );
}
