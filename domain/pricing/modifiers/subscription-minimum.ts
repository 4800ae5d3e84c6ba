import { z } from 'zod';
import { sum, type Decimal } from '../../money/decimal';
import { nonNegativeDecimal } from '../decimal-input';
import { line, priceText, type BreakdownLine } from '../rating';

/**
 * Minimum commitment across all of a subscription's charges for a period: a
 * colocation contract committing 5000.00 a month whose power, space and
 * bandwidth charges come to 4200.00 gets a true-up line of 800.00; at
 * 5100.00 it gets none. Pass every charge's amount for the period (credits
 * from proration included, prepaid credit drawdown not).
 */
export const subscriptionMinimumConfig = z.strictObject({
  minimum: nonNegativeDecimal,
});
export type SubscriptionMinimumConfig = z.output<typeof subscriptionMinimumConfig>;

/** The true-up line when the charges fall short of the minimum, null when they reach it. */
export function subscriptionMinimumTrueUp(config: SubscriptionMinimumConfig, chargeAmounts: readonly Decimal[]): BreakdownLine | null {
  const total = sum(chargeAmounts);
  if (total.greaterThanOrEqualTo(config.minimum)) return null;
  return line(
    `Subscription minimum commitment true-up (minimum ${priceText(config.minimum)}, charges ${priceText(total)})`,
    null,
    null,
    config.minimum.minus(total),
  );
}
