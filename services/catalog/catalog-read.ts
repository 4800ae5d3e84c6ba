import { z } from 'zod';
import { toFieldErrors } from '../../lib/zod-field-errors';
import { CATALOG_FILE_VERSION, CATALOG_SECTIONS, STATE_FIELD, itemKey, type CatalogSection, type FileItem } from '../../domain/catalog/catalog-file';
import { normalize } from '../../domain/catalog/normalize';
import { CATALOG_STATUSES } from '../../domain/catalog/status';
import { createAssetTypeSchema, type CreateAssetTypeInput } from './asset-schemas';
import { createBundleSchema, type CreateBundleInput } from './bundle-schemas';
import type { FileProblem } from './catalog-problems';
import { createCouponSchema, createPromotionCodeSchema, type CreateCouponInput, type CreatePromotionCodeInput } from './coupon-schemas';
import { createMetricSchema, type CreateMetricInput } from './metric-schemas';
import { createPlanSchema, type CreatePlanInput } from './plan-schemas';
import { createProductSchema, type CreateProductInput } from './product-schemas';

/**
 * Reads a parsed catalogue file into typed items, each checked with the
 * same create schema the API uses, and reports every schema problem with
 * its path in the file. Items that pass also get their file form (every
 * field, normalised as stored), which the diff compares with the catalogue.
 */
export interface SectionInputs {
  products: CreateProductInput;
  billable_metrics: CreateMetricInput;
  plans: CreatePlanInput;
  bundles: CreateBundleInput;
  coupons: CreateCouponInput;
  promotion_codes: CreatePromotionCodeInput;
  asset_types: CreateAssetTypeInput;
}

export interface ReadItem<S extends CatalogSection = CatalogSection> {
  section: S;
  index: number;
  input: SectionInputs[S];
  /** Archived (status) or deactivated (active: false) in the file. */
  active: boolean;
  file: FileItem;
}

export type CatalogFile = { [S in CatalogSection]: Array<ReadItem<S>> };

/** An item that failed its schema, kept as written so other items may still refer to its code. */
export interface UnreadItem {
  section: CatalogSection;
  index: number;
  raw: Record<string, unknown>;
}


const SCHEMAS: { [S in CatalogSection]: z.ZodType<SectionInputs[S]> } = {
  products: createProductSchema,
  billable_metrics: createMetricSchema,
  plans: createPlanSchema,
  bundles: createBundleSchema,
  coupons: createCouponSchema,
  promotion_codes: createPromotionCodeSchema,
  asset_types: createAssetTypeSchema,
};

/** The field that archives an item is the file's own; everything else is the API's create body. */
const STATE_SCHEMAS = {
  status: z.strictObject({ status: z.enum(CATALOG_STATUSES).default('active') }),
  active: z.strictObject({ active: z.boolean().default(true) }),
};

const iso = (t: string | undefined) => (t === undefined ? null : new Date(t).toISOString());

const FILE_FORM: { [S in CatalogSection]: (input: SectionInputs[S]) => Record<string, unknown> } = {
  products: (i) => ({
    code: i.code, name: i.name, description: i.description ?? null, unit_label: i.unit_label ?? null,
    gl_code: i.gl_code ?? null, tax_code: i.tax_code ?? null, metadata: i.metadata ?? {},
  }),
  billable_metrics: (i) => ({
    code: i.code, name: i.name, description: i.description ?? null, event_name: i.event_name,
    aggregation: normalize(i.aggregation), filters: i.filters, group_by: i.group_by, unit_label: i.unit_label ?? null,
  }),
  plans: (i) => ({
    code: i.code, kind: i.kind, name: i.name, description: i.description ?? null, metadata: i.metadata ?? {}, definition: normalize(i.definition),
  }),
  bundles: (i) => ({
    code: i.code, name: i.name, description: i.description ?? null, items: i.items,
    discount: i.discount ? normalize(i.discount) : null, metadata: i.metadata ?? {},
  }),
  coupons: (i) => ({
    code: i.code, name: i.name, discount: normalize(i.discount), duration: i.duration, duration_periods: i.duration_periods ?? null,
    applies_to: i.applies_to, max_redemptions: i.max_redemptions ?? null, redeem_by: iso(i.redeem_by), metadata: i.metadata ?? {},
  }),
  promotion_codes: (i) => ({
    code: i.code, coupon: i.coupon, max_redemptions: i.max_redemptions ?? null, expires_at: iso(i.expires_at), first_time_only: i.first_time_only,
  }),
  asset_types: (i) => ({
    code: i.code, name: i.name, description: i.description ?? null, product: i.product, category: i.category,
    prices: normalize(i.prices), metadata: i.metadata ?? {},
  }),
};

export type ItemResult<S extends CatalogSection> =
  | { ok: true; input: SectionInputs[S]; active: boolean; file: FileItem }
  | { ok: false; errors: z.ZodError[] };

/** One item through its section's schema, the archiving field apart. */
export function readItem<S extends CatalogSection>(section: S, raw: Record<string, unknown>): ItemResult<S> {
  const stateField = STATE_FIELD[section];
  const { [stateField]: state, ...body } = raw;
  const stateResult = STATE_SCHEMAS[stateField].safeParse({ [stateField]: state }, { reportInput: true });
  const schema: z.ZodType<SectionInputs[S]> = SCHEMAS[section];
  const bodyResult = schema.safeParse(body, { reportInput: true });
  if (!stateResult.success || !bodyResult.success) {
    const errors: z.ZodError[] = [];
    if (!stateResult.success) errors.push(stateResult.error);
    if (!bodyResult.success) errors.push(bodyResult.error);
    return { ok: false, errors };
  }
  const data = stateResult.data as { status?: string; active?: boolean };
  const active = stateField === 'active' ? data.active !== false : data.status !== 'archived';
  const toFile: (input: SectionInputs[S]) => Record<string, unknown> = FILE_FORM[section];
  return { ok: true, input: bodyResult.data, active, file: { ...toFile(bodyResult.data), [stateField]: stateField === 'active' ? active : data.status } };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function schemaProblem(field: string, code: string, message: string): FileProblem {
  return { kind: 'schema', field, code, message };
}

interface Sink {
  problems: FileProblem[];
  unread: UnreadItem[];
}

function readSection<S extends CatalogSection>(section: S, raw: unknown, sink: Sink): Array<ReadItem<S>> {
  const { problems } = sink;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(schemaProblem(section, 'invalid_type', 'must be a list of items'));
    return [];
  }
  const items: Array<ReadItem<S>> = [];
  const firstByKey = new Map<string, number>();
  raw.forEach((value: unknown, index) => {
    const at = `${section}[${index}]`;
    if (!isObject(value)) {
      problems.push(schemaProblem(at, 'invalid_type', 'must be an object'));
      return;
    }
    const result = readItem(section, value);
    if (!result.ok) {
      sink.unread.push({ section, index, raw: value });
      for (const error of result.errors) {
        for (const e of toFieldErrors(error, 'body')) problems.push(schemaProblem(e.field ? `${at}.${e.field}` : at, e.code, e.message));
      }
      return;
    }
    const key = itemKey(section, String(result.file.code));
    const first = firstByKey.get(key);
    if (first !== undefined) {
      problems.push({ kind: 'catalog', field: `${at}.code`, code: 'duplicate_code', message: `repeats the code of ${section}[${first}]` });
      return;
    }
    firstByKey.set(key, index);
    items.push({ section, index, input: result.input, active: result.active, file: result.file });
  });
  return items;
}

/** The whole file: its version marker, known sections only, every item read; absent sections are empty. */
export function readCatalogDocument(document: unknown): { file: CatalogFile; unread: UnreadItem[]; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const sink: Sink = { problems, unread: [] };
  const root = isObject(document) ? document : {};
  if (!isObject(document)) problems.push(schemaProblem('', 'invalid_type', 'a catalogue file must be a mapping (an object) of sections'));
  else if (document.rackrate_catalog === undefined) {
    problems.push(schemaProblem('rackrate_catalog', 'required', `is required: the file format version, ${CATALOG_FILE_VERSION}`));
  } else if (document.rackrate_catalog !== CATALOG_FILE_VERSION) {
    problems.push(schemaProblem('rackrate_catalog', 'invalid_value', `must be ${CATALOG_FILE_VERSION}, the only file format version`));
  }
  const known = new Set<string>(['rackrate_catalog', ...CATALOG_SECTIONS]);
  for (const key of Object.keys(root).filter((k) => !known.has(k))) {
    problems.push(schemaProblem(key, 'unknown_field', `is not a known section; the sections are ${CATALOG_SECTIONS.join(', ')}`));
  }
  const file: CatalogFile = {
    products: readSection('products', root.products, sink),
    billable_metrics: readSection('billable_metrics', root.billable_metrics, sink),
    plans: readSection('plans', root.plans, sink),
    bundles: readSection('bundles', root.bundles, sink),
    coupons: readSection('coupons', root.coupons, sink),
    promotion_codes: readSection('promotion_codes', root.promotion_codes, sink),
    asset_types: readSection('asset_types', root.asset_types, sink),
  };
  return { file, unread: sink.unread, problems };
}
