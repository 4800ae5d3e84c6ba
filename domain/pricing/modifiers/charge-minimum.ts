import { z } from 'zod';
import { nonNegativeDecimal } from '../decimal-input';
import { line, priceText, ratingOf, type Rating } from '../rating';

/**
 * Minimum commitment on one charge, with true-up: a customer committed to
 * 500.00 of transit a month who uses 320.00 is billed 320.00 plus a
 * "Minimum commitment true-up" line of 180.00; at 650.00 nothing is added.
 * Compare before prepaid credit is drawn (credit pays the bill; it does
 * not count as usage) and round the charge total after the true-up.
 */
export const chargeMinimumConfig = z.strictObject({
  minimum: nonNegativeDecimal,
});
export type ChargeMinimumConfig = z.output<typeof chargeMinimumConfig>;

/** The rating unchanged when it reaches the minimum; otherwise with a true-up line, so its amount is the minimum. */
export function applyChargeMinimum(config: ChargeMinimumConfig, rating: Rating): Rating {
  if (rating.amount.greaterThanOrEqualTo(config.minimum)) return rating;
  const trueUp = line(
    `Minimum commitment true-up (minimum ${priceText(config.minimum)})`,
    null,
    null,
    config.minimum.minus(rating.amount),
  );
  return ratingOf([...rating.lines, trueUp], { quantity: rating.quantity, unitPrice: rating.unitPrice, details: rating.details });
}
