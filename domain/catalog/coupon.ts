import { z } from 'zod';
import { perCurrency } from '../../lib/schema-primitives';
import { percent, positiveDecimal } from '../pricing/decimal-input';
import type { Normalized } from './normalize';
import { catalogCode } from './status';

/**
 * A coupon: a percent or fixed-amount discount (amounts per currency), for
 * one period, N periods or forever, optionally only on some plans or
 * products, with redemption limits and a last redemption date. Counting
 * redemptions and applying discounts happen with subscriptions and invoices.
 */
export const couponDiscountSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('percent'), percent_off: percent.refine((p) => p.greaterThan(0), 'must be greater than 0') }),
  z.strictObject({
    type: z.literal('amount'),
    amount_off: perCurrency(positiveDecimal)
      .refine((m) => Object.keys(m).length > 0, 'must give an amount in at least one currency'),
  }),
]);
export type CouponDiscount = Normalized<z.output<typeof couponDiscountSchema>>;

export const COUPON_DURATIONS = ['once', 'repeating', 'forever'] as const;
export type CouponDuration = (typeof COUPON_DURATIONS)[number];

/** Absent means no restriction; an empty list would mean "nothing", so it is refused. */
export const couponAppliesToSchema = z.strictObject({
  plans: z.array(catalogCode).min(1, 'must name at least one plan (leave it out to allow any)').max(100).optional(),
  products: z.array(catalogCode).min(1, 'must name at least one product (leave it out to allow any)').max(100).optional(),
});
export type CouponAppliesTo = z.output<typeof couponAppliesToSchema>;
