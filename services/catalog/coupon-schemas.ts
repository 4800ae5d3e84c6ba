import { z } from 'zod';
import { COUPON_DURATIONS, couponAppliesToSchema, couponDiscountSchema } from '../../domain/catalog/coupon';
import { CATALOG_STATUSES, catalogCode } from '../../domain/catalog/status';
import { text, timestamp, uuid } from '../../lib/schema-primitives';
import { metadataSchema } from '../accounts/account-schemas';

export const createCouponSchema = z
  .strictObject({
    code: catalogCode.meta({ example: 'first-quarter-half-off' }),
    name: text(200),
    discount: couponDiscountSchema,
    duration: z.enum(COUPON_DURATIONS).meta({ description: 'once: first period; repeating: duration_periods periods; forever.' }),
    duration_periods: z.int().min(1).max(120).optional(),
    applies_to: couponAppliesToSchema.default({}),
    max_redemptions: z.int().min(1).optional(),
    redeem_by: timestamp.optional().meta({ description: 'Last moment the coupon can be redeemed.' }),
    metadata: metadataSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.duration === 'repeating' && c.duration_periods === undefined) {
      ctx.addIssue({ code: 'custom', path: ['duration_periods'], message: 'is required when duration is repeating' });
    }
    if (c.duration !== 'repeating' && c.duration_periods !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['duration_periods'], message: 'is only for duration repeating' });
    }
  })
  .meta({ id: 'CreateCoupon' });
export type CreateCouponInput = z.output<typeof createCouponSchema>;

export const updateCouponSchema = z
  .strictObject({
    name: text(200).optional(),
    max_redemptions: z.int().min(1).nullish(),
    redeem_by: timestamp.nullish(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: 'UpdateCoupon', description: 'The discount and duration cannot change once created: redemptions rely on them.' });
export type UpdateCouponInput = z.output<typeof updateCouponSchema>;

export const couponSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('coupon'),
    code: z.string(),
    name: z.string(),
    discount: z.record(z.string(), z.unknown()),
    duration: z.enum(COUPON_DURATIONS),
    duration_periods: z.int().nullable(),
    applies_to: z.object({ plans: z.array(z.string()).optional(), products: z.array(z.string()).optional() }),
    max_redemptions: z.int().nullable(),
    redeem_by: timestamp.nullable(),
    times_redeemed: z.int(),
    metadata: z.record(z.string(), z.string()),
    status: z.enum(CATALOG_STATUSES),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'Coupon' });

export const createPromotionCodeSchema = z
  .strictObject({
    code: z
      .string()
      .regex(/^[A-Za-z0-9_-]{3,40}$/, 'must be 3-40 letters, digits, "_" or "-"')
      .meta({ description: 'What the customer types; matched ignoring case.', example: 'COLO2027' }),
    coupon: catalogCode.meta({ description: 'Code of the coupon it redeems.' }),
    max_redemptions: z.int().min(1).optional(),
    expires_at: timestamp.optional(),
    first_time_only: z.boolean().default(false).meta({ description: 'Only for accounts without an earlier subscription.' }),
  })
  .meta({ id: 'CreatePromotionCode' });
export type CreatePromotionCodeInput = z.output<typeof createPromotionCodeSchema>;

export const promotionCodeSchema = z
  .strictObject({
    id: uuid,
    object: z.literal('promotion_code'),
    code: z.string(),
    coupon_id: uuid,
    max_redemptions: z.int().nullable(),
    expires_at: timestamp.nullable(),
    first_time_only: z.boolean(),
    active: z.boolean(),
    times_redeemed: z.int(),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.int(),
  })
  .meta({ id: 'PromotionCode' });
