import type { EntityManager } from 'typeorm';
import { STATE_FIELD, type CatalogSection } from '../../domain/catalog/catalog-file';
import type { CatalogChange } from '../../domain/catalog/catalog-diff';
import type { ChangeContext } from '../change-context';
import { archiveAssetType, createAssetType, updateAssetType } from './asset-types';
import { archiveBundle, createBundle, updateBundle } from './bundles';
import type { CatalogFile, ReadItem, SectionInputs } from './catalog-read';
import { archiveCoupon, createCoupon, updateCoupon } from './coupons';
import { archiveMetric, createMetric, updateMetric } from './metrics';
import { archivePlan, createPlan, publishPlanVersion, updatePlan } from './plans';
import { archiveProduct, createProduct, updateProduct } from './products';
import { createPromotionCode, deactivatePromotionCode } from './promotion-codes';

/**
 * Carries out one change of a catalogue file through the catalogue's own
 * services, so every write is checked, audited and announced exactly as
 * through the API. Updates send only the fields that changed (a bundle whose
 * name changed does not re-check its contents); archiving or deactivating
 * comes last, after the item's other changes.
 */
interface SectionOps<S extends CatalogSection> {
  create(tx: EntityManager, ctx: ChangeContext, input: SectionInputs[S]): Promise<string>;
  update(tx: EntityManager, ctx: ChangeContext, id: string, input: SectionInputs[S], fields: readonly string[]): Promise<unknown>;
  /** Archive, or for promotion codes deactivate. */
  retire(tx: EntityManager, ctx: ChangeContext, id: string): Promise<unknown>;
}

/** The changed fields of a full update body. */
function pick<T extends object>(full: T, fields: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(full).filter(([field]) => fields.includes(field))) as Partial<T>;
}

const OPS: { [S in CatalogSection]: SectionOps<S> } = {
  products: {
    create: async (tx, ctx, i) => (await createProduct(tx, ctx, i)).id,
    update: (tx, ctx, id, i, fields) =>
      updateProduct(tx, ctx, id, pick({
        name: i.name, description: i.description ?? null, unit_label: i.unit_label ?? null,
        gl_code: i.gl_code ?? null, tax_code: i.tax_code ?? null, metadata: i.metadata ?? {},
      }, fields)),
    retire: archiveProduct,
  },
  billable_metrics: {
    create: async (tx, ctx, i) => (await createMetric(tx, ctx, i)).id,
    update: (tx, ctx, id, i, fields) =>
      updateMetric(tx, ctx, id, pick({ name: i.name, description: i.description ?? null, unit_label: i.unit_label ?? null }, fields)),
    retire: archiveMetric,
  },
  plans: {
    create: async (tx, ctx, i) => (await createPlan(tx, ctx, i)).plan.id,
    async update(tx, ctx, id, i, fields) {
      const patch = pick({ name: i.name, description: i.description ?? null, metadata: i.metadata ?? {} }, fields);
      if (Object.keys(patch).length > 0) await updatePlan(tx, ctx, id, patch);
      if (fields.includes('definition')) await publishPlanVersion(tx, ctx, id, i.definition);
    },
    retire: archivePlan,
  },
  bundles: {
    create: async (tx, ctx, i) => (await createBundle(tx, ctx, i)).id,
    update: (tx, ctx, id, i, fields) =>
      updateBundle(tx, ctx, id, pick({
        name: i.name, description: i.description ?? null, items: i.items, discount: i.discount ?? null, metadata: i.metadata ?? {},
      }, fields)),
    retire: archiveBundle,
  },
  coupons: {
    create: async (tx, ctx, i) => (await createCoupon(tx, ctx, i)).id,
    update: (tx, ctx, id, i, fields) =>
      updateCoupon(tx, ctx, id, pick({
        name: i.name, max_redemptions: i.max_redemptions ?? null, redeem_by: i.redeem_by ?? null, metadata: i.metadata ?? {},
      }, fields)),
    retire: archiveCoupon,
  },
  promotion_codes: {
    create: async (tx, ctx, i) => (await createPromotionCode(tx, ctx, i)).id,
    // Nothing of a promotion code changes but whether it is active (the diff reports any other difference).
    update: async () => undefined,
    retire: deactivatePromotionCode,
  },
  asset_types: {
    create: async (tx, ctx, i) => (await createAssetType(tx, ctx, i)).id,
    update: (tx, ctx, id, i, fields) =>
      updateAssetType(tx, ctx, id, pick({ name: i.name, description: i.description ?? null, prices: i.prices, metadata: i.metadata ?? {} }, fields)),
    retire: archiveAssetType,
  },
};

async function executeIn<S extends CatalogSection>(tx: EntityManager, ctx: ChangeContext, section: S, change: CatalogChange, file: CatalogFile): Promise<string> {
  const ops: SectionOps<S> = OPS[section];
  const item = (file[section] as Array<ReadItem<S>>).find((candidate) => candidate.index === change.index);
  if (!item) throw new Error(`catalogue change ${change.section}[${String(change.index)}] has no item in the file`);
  const stateField = STATE_FIELD[section];
  const creates = change.action === 'create';
  let id = change.id;
  if (creates) id = await ops.create(tx, ctx, item.input);
  if (id === null) throw new Error(`catalogue change ${change.section}[${String(change.index)}] has no id`);
  const fields = change.fields.filter((field) => field !== stateField);
  if (!creates && fields.length > 0) await ops.update(tx, ctx, id, item.input, fields);
  if (!item.active && (creates || change.fields.includes(stateField))) await ops.retire(tx, ctx, id);
  return id;
}

/** Applies one create, update or publish_version change; returns the item's id. */
export function executeChange(tx: EntityManager, ctx: ChangeContext, change: CatalogChange, file: CatalogFile): Promise<string> {
  return executeIn(tx, ctx, change.section, change, file);
}
