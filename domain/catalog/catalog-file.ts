/**
 * The catalogue file ("catalogue as code"): one document holding a tenant's
 * products, metrics, plans and add-ons, bundles, coupons, promotion codes
 * and asset types, each item named by its code. Items refer to each other by
 * code only (a promotion code names its coupon, an asset type its product),
 * so a file can move between tenants and environments.
 *
 * An item's *file form* is a flat record of every field it has, in a fixed
 * order, with null or empty values where nothing is set. Written files leave
 * those out (`compactItem`); read files fill them back in, so an absent
 * optional field means "not set", exactly as when creating through the API.
 */
export const CATALOG_FILE_VERSION = 1;

/** In the order a file is applied: everything an item refers to comes before it. */
export const CATALOG_SECTIONS = ['products', 'billable_metrics', 'plans', 'bundles', 'coupons', 'promotion_codes', 'asset_types'] as const;
export type CatalogSection = (typeof CATALOG_SECTIONS)[number];

export type FileItem = Readonly<Record<string, unknown>>;

/** Every field of an item of the section, in the order files write them. */
export const FIELD_ORDER: Record<CatalogSection, readonly string[]> = {
  products: ['code', 'name', 'description', 'unit_label', 'gl_code', 'tax_code', 'metadata', 'status'],
  billable_metrics: ['code', 'name', 'description', 'event_name', 'aggregation', 'filters', 'group_by', 'unit_label', 'status'],
  plans: ['code', 'kind', 'name', 'description', 'metadata', 'status', 'definition'],
  bundles: ['code', 'name', 'description', 'items', 'discount', 'metadata', 'status'],
  coupons: ['code', 'name', 'discount', 'duration', 'duration_periods', 'applies_to', 'max_redemptions', 'redeem_by', 'metadata', 'status'],
  promotion_codes: ['code', 'coupon', 'max_redemptions', 'expires_at', 'first_time_only', 'active'],
  asset_types: ['code', 'name', 'description', 'product', 'category', 'prices', 'metadata', 'status'],
};

/** Promotion codes are switched off (`active: false`); everything else is archived (`status: archived`). */
export const STATE_FIELD: Record<CatalogSection, 'status' | 'active'> = {
  products: 'status',
  billable_metrics: 'status',
  plans: 'status',
  bundles: 'status',
  coupons: 'status',
  promotion_codes: 'active',
  asset_types: 'status',
};

/** Values a written file leaves out because reading fills them back in. */
const DEFAULTS: Readonly<Record<string, unknown>> = { status: 'active', active: true, first_time_only: false };

export const CATALOG_ITEM_TYPES = ['product', 'billable_metric', 'plan', 'addon', 'bundle', 'coupon', 'promotion_code', 'asset_type'] as const;
export type CatalogItemType = (typeof CATALOG_ITEM_TYPES)[number];

/** The singular name of what a section holds; plans say whether they are an add-on. */
export function itemType(section: CatalogSection, item: FileItem): CatalogItemType {
  switch (section) {
    case 'products':
      return 'product';
    case 'billable_metrics':
      return 'billable_metric';
    case 'plans':
      return item.kind === 'addon' ? 'addon' : 'plan';
    case 'bundles':
      return 'bundle';
    case 'coupons':
      return 'coupon';
    case 'promotion_codes':
      return 'promotion_code';
    case 'asset_types':
      return 'asset_type';
  }
}

/** How items of a section are matched between a file and the catalogue: promotion codes ignore case, like redemption does. */
export function itemKey(section: CatalogSection, code: string): string {
  return section === 'promotion_codes' ? code.toLowerCase() : code;
}

export function isActive(section: CatalogSection, item: FileItem): boolean {
  return STATE_FIELD[section] === 'active' ? item.active !== false : item.status !== 'archived';
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** The item as a file writes it: fields in FIELD_ORDER, without unset, empty or default values. */
export function compactItem(section: CatalogSection, item: FileItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FIELD_ORDER[section]) {
    const value = item[field];
    if (isEmpty(value) || (field in DEFAULTS && DEFAULTS[field] === value)) continue;
    out[field] = value;
  }
  return out;
}

/** Byte order, not locale order, so the same catalogue always sorts the same everywhere. */
export function byCode(a: { code: string }, b: { code: string }): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

export type CatalogDocument = { rackrate_catalog: typeof CATALOG_FILE_VERSION } & Record<CatalogSection, Array<Record<string, unknown>>>;

/** A whole file: the version marker, then every section (empty ones too), items sorted by code. */
export function catalogDocument(items: Record<CatalogSection, FileItem[]>): CatalogDocument {
  const document = { rackrate_catalog: CATALOG_FILE_VERSION } as CatalogDocument;
  for (const section of CATALOG_SECTIONS) {
    document[section] = items[section]
      .map((item) => ({ code: String(item.code), item }))
      .sort(byCode)
      .map(({ item }) => compactItem(section, item));
  }
  return document;
}
