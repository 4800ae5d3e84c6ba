import { z } from 'zod';
import { Decimal, sum, ZERO } from '../../money/decimal';
import { nonNegativeDecimal } from '../decimal-input';
import type { TransactionsInput } from '../inputs';
import { line, priceText, qty, ratingOf, type BreakdownLine, type Rating } from '../rating';

/**
 * Percentage pricing on transactions, e.g. card payments a provider
 * processes for its tenants: per transaction, `percent` of its amount plus
 * `fixed_fee`, clamped to `min_fee` and `max_fee` when set.
 *
 * 2.9% + 0.30, minimum 0.50, maximum 25.00, on 10.00, 5.00 and 1000.00:
 * 0.59; 0.445 raised to 0.50; 29.30 capped at 25.00; total 26.09.
 *
 * Lines stay readable for 10,000 transactions: one for the percentage of
 * the total volume (29.435), one for the fixed fees (0.90), and one each for
 * the raises to the minimum (+0.055) and the caps at the maximum (−4.30),
 * each line present only when it has transactions. Amounts are positive
 * charges; refunds are not transactions here and are refused.
 */
const percent = nonNegativeDecimal.refine((value) => value.lessThanOrEqualTo(100), 'must be between 0 and 100');

export const percentageConfig = z
  .strictObject({
    model: z.literal('percentage'),
    /** e.g. "2.9" for 2.9%. */
    percent,
    fixed_fee: nonNegativeDecimal.optional(),
    min_fee: nonNegativeDecimal.optional(),
    max_fee: nonNegativeDecimal.optional(),
  })
  .superRefine(
    (config, ctx) => {
      // Compared only when both parsed: a bad value already has its own issue.
      const { min_fee: low, max_fee: high } = config;
      if (Decimal.isDecimal(low) && Decimal.isDecimal(high) && low.greaterThan(high)) {
        ctx.addIssue({ code: 'custom', path: ['min_fee'], message: `must not be greater than max_fee (${high.toFixed()})` });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type PercentageConfig = z.output<typeof percentageConfig>;

function count(n: number): string {
  return n === 1 ? '1 transaction' : `${n} transactions`;
}

export function ratePercentage(config: PercentageConfig, input: TransactionsInput): Rating {
  if (input.amounts.some((amount) => amount.isNegative())) throw new RangeError('the percentage model cannot rate a negative transaction');
  const rate = config.percent.dividedBy(100);
  const fixed = config.fixed_fee ?? ZERO;
  const n = input.amounts.length;
  const volume = sum(input.amounts);
  const raises: Decimal[] = [];
  const caps: Decimal[] = [];
  for (const amount of input.amounts) {
    const fee = amount.times(rate).plus(fixed);
    if (config.min_fee && fee.lessThan(config.min_fee)) raises.push(config.min_fee.minus(fee));
    else if (config.max_fee && fee.greaterThan(config.max_fee)) caps.push(fee.minus(config.max_fee));
  }

  const lines: BreakdownLine[] = [line(`${config.percent.toFixed()}% of ${qty(volume)} (${count(n)})`, volume, rate, volume.times(rate))];
  if (!fixed.isZero()) lines.push(line(`Fixed fee: ${count(n)} at ${priceText(fixed)}`, new Decimal(n), fixed, fixed.times(n)));
  if (config.min_fee && raises.length > 0) {
    lines.push(line(`Minimum fee: ${count(raises.length)} raised to ${priceText(config.min_fee)}`, new Decimal(raises.length), null, sum(raises)));
  }
  if (config.max_fee && caps.length > 0) {
    lines.push(line(`Maximum fee: ${count(caps.length)} capped at ${priceText(config.max_fee)}`, new Decimal(caps.length), null, sum(caps).negated()));
  }
  return ratingOf(lines, {
    quantity: volume,
    unitPrice: null,
    details: { transactions: n, raised_to_minimum: raises.length, capped_at_maximum: caps.length },
  });
}
