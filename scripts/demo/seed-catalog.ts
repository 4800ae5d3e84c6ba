import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Product } from '../../db/entities/catalog/product';
import { createAssetSchema, createAssetTypeSchema } from '../../services/catalog/asset-schemas';
import { createAssetType } from '../../services/catalog/asset-types';
import { createAsset, transitionAsset } from '../../services/catalog/assets';
import { createBundleSchema } from '../../services/catalog/bundle-schemas';
import { createBundle } from '../../services/catalog/bundles';
import { createCouponSchema, createPromotionCodeSchema } from '../../services/catalog/coupon-schemas';
import { createCoupon } from '../../services/catalog/coupons';
import { createMetricSchema } from '../../services/catalog/metric-schemas';
import { createMetric } from '../../services/catalog/metrics';
import { createPlanSchema } from '../../services/catalog/plan-schemas';
import { createPlan } from '../../services/catalog/plans';
import { createPriceOverrideSchema } from '../../services/catalog/price-override-schemas';
import { createPriceOverride } from '../../services/catalog/price-overrides';
import { createProductSchema } from '../../services/catalog/product-schemas';
import { createProduct } from '../../services/catalog/products';
import { createPromotionCode } from '../../services/catalog/promotion-codes';
import type { ChangeContext } from '../../services/change-context';
import {
  DEMO_ASSET_TYPES,
  DEMO_BUNDLES,
  DEMO_COUPONS,
  DEMO_METRICS,
  DEMO_PLANS,
  DEMO_PRODUCTS,
  DEMO_PROMOTION_CODES,
} from './catalog';

/**
 * Seeds the demo catalogue once per tenant (it is skipped when the tenant
 * has products), so a data directory from before the catalogue existed
 * gets it on its next start. Items go through the API's schemas and services.
 */
export async function seedDemoCatalog(tx: EntityManager, ctx: ChangeContext): Promise<boolean> {
  if ((await tx.countBy(Product, { tenantId: ctx.tenantId })) > 0) return false;
  for (const item of DEMO_PRODUCTS) await createProduct(tx, ctx, createProductSchema.parse(item));
  for (const item of DEMO_METRICS) await createMetric(tx, ctx, createMetricSchema.parse(item));
  for (const item of DEMO_PLANS) await createPlan(tx, ctx, createPlanSchema.parse(item));
  for (const item of DEMO_BUNDLES) await createBundle(tx, ctx, createBundleSchema.parse(item));
  for (const item of DEMO_COUPONS) await createCoupon(tx, ctx, createCouponSchema.parse(item));
  for (const item of DEMO_PROMOTION_CODES) await createPromotionCode(tx, ctx, createPromotionCodeSchema.parse(item));
  for (const item of DEMO_ASSET_TYPES) await createAssetType(tx, ctx, createAssetTypeSchema.parse(item));
  await seedNorthwindContract(tx, ctx);
  return true;
}

/** The master-billing customer's cage: assets in service, and contract pricing for transit. */
async function seedNorthwindContract(tx: EntityManager, ctx: ChangeContext): Promise<void> {
  const site = await tx.findOneBy(Account, { tenantId: ctx.tenantId, externalId: 'CUST-1001-EWR' });
  const parent = await tx.findOneBy(Account, { tenantId: ctx.tenantId, externalId: 'CUST-1001' });
  if (!site || !parent) return;
  // Ordered two weeks before the start of last month, in service since then.
  const activatedAt = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth() - 1, 1));
  const orderedAt = new Date(activatedAt.getTime() - 14 * 86_400_000).toISOString();
  for (const [type, id] of [['cabinet-42u', 'EWR1-CAB-0412'], ['xc-smf', 'EWR1-XC-88817'], ['xc-smf', 'EWR1-XC-88818']] as const) {
    const asset = await createAsset(tx, ctx, createAssetSchema.parse({ account_id: site.id, asset_type: type, provider_asset_id: id, ordered_at: orderedAt }));
    await transitionAsset(tx, ctx, asset.id, 'activate', activatedAt);
  }
  await createAsset(tx, ctx, createAssetSchema.parse({ account_id: site.id, asset_type: 'ipv4-29', provider_asset_id: 'EWR1-IP-203.0.113.8/29' }));
  await createPriceOverride(
    tx,
    ctx,
    createPriceOverrideSchema.parse({
      account_id: parent.id,
      plan: 'colo-full-cabinet',
      currency: 'USD',
      description: 'MSA 2026-014: 500 Mbps commit, 3-year term',
      charges: { transit: { price: { model: 'percentile', commit_mbps: '500', commit_price: '0.40', burst_price: '0.65', port_speed_mbps: '10000' } } },
      minimum_commitment: '5000',
      starts_at: activatedAt.toISOString(),
    }),
  );
}
