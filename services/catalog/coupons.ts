import type { EntityManager } from 'typeorm';
import { checkCouponReferences } from '../../domain/catalog/catalog-references';
import { normalize } from '../../domain/catalog/normalize';
import { Coupon } from '../../db/entities/catalog/coupon';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { loadCatalogContext } from './catalog-context';
import type { CreateCouponInput, UpdateCouponInput } from './coupon-schemas';
import { archived, assertFuture, codeTaken, insertUnique, invalidCatalog, loadForUpdate, saveChange } from './store';

export function couponRepresentation(c: Coupon) {
  return {
    id: c.id,
    object: 'coupon' as const,
    code: c.code,
    name: c.name,
    discount: c.discount,
    duration: c.duration,
    duration_periods: c.durationPeriods,
    applies_to: c.appliesTo,
    max_redemptions: c.maxRedemptions,
    redeem_by: c.redeemBy?.toISOString() ?? null,
    times_redeemed: c.timesRedeemed,
    metadata: c.metadata,
    status: c.status,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    version: c.version,
  };
}

export async function createCoupon(tx: EntityManager, ctx: ChangeContext, input: CreateCouponInput): Promise<Coupon> {
  assertFuture(input.redeem_by, 'redeem_by', ctx.now);
  const problems = checkCouponReferences(input.applies_to, await loadCatalogContext(tx, ctx.tenantId));
  if (problems.length > 0) throw invalidCatalog(problems);
  const coupon = tx.create(Coupon, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    code: input.code,
    name: input.name,
    discount: normalize(input.discount),
    duration: input.duration,
    durationPeriods: input.duration_periods ?? null,
    appliesTo: input.applies_to,
    maxRedemptions: input.max_redemptions ?? null,
    redeemBy: input.redeem_by ? new Date(input.redeem_by) : null,
    timesRedeemed: 0,
    metadata: input.metadata ?? {},
    status: 'active',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await insertUnique(tx, Coupon, coupon, () => codeTaken('coupon', input.code));
  await recordChange(tx, ctx, { action: 'coupon.created', resourceType: 'coupon', resourceId: coupon.id, before: null, after: couponRepresentation(coupon) });
  return coupon;
}

export async function getCoupon(tx: EntityManager, tenantId: string, id: string): Promise<Coupon> {
  const coupon = await tx.findOneBy(Coupon, { tenantId, id });
  if (!coupon) throw notFound('coupon', id);
  return coupon;
}

export async function listCoupons(tx: EntityManager, tenantId: string, status: 'active' | 'archived' | 'all', page: PageRequest): Promise<Page<Coupon>> {
  const query = tx.createQueryBuilder(Coupon, 'c').where('c.tenant_id = :tenantId', { tenantId });
  if (status !== 'all') query.andWhere('c.status = :status', { status });
  return paginate(query, 'c', page);
}

export async function updateCoupon(tx: EntityManager, ctx: ChangeContext, id: string, patch: UpdateCouponInput): Promise<Coupon> {
  const coupon = await loadForUpdate(tx, Coupon, ctx.tenantId, id, 'coupon');
  if (coupon.status === 'archived') throw archived('coupon', coupon.code);
  if (patch.max_redemptions != null && patch.max_redemptions < coupon.timesRedeemed) {
    throw new RackrateError('validation_failed', `max_redemptions cannot be below the ${coupon.timesRedeemed} redemptions already made.`, {
      errors: [{ in: 'body', field: 'max_redemptions', code: 'below_redemptions', message: `must be at least ${coupon.timesRedeemed}` }],
    });
  }
  return saveChange(tx, ctx, Coupon, coupon, {
    action: 'coupon.updated',
    resourceType: 'coupon',
    represent: couponRepresentation,
    mutate: (c) => {
      if (patch.name !== undefined) c.name = patch.name;
      if (patch.max_redemptions !== undefined) c.maxRedemptions = patch.max_redemptions;
      if (patch.redeem_by !== undefined) c.redeemBy = patch.redeem_by === null ? null : new Date(patch.redeem_by);
      if (patch.metadata !== undefined) c.metadata = patch.metadata;
    },
  });
}

/** An archived coupon can no longer be redeemed; subscriptions that already have it keep the discount. */
export async function archiveCoupon(tx: EntityManager, ctx: ChangeContext, id: string): Promise<Coupon> {
  const coupon = await loadForUpdate(tx, Coupon, ctx.tenantId, id, 'coupon');
  return saveChange(tx, ctx, Coupon, coupon, {
    action: 'coupon.archived',
    resourceType: 'coupon',
    represent: couponRepresentation,
    mutate: (c) => {
      c.status = 'archived';
    },
  });
}
