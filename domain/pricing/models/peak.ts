import { z } from 'zod';
import { max, ZERO } from '../../money/decimal';
import { nonNegativeDecimal } from '../decimal-input';
import type { SeriesInput } from '../inputs';
import { line, priceText, qty, ratingOf, type BreakdownLine, type Rating } from '../rating';

/**
 * Peak demand: the highest value of the period (typically the 15-minute
 * average kW) prices the whole period. Without a commitment the peak is
 * billed at unit_price: a 6.2 kW peak at 20.00 per kW = 124.00. With
 * `committed` (and `commit_price`), the commitment is billed always and only
 * the peak above it at unit_price: 5 kW at 18.00 + (6.2 − 5) kW at 25.00 =
 * 90.00 + 30.00 = 120.00. The slot that set the peak is reported, so
 * support can point at the 15 minutes that cost the customer.
 */
/** Cross-field rules run even when a field failed, so the catalogue lists every problem at once. */
const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

export const peakConfig = z
  .strictObject({
    model: z.literal('peak'),
    /** Per unit of peak (above `committed`, when set). */
    unit_price: nonNegativeDecimal,
    /** Word for the unit on the invoice line; "kW" unless set. */
    unit_label: z.string().min(1).max(20).optional(),
    committed: nonNegativeDecimal.optional(),
    /** Per committed unit, billed whatever the peak; required with `committed`. */
    commit_price: nonNegativeDecimal.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.committed !== undefined && config.commit_price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['commit_price'], message: 'is required when committed is set' });
    }
    if (config.committed === undefined && config.commit_price !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['committed'], message: 'is required when commit_price is set' });
    }
  }, EVEN_WITH_FIELD_ERRORS);
export type PeakConfig = z.output<typeof peakConfig>;


export function ratePeak(config: PeakConfig, input: SeriesInput): Rating {
  const first = input.values[0];
  if (first === undefined) throw new Error('peak pricing needs at least one value in the period');
  let peak = first;
  let at = 0;
  input.values.forEach((value, i) => {
    if (value.isNegative()) throw new Error(`peak pricing: value ${value.toFixed()} at index ${i} is negative`);
    if (value.greaterThan(peak)) {
      peak = value;
      at = i;
    }
  });

  const unit = config.unit_label ?? 'kW';
  const lines: BreakdownLine[] = [];
  let billed = peak;
  let label = `Peak ${qty(peak)} ${unit} at ${priceText(config.unit_price)}`;
  if (config.committed !== undefined && config.commit_price !== undefined) {
    lines.push(line(`Committed ${qty(config.committed)} ${unit} at ${priceText(config.commit_price)}`, config.committed, config.commit_price, config.committed.times(config.commit_price)));
    billed = max(ZERO, peak.minus(config.committed));
    label = `Peak ${qty(peak)} ${unit}: ${qty(billed)} ${unit} above commit at ${priceText(config.unit_price)}`;
  }
  lines.push(line(label, billed, config.unit_price, billed.times(config.unit_price)));
  return ratingOf(lines, {
    quantity: peak,
    unitPrice: config.unit_price,
    details: {
      peak: peak.toFixed(),
      peak_index: at,
      values: input.values.length,
      committed: config.committed?.toFixed() ?? null,
    },
  });
}
