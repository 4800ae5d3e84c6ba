import type { EntityManager } from 'typeorm';
import { Coupon } from '../../db/entities/catalog/coupon';
import { PromotionCode } from '../../db/entities/catalog/promotion-code';
import { CouponRedemption } from '../../db/entities/subscriptions/coupon-redemption';
import type { AppliedCoupon } from '../../domain/subscriptions/subscription-terms';
import { RackrateError } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';

/**
 * Coupons and promotion codes on subscriptions: whether one can be redeemed
 * here and now (active, not expired, under its limits, first-time rule, the
 * plan and currency), and the redemption itself, which counts toward the
 * limits under a guarded UPDATE so two concurrent sign-ups cannot both take
 * the last redemption.
 */
export interface PromotionRequest {
  coupon?: string | undefined;
  promotion_code?: string | undefined;
}

export interface ResolvedPromotion {
  applied: AppliedCoupon;
  coupon: Coupon;
  promotion: PromotionCode | null;
}

function refused(field: string, code: string, message: string): RackrateError {
  return new RackrateError('promotion_not_redeemable', `${field}: ${message}`, { errors: [{ in: 'body', field, code, message }] });
}

export async function resolvePromotion(
  tx: EntityManager,
  tenantId: string,
  request: PromotionRequest,
  context: { accountId: string; currency: string; planCodes: string[]; now: Date },
): Promise<ResolvedPromotion | null> {
  if (request.coupon !== undefined && request.promotion_code !== undefined) {
    throw new RackrateError('validation_failed', 'Give coupon or promotion_code, not both.', {
      errors: [{ in: 'body', field: 'promotion_code', code: 'conflicts', message: 'cannot be combined with coupon' }],
    });
  }
  let promotion: PromotionCode | null = null;
  let coupon: Coupon | null;
  let field: string;
  if (request.promotion_code !== undefined) {
    field = 'promotion_code';
    promotion = await tx
      .createQueryBuilder(PromotionCode, 'p')
      .where('p.tenant_id = :tenantId AND lower(p.code) = lower(:code)', { tenantId, code: request.promotion_code })
      .getOne();
    if (!promotion) throw refused(field, 'unknown', `there is no promotion code "${request.promotion_code}"`);
    if (!promotion.active) throw refused(field, 'inactive', 'has been deactivated');
    if (promotion.expiresAt && promotion.expiresAt <= context.now) throw refused(field, 'expired', `expired at ${promotion.expiresAt.toISOString()}`);
    if (promotion.maxRedemptions !== null && promotion.timesRedeemed >= promotion.maxRedemptions) {
      throw refused(field, 'exhausted', `has been redeemed ${promotion.timesRedeemed} times, its limit`);
    }
    if (promotion.firstTimeOnly) {
      const earlier: unknown[] = await tx.query(`SELECT 1 FROM subscriptions WHERE tenant_id = $1 AND account_id = $2 LIMIT 1`, [tenantId, context.accountId]);
      if (earlier.length > 0) throw refused(field, 'first_time_only', 'is only for customers without an earlier subscription');
    }
    coupon = await tx.findOneBy(Coupon, { tenantId, id: promotion.couponId });
  } else if (request.coupon !== undefined) {
    field = 'coupon';
    coupon = await tx.findOneBy(Coupon, { tenantId, code: request.coupon });
    if (!coupon) throw refused(field, 'unknown', `there is no coupon "${request.coupon}"`);
  } else {
    return null;
  }
  if (!coupon) throw refused(field, 'unknown', 'refers to a coupon that no longer exists');
  if (coupon.status === 'archived') throw refused(field, 'inactive', `coupon ${coupon.code} is archived`);
  if (coupon.redeemBy && coupon.redeemBy <= context.now) throw refused(field, 'expired', `coupon ${coupon.code} could be redeemed until ${coupon.redeemBy.toISOString()}`);
  if (coupon.maxRedemptions !== null && coupon.timesRedeemed >= coupon.maxRedemptions) {
    throw refused(field, 'exhausted', `coupon ${coupon.code} has been redeemed ${coupon.timesRedeemed} times, its limit`);
  }
  const plans = coupon.appliesTo.plans;
  if (plans && !context.planCodes.some((p) => plans.includes(p))) {
    throw refused(field, 'not_applicable', `coupon ${coupon.code} applies only to ${plans.join(', ')}`);
  }
  let discount: AppliedCoupon['discount'];
  if (coupon.discount.type === 'percent') {
    discount = { type: 'percent', percentOff: coupon.discount.percent_off };
  } else {
    const amount = coupon.discount.amount_off[context.currency];
    if (amount === undefined) throw refused(field, 'no_amount_in_currency', `coupon ${coupon.code} has no amount in ${context.currency}`);
    discount = { type: 'amount', amountOff: amount };
  }
  const applied: AppliedCoupon = {
    couponId: coupon.id, code: coupon.code, promotionCodeId: promotion?.id ?? null, discount,
    appliesTo: { plans: coupon.appliesTo.plans, products: coupon.appliesTo.products },
    duration: coupon.duration,
    periodsRemaining: coupon.duration === 'once' ? 1 : coupon.duration === 'repeating' ? coupon.durationPeriods : null,
  };
  return { applied, coupon, promotion };
}

/** Counts the redemption; refuses (and the caller's transaction rolls back) when a limit was reached meanwhile. */
export async function redeemPromotion(tx: EntityManager, tenantId: string, resolved: ResolvedPromotion, accountId: string, subscriptionId: string, now: Date): Promise<void> {
  const field = resolved.promotion ? 'promotion_code' : 'coupon';
  const [, couponRows] = (await tx.query(
    `UPDATE coupons SET times_redeemed = times_redeemed + 1
      WHERE tenant_id = $1 AND id = $2 AND (max_redemptions IS NULL OR times_redeemed < max_redemptions)`,
    [tenantId, resolved.coupon.id],
  )) as [unknown, number];
  if (couponRows === 0) throw refused(field, 'exhausted', `coupon ${resolved.coupon.code} reached its redemption limit`);
  if (resolved.promotion) {
    const [, promoRows] = (await tx.query(
      `UPDATE promotion_codes SET times_redeemed = times_redeemed + 1
        WHERE tenant_id = $1 AND id = $2 AND (max_redemptions IS NULL OR times_redeemed < max_redemptions)`,
      [tenantId, resolved.promotion.id],
    )) as [unknown, number];
    if (promoRows === 0) throw refused(field, 'exhausted', 'reached its redemption limit');
  }
  await tx.insert(CouponRedemption, {
    tenantId, id: uuidv7(now.getTime()), couponId: resolved.coupon.id, promotionCodeId: resolved.promotion?.id ?? null,
    accountId, subscriptionId, redeemedAt: now,
  });
}
