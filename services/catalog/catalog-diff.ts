import type { EntityManager } from 'typeorm';
import { CATALOG_SECTIONS, type CatalogSection } from '../../domain/catalog/catalog-file';
import { diffCatalog, type CatalogChange, type DesiredItem } from '../../domain/catalog/catalog-diff';
import type { CatalogProblem } from '../../domain/catalog/catalog-problem';
import { USAGE_MODELS } from '../../domain/catalog/charge-compatibility';
import type { AggregationType } from '../../domain/catalog/metric';
import {
  checkAssetTypeReferences,
  checkBundleReferences,
  checkCouponReferences,
  checkPlanReferences,
  checkPromotionCodeReferences,
  mergeContext,
  type ContextEntries,
  type ReferenceContext,
} from '../../domain/catalog/catalog-references';
import { catalogProblems, type FileProblem } from './catalog-problems';
import type { CatalogFile, ReadItem, UnreadItem } from './catalog-read';
import { loadCatalogState, referenceContextOf } from './catalog-state';

/**
 * The changes a read catalogue file makes to the tenant's catalogue, and
 * every problem that stops it: immutable fields that differ, archived items
 * that would change, and references (from new items, new plan versions and
 * changed bundle contents) to things that will not exist or are archived
 * once the file is applied. Items that do not change are not re-checked: an
 * existing plan version keeps a product archived after it was published.
 */
export interface FileDiff {
  changes: CatalogChange[];
  problems: FileProblem[];
}

const statusOf = (item: ReadItem) => (item.active ? ('active' as const) : ('archived' as const));

/**
 * Items that failed their schema still name a code: others may refer to it
 * without a second, misleading "no such item" problem. What is known of them
 * is taken as written; a metric whose aggregation type is unknown is left out.
 */
function unreadEntries(unread: UnreadItem[]): ContextEntries {
  const entries: ContextEntries = { products: [], metrics: [], plans: [], coupons: [] };
  for (const { section, raw } of unread) {
    if (typeof raw.code !== 'string') continue;
    const base = { code: raw.code, status: raw.status === 'archived' ? ('archived' as const) : ('active' as const) };
    if (section === 'products') entries.products.push(base);
    if (section === 'coupons') entries.coupons.push(base);
    if (section === 'billable_metrics') {
      const type = (raw.aggregation as { type?: unknown } | undefined)?.type;
      const known = (Object.keys(USAGE_MODELS) as AggregationType[]).find((t) => t === type);
      if (known) entries.metrics.push({ ...base, aggregation: known });
    }
    if (section === 'plans') {
      const appliesTo = (raw.definition as { applies_to_plans?: unknown } | undefined)?.applies_to_plans;
      const codes = Array.isArray(appliesTo) && appliesTo.every((c) => typeof c === 'string') ? (appliesTo as string[]) : null;
      entries.plans.push({ ...base, kind: raw.kind === 'addon' ? 'addon' : 'plan', appliesTo: codes });
    }
  }
  return entries;
}

function contextEntries(file: CatalogFile, unread: UnreadItem[]): ContextEntries {
  const partial = unreadEntries(unread);
  return {
    products: [...partial.products, ...file.products.map((p) => ({ code: p.input.code, status: statusOf(p) }))],
    metrics: [...partial.metrics, ...file.billable_metrics.map((m) => ({ code: m.input.code, status: statusOf(m), aggregation: m.input.aggregation.type }))],
    plans: [
      ...partial.plans,
      ...file.plans.map((p) => ({ code: p.input.code, status: statusOf(p), kind: p.input.kind, appliesTo: p.input.definition.applies_to_plans ?? null })),
    ],
    coupons: [...partial.coupons, ...file.coupons.map((c) => ({ code: c.input.code, status: statusOf(c) }))],
  };
}

/** The references a change must satisfy, relative to its item. */
function referenceProblems(change: CatalogChange, file: CatalogFile, context: ReferenceContext): CatalogProblem[] {
  const creates = change.action === 'create';
  const find = <S extends CatalogSection>(section: S): ReadItem<S> | undefined =>
    (file[section] as Array<ReadItem<S>>).find((item) => item.index === change.index);
  switch (change.section) {
    case 'plans': {
      const plan = find('plans');
      return plan && (creates || change.action === 'publish_version') ? checkPlanReferences(plan.input.kind, plan.input.definition, context) : [];
    }
    case 'bundles': {
      const bundle = find('bundles');
      return bundle && (creates || change.fields.includes('items')) ? checkBundleReferences(bundle.input.items, context) : [];
    }
    case 'coupons': {
      const coupon = find('coupons');
      return coupon && creates ? checkCouponReferences(coupon.input.applies_to, context) : [];
    }
    case 'promotion_codes': {
      const promotion = find('promotion_codes');
      return promotion && creates ? checkPromotionCodeReferences(promotion.input.coupon, context) : [];
    }
    case 'asset_types': {
      const assetType = find('asset_types');
      return assetType && creates ? checkAssetTypeReferences(assetType.input.product, context) : [];
    }
    case 'products':
    case 'billable_metrics':
      return [];
  }
}

/**
 * Deadlines a new coupon or promotion code sets must lie ahead, as their
 * create services require (`assertFuture`); checked here too so a dry run
 * finds them. Existing items keep theirs, passed or not.
 */
function deadlineProblems(change: CatalogChange, file: CatalogFile, now: Date): FileProblem[] {
  if (change.action !== 'create') return [];
  const at = `${change.section}[${String(change.index)}]`;
  const past = (value: string | undefined, field: string): FileProblem[] =>
    value !== undefined && new Date(value) <= now ? [{ kind: 'schema', field: `${at}.${field}`, code: 'not_in_future', message: 'must be in the future' }] : [];
  if (change.section === 'coupons') return past(file.coupons.find((c) => c.index === change.index)?.input.redeem_by, 'redeem_by');
  if (change.section === 'promotion_codes') return past(file.promotion_codes.find((p) => p.index === change.index)?.input.expires_at, 'expires_at');
  return [];
}

export async function diffCatalogFile(tx: EntityManager, at: { tenantId: string; now: Date }, file: CatalogFile, unread: UnreadItem[] = []): Promise<FileDiff> {
  const { tenantId, now } = at;
  const state = await loadCatalogState(tx, tenantId);
  const desired = Object.fromEntries(
    CATALOG_SECTIONS.map((section) => [section, file[section].map((item): DesiredItem => ({ index: item.index, file: item.file }))]),
  ) as Record<CatalogSection, DesiredItem[]>;
  const diff = diffCatalog(desired, state);
  const context = mergeContext(referenceContextOf(state), contextEntries(file, unread));
  const problems = catalogProblems([], diff.problems);
  for (const change of diff.changes) {
    if (change.index === null) continue;
    problems.push(...catalogProblems([change.section, change.index], referenceProblems(change, file, context)));
    problems.push(...deadlineProblems(change, file, now));
  }
  return { changes: diff.changes, problems };
}
