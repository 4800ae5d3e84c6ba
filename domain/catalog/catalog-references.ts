import type { BundleAddon } from './bundle';
import { problem, type CatalogProblem } from './catalog-problem';
import type { CouponAppliesTo } from './coupon';
import type { AggregationType } from './metric';
import { checkPlanDefinition, type CatalogContext } from './plan-definition-check';
import type { PlanDefinition, PlanKind } from './plan-definition';
import type { CatalogStatus } from './status';

/**
 * Cross-references of a catalogue file, checked against what the catalogue
 * will hold once the file is applied: the tenant's items with the file's
 * laid over them, so a plan may use a product the same file creates and a
 * product the file archives counts as archived. The rules are those the
 * services apply one item at a time (plan definitions, bundles, coupons,
 * promotion codes, asset types); here they run on the whole file first, so
 * every problem is reported before anything is written.
 */
export interface ReferenceContext extends CatalogContext {
  plans: ReadonlyMap<string, { status: CatalogStatus; kind: PlanKind; appliesTo: readonly string[] | null }>;
  coupons: ReadonlyMap<string, { status: CatalogStatus }>;
}

/** What a file item contributes to the context, by section. */
export interface ContextEntries {
  products: Array<{ code: string; status: CatalogStatus }>;
  metrics: Array<{ code: string; status: CatalogStatus; aggregation: AggregationType }>;
  plans: Array<{ code: string; status: CatalogStatus; kind: PlanKind; appliesTo: readonly string[] | null }>;
  coupons: Array<{ code: string; status: CatalogStatus }>;
}

function overlay<V>(base: ReadonlyMap<string, V>, entries: Array<{ code: string } & V>): Map<string, V> {
  const merged = new Map(base);
  for (const { code, ...value } of entries) merged.set(code, value as unknown as V);
  return merged;
}

export function mergeContext(catalogue: ReferenceContext, file: ContextEntries): ReferenceContext {
  return {
    products: overlay(catalogue.products, file.products),
    metrics: overlay(catalogue.metrics, file.metrics),
    plans: overlay(catalogue.plans, file.plans),
    coupons: overlay(catalogue.coupons, file.coupons),
  };
}

const within = (prefix: Array<string | number>, problems: CatalogProblem[]) => problems.map((p) => ({ ...p, path: [...prefix, ...p.path] }));

export function checkPlanReferences(kind: PlanKind, definition: PlanDefinition, context: ReferenceContext): CatalogProblem[] {
  return within(['definition'], checkPlanDefinition(kind, definition, context));
}

/** The bundle's plan is an active plan; each add-on an active add-on that may go on that plan. */
export function checkBundleReferences(items: { plan: string; addons: readonly BundleAddon[] }, context: ReferenceContext): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const plan = context.plans.get(items.plan);
  if (!plan || plan.kind !== 'plan') problems.push(problem(['items', 'plan'], 'unknown_plan', `no plan with code "${items.plan}"`));
  else if (plan.status === 'archived') problems.push(problem(['items', 'plan'], 'archived_plan', `plan "${items.plan}" is archived`));
  items.addons.forEach((a, i) => {
    const addon = context.plans.get(a.addon);
    const at = ['items', 'addons', i, 'addon'];
    if (!addon || addon.kind !== 'addon') problems.push(problem(at, 'unknown_addon', `no add-on with code "${a.addon}"`));
    else if (addon.status === 'archived') problems.push(problem(at, 'archived_addon', `add-on "${a.addon}" is archived`));
    else if (addon.appliesTo && !addon.appliesTo.includes(items.plan)) {
      problems.push(problem(at, 'addon_not_for_plan', `add-on "${a.addon}" cannot be added to plan "${items.plan}"`));
    }
  });
  return problems;
}

/** A coupon may be limited to plans (or add-ons) and products that exist. */
export function checkCouponReferences(appliesTo: CouponAppliesTo, context: ReferenceContext): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  (appliesTo.plans ?? []).forEach((code, i) => {
    if (!context.plans.has(code)) problems.push(problem(['applies_to', 'plans', i], 'unknown_plan', `no plan or add-on with code "${code}"`));
  });
  (appliesTo.products ?? []).forEach((code, i) => {
    if (!context.products.has(code)) problems.push(problem(['applies_to', 'products', i], 'unknown_product', `no product with code "${code}"`));
  });
  return problems;
}

export function checkPromotionCodeReferences(coupon: string, context: ReferenceContext): CatalogProblem[] {
  const found = context.coupons.get(coupon);
  if (!found) return [problem(['coupon'], 'unknown_coupon', `no coupon with code "${coupon}"`)];
  if (found.status === 'archived') return [problem(['coupon'], 'archived_coupon', `coupon "${coupon}" is archived`)];
  return [];
}

export function checkAssetTypeReferences(product: string, context: ReferenceContext): CatalogProblem[] {
  const found = context.products.get(product);
  if (!found) return [problem(['product'], 'unknown_product', `no product with code "${product}"`)];
  if (found.status === 'archived') return [problem(['product'], 'archived_product', `product "${product}" is archived`)];
  return [];
}
