import type { EntityManager } from 'typeorm';
import { itemKey, type CatalogSection } from '../../domain/catalog/catalog-file';
import type { CurrentItem } from '../../domain/catalog/catalog-diff';
import type { ReferenceContext } from '../../domain/catalog/catalog-references';
import type { AggregationType } from '../../domain/catalog/metric';
import { AssetType } from '../../db/entities/catalog/asset-type';
import { BillableMetric } from '../../db/entities/catalog/billable-metric';
import { Bundle } from '../../db/entities/catalog/bundle';
import { Coupon } from '../../db/entities/catalog/coupon';
import { Plan } from '../../db/entities/catalog/plan';
import { PlanVersion } from '../../db/entities/catalog/plan-version';
import { Product } from '../../db/entities/catalog/product';
import { PromotionCode } from '../../db/entities/catalog/promotion-code';

/**
 * The tenant's whole catalogue in file form (archived items included),
 * keyed by item code, as export writes it and the diff compares it.
 * Catalogues are hundreds of rows, so everything is read at once.
 */
export type CatalogState = Record<CatalogSection, Map<string, CurrentItem>>;

function keyed(section: CatalogSection, items: CurrentItem[]): Map<string, CurrentItem> {
  return new Map(items.map((item) => [itemKey(section, String(item.file.code)), item]));
}

async function currentVersions(tx: EntityManager, tenantId: string): Promise<Map<string, PlanVersion>> {
  const versions = await tx
    .createQueryBuilder(PlanVersion, 'v')
    .innerJoin(Plan, 'p', 'p.tenant_id = v.tenant_id AND p.id = v.plan_id AND p.current_version = v.version')
    .where('v.tenant_id = :tenantId', { tenantId })
    .getMany();
  return new Map(versions.map((v) => [v.planId, v]));
}

export async function loadCatalogState(tx: EntityManager, tenantId: string): Promise<CatalogState> {
  const where = { where: { tenantId } };
  // One query at a time: a transaction is one connection.
  const products = await tx.find(Product, where);
  const metrics = await tx.find(BillableMetric, where);
  const plans = await tx.find(Plan, where);
  const versions = await currentVersions(tx, tenantId);
  const bundles = await tx.find(Bundle, where);
  const coupons = await tx.find(Coupon, where);
  const promotions = await tx.find(PromotionCode, where);
  const assetTypes = await tx.find(AssetType, where);
  const productCodes = new Map(products.map((p) => [p.id, p.code]));
  const couponCodes = new Map(coupons.map((c) => [c.id, c.code]));

  return {
    products: keyed('products', products.map((p) => ({
      id: p.id,
      file: { code: p.code, name: p.name, description: p.description, unit_label: p.unitLabel, gl_code: p.glCode, tax_code: p.taxCode, metadata: p.metadata, status: p.status },
    }))),
    billable_metrics: keyed('billable_metrics', metrics.map((m) => ({
      id: m.id,
      file: {
        code: m.code, name: m.name, description: m.description, event_name: m.eventName, aggregation: m.aggregation,
        filters: m.filters, group_by: m.groupBy, unit_label: m.unitLabel, status: m.status,
      },
    }))),
    plans: keyed('plans', plans.map((p) => ({
      id: p.id,
      currentVersion: p.currentVersion,
      file: {
        code: p.code, kind: p.kind, name: p.name, description: p.description, metadata: p.metadata, status: p.status,
        definition: versions.get(p.id)?.definition ?? null,
      },
    }))),
    bundles: keyed('bundles', bundles.map((b) => ({
      id: b.id,
      file: { code: b.code, name: b.name, description: b.description, items: b.items, discount: b.discount, metadata: b.metadata, status: b.status },
    }))),
    coupons: keyed('coupons', coupons.map((c) => ({
      id: c.id,
      timesRedeemed: c.timesRedeemed,
      file: {
        code: c.code, name: c.name, discount: c.discount, duration: c.duration, duration_periods: c.durationPeriods, applies_to: c.appliesTo,
        max_redemptions: c.maxRedemptions, redeem_by: c.redeemBy?.toISOString() ?? null, metadata: c.metadata, status: c.status,
      },
    }))),
    promotion_codes: keyed('promotion_codes', promotions.map((p) => ({
      id: p.id,
      file: {
        code: p.code, coupon: couponCodes.get(p.couponId) ?? null, max_redemptions: p.maxRedemptions,
        expires_at: p.expiresAt?.toISOString() ?? null, first_time_only: p.firstTimeOnly, active: p.active,
      },
    }))),
    asset_types: keyed('asset_types', assetTypes.map((t) => ({
      id: t.id,
      file: {
        code: t.code, name: t.name, description: t.description, product: productCodes.get(t.productId) ?? null, category: t.category,
        prices: t.prices, metadata: t.metadata, status: t.status,
      },
    }))),
  };
}

/** What new and changed items may refer to, as the catalogue stands. */
export function referenceContextOf(state: CatalogState): ReferenceContext {
  const status = (item: CurrentItem) => (item.file.status === 'archived' ? 'archived' : 'active') as 'active' | 'archived';
  const entries = <V>(section: CatalogSection, value: (item: CurrentItem) => V) =>
    new Map([...state[section].values()].map((item) => [String(item.file.code), value(item)]));
  return {
    products: entries('products', (p) => ({ status: status(p) })),
    metrics: entries('billable_metrics', (m) => ({ status: status(m), aggregation: (m.file.aggregation as { type: AggregationType }).type })),
    plans: entries('plans', (p) => ({
      status: status(p),
      kind: p.file.kind === 'addon' ? ('addon' as const) : ('plan' as const),
      appliesTo: (p.file.definition as { applies_to_plans?: string[] } | null)?.applies_to_plans ?? null,
    })),
    coupons: entries('coupons', (c) => ({ status: status(c) })),
  };
}
