import { z } from 'zod';
import { max, min, ZERO } from '../../money/decimal';
import { decimalWhere, nonNegativeDecimal } from '../decimal-input';
import type { QuantityInput } from '../inputs';
import { line, priceText, qty, ratingOf, type BreakdownLine, type Rating } from '../rating';

/**
 * Metered energy: the kWh the customer's PDUs recorded, less an included
 * allowance, times a PUE factor for the facility's cooling and losses, at
 * price_per_kwh. The allowance is deducted BEFORE the PUE factor: it is
 * stated in the kWh the customer's own meter shows, so the invoice
 * reconciles with the PDU reading; PUE then applies to what is billed.
 * 1,200 kWh metered, 500 included, PUE 1.4, 0.12 per kWh:
 * (1,200 − 500) × 1.4 = 980 kWh × 0.12 = 117.60.
 */
const pue = decimalWhere((value) => value.greaterThanOrEqualTo(1), 'must be at least 1');

export const meteredKwhConfig = z.strictObject({
  model: z.literal('metered_kwh'),
  price_per_kwh: nonNegativeDecimal,
  /** Power usage effectiveness multiplier, e.g. "1.4"; "1" bills the metered kWh as is. */
  pue: pue.prefault('1'),
  /** Metered (IT) kWh included per period, deducted before PUE. */
  included_kwh: nonNegativeDecimal.prefault('0'),
});
export type MeteredKwhConfig = z.output<typeof meteredKwhConfig>;


export function rateMeteredKwh(config: MeteredKwhConfig, input: QuantityInput): Rating {
  const metered = input.quantity;
  if (metered.isNegative()) throw new Error(`metered kWh: ${metered.toFixed()} kWh is negative (a meter reset must be resolved by metering)`);
  const included = min(metered, config.included_kwh);
  const aboveAllowance = max(ZERO, metered.minus(config.included_kwh));
  const billed = aboveAllowance.times(config.pue);
  const lines: BreakdownLine[] = [];
  if (config.included_kwh.greaterThan(0)) {
    lines.push(line(`Included ${qty(included)} kWh of ${qty(config.included_kwh)} kWh allowance`, included, ZERO, ZERO));
  }
  const steps = [`${qty(aboveAllowance)} kWh metered${config.included_kwh.greaterThan(0) ? ' above allowance' : ''}`];
  if (!config.pue.equals(1)) steps.push(`× PUE ${qty(config.pue)} = ${qty(billed)} kWh`);
  lines.push(line(`${steps.join(' ')} at ${priceText(config.price_per_kwh)}`, billed, config.price_per_kwh, billed.times(config.price_per_kwh)));
  return ratingOf(lines, {
    quantity: billed,
    unitPrice: config.price_per_kwh,
    details: {
      metered_kwh: metered.toFixed(),
      included_kwh: config.included_kwh.toFixed(),
      included_used_kwh: included.toFixed(),
      pue: config.pue.toFixed(),
      billed_kwh: billed.toFixed(),
    },
  });
}
