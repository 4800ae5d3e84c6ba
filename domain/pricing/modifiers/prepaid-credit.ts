import { z } from 'zod';
import { max, min, ZERO, type Decimal } from '../../money/decimal';
import { line, type BreakdownLine } from '../rating';

/**
 * Prepaid credit drawdown: a customer bought 1000.00 of remote-hands credit;
 * a 240.00 remote-hands invoice draws 240.00 ("Prepaid credit applied"
 * −240.00), leaving 760.00. A later 900.00 invoice draws the last 760.00
 * and 140.00 is due. Credit never exceeds the amount (an amount of zero or
 * less draws nothing) and never goes below zero. Pass amounts already
 * rounded to the currency so the balance stays in whole minor units.
 */
export const prepaidCreditConfig = z.strictObject({
  /** Names the credit on the invoice, e.g. "remote-hands bundle". */
  label: z.string().min(1).max(100).optional(),
});
export type PrepaidCreditConfig = z.output<typeof prepaidCreditConfig>;

export interface CreditDrawdown {
  /** Credit used: min(amount, balance), never below zero. */
  applied: Decimal;
  /** Balance after the drawdown: balance − applied. */
  remaining: Decimal;
  /** Negative line for −applied; null when nothing was applied. */
  line: BreakdownLine | null;
}

export function applyPrepaidCredit(config: PrepaidCreditConfig, amount: Decimal, balance: Decimal): CreditDrawdown {
  if (balance.isNegative()) throw new RangeError(`a prepaid credit balance cannot be negative (${balance.toFixed()})`);
  const applied = max(ZERO, min(amount, balance));
  const description = config.label ? `Prepaid credit applied (${config.label})` : 'Prepaid credit applied';
  return {
    applied,
    remaining: balance.minus(applied),
    line: applied.isZero() ? null : line(description, null, null, applied.negated()),
  };
}
