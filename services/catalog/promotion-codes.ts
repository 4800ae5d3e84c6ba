import type { EntityManager } from 'typeorm';
import { checkPromotionCodeReferences } from '../../domain/catalog/catalog-references';
import { Coupon } from '../../db/entities/catalog/coupon';
import { PromotionCode } from '../../db/entities/catalog/promotion-code';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { loadCatalogContext } from './catalog-context';
import type { CreatePromotionCodeInput } from './coupon-schemas';
import { assertFuture, insertUnique, invalidCatalog, loadForUpdate, saveChange } from './store';

export function promotionCodeRepresentation(p: PromotionCode) {
  return {
    id: p.id,
    object: 'promotion_code' as const,
    code: p.code,
    coupon_id: p.couponId,
    max_redemptions: p.maxRedemptions,
    expires_at: p.expiresAt?.toISOString() ?? null,
    first_time_only: p.firstTimeOnly,
    active: p.active,
    times_redeemed: p.timesRedeemed,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    version: p.version,
  };
}

export async function createPromotionCode(tx: EntityManager, ctx: ChangeContext, input: CreatePromotionCodeInput): Promise<PromotionCode> {
  assertFuture(input.expires_at, 'expires_at', ctx.now);
  const problems = checkPromotionCodeReferences(input.coupon, await loadCatalogContext(tx, ctx.tenantId));
  if (problems.length > 0) throw invalidCatalog(problems);
  const coupon = await tx.findOneByOrFail(Coupon, { tenantId: ctx.tenantId, code: input.coupon });
  const promotion = tx.create(PromotionCode, {
    tenantId: ctx.tenantId,
    id: uuidv7(ctx.now.getTime()),
    couponId: coupon.id,
    code: input.code,
    maxRedemptions: input.max_redemptions ?? null,
    expiresAt: input.expires_at ? new Date(input.expires_at) : null,
    firstTimeOnly: input.first_time_only,
    active: true,
    timesRedeemed: 0,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await insertUnique(tx, PromotionCode, promotion, () =>
    new RackrateError('code_taken', `Another promotion code is already "${input.code}" (codes match ignoring case).`, {
      errors: [{ in: 'body', field: 'code', code: 'taken', message: 'is already used by another promotion code (ignoring case)' }],
    }),
  );
  await recordChange(tx, ctx, { action: 'promotion_code.created', resourceType: 'promotion_code', resourceId: promotion.id, before: null, after: promotionCodeRepresentation(promotion) });
  return promotion;
}

export async function getPromotionCode(tx: EntityManager, tenantId: string, id: string): Promise<PromotionCode> {
  const promotion = await tx.findOneBy(PromotionCode, { tenantId, id });
  if (!promotion) throw notFound('promotion code', id);
  return promotion;
}

export async function listPromotionCodes(
  tx: EntityManager,
  tenantId: string,
  filter: { code?: string | undefined; couponId?: string | undefined },
  page: PageRequest,
): Promise<Page<PromotionCode>> {
  const query = tx.createQueryBuilder(PromotionCode, 'p').where('p.tenant_id = :tenantId', { tenantId });
  if (filter.code) query.andWhere('lower(p.code) = lower(:code)', { code: filter.code });
  if (filter.couponId) query.andWhere('p.coupon_id = :couponId', { couponId: filter.couponId });
  return paginate(query, 'p', page);
}

export async function deactivatePromotionCode(tx: EntityManager, ctx: ChangeContext, id: string): Promise<PromotionCode> {
  const promotion = await loadForUpdate(tx, PromotionCode, ctx.tenantId, id, 'promotion code');
  return saveChange(tx, ctx, PromotionCode, promotion, {
    action: 'promotion_code.deactivated',
    resourceType: 'promotion_code',
    represent: promotionCodeRepresentation,
    mutate: (p) => {
      p.active = false;
    },
  });
}
