import type { TestDatabase } from './database';
import type { ApiTestContext, TestApi, TestResponse } from './http';

/**
 * A small data-center catalogue built through the API: products, metrics and
 * a colocation plan with recurring, one-time and usage charges. Tests add
 * what they need on top.
 */
export const PRODUCTS = [
  { code: 'cabinet', name: 'Full cabinet (42U)', unit_label: 'cabinet', gl_code: '4010', tax_code: 'colocation' },
  { code: 'power', name: 'Power', unit_label: 'kWh', gl_code: '4020', tax_code: 'utilities' },
  { code: 'transit', name: 'IP transit', unit_label: 'GB', gl_code: '4030', tax_code: 'telecom' },
  { code: 'setup', name: 'Installation', gl_code: '4090' },
  { code: 'cross-connect', name: 'Cross-connect', unit_label: 'cross-connect', gl_code: '4040' },
];

export const METRICS = [
  { code: 'transit-gb', name: 'Transit GB', event_name: 'interface.bytes', aggregation: { type: 'sum', property: 'gb' } },
  { code: 'energy-kwh', name: 'Energy', event_name: 'pdu.energy', aggregation: { type: 'sum', property: 'kwh' } },
];

export function colocationDefinition(overrides: Record<string, unknown> = {}) {
  return {
    billing_interval: 'month',
    currencies: ['USD', 'EUR'],
    charges: [
      { key: 'cabinet', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '1200.00' }, EUR: { model: 'per_unit', unit_price: '1100.00' } } },
      { key: 'install', product: 'setup', type: 'one_time', prices: { USD: { model: 'flat', amount: '500.00' }, EUR: { model: 'flat', amount: '450.00' } } },
      {
        key: 'transit',
        product: 'transit',
        type: 'usage',
        metric: 'transit-gb',
        included_quantity: '1000',
        prices: {
          USD: { model: 'graduated', tiers: [{ up_to: '10000', unit_price: '0.05' }, { up_to: null, unit_price: '0.03' }] },
          EUR: { model: 'graduated', tiers: [{ up_to: '10000', unit_price: '0.045' }, { up_to: null, unit_price: '0.027' }] },
        },
      },
    ],
    ...overrides,
  };
}

export interface SeededCatalog {
  planId: string;
  /** By code. */
  productIds: Record<string, string>;
  metricIds: Record<string, string>;
}

export async function seedCatalog(api: TestApi, key: string): Promise<SeededCatalog> {
  const productIds: Record<string, string> = {};
  const metricIds: Record<string, string> = {};
  for (const body of PRODUCTS) productIds[body.code] = (await expectCreated(api.request('POST', '/v1/products', { key, body }))).id;
  for (const body of METRICS) metricIds[body.code] = (await expectCreated(api.request('POST', '/v1/billable_metrics', { key, body }))).id;
  const plan = await expectCreated(
    api.request('POST', '/v1/plans', { key, body: { code: 'colo-standard', name: 'Colocation standard', definition: colocationDefinition() } }),
  );
  return { planId: plan.id, productIds, metricIds };
}

/** The created resource; anything but 201 fails with the response text. */
export async function expectCreated(response: ReturnType<TestApi['request']>): Promise<{ id: string } & Record<string, unknown>> {
  const res = await response;
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${res.text}`);
  return res.body;
}

/** An add-on with one recurring cross-connect charge in USD and EUR, for `appliesTo` plans (any plan when absent). */
export function addonDefinition(appliesTo?: string[]) {
  return {
    billing_interval: 'month',
    currencies: ['USD', 'EUR'],
    ...(appliesTo ? { applies_to_plans: appliesTo } : {}),
    charges: [
      {
        key: 'xc',
        product: 'cross-connect',
        type: 'recurring',
        prices: { USD: { model: 'per_unit', unit_price: '300' }, EUR: { model: 'per_unit', unit_price: '280' } },
      },
    ],
  };
}

/** A request with the tenant's admin key: `req('POST', '/v1/products', body)`. Reads ctx lazily (filled by beforeAll). */
export function requester(ctx: ApiTestContext) {
  return (method: string, path: string, body?: unknown): Promise<TestResponse> =>
    ctx.api.request(method, path, { key: ctx.tenant.adminKey, ...(body === undefined ? {} : { body }) });
}

export const CATALOG_TABLES = [
  'products',
  'billable_metrics',
  'plans',
  'plan_versions',
  'bundles',
  'coupons',
  'promotion_codes',
  'price_overrides',
  'asset_types',
  'assets',
] as const;

/**
 * What any accepted write would change, over all tenants: row counts of the
 * catalogue, accounts, audit log and outbox, and the sum of the catalogue's
 * row versions (an update bumps one).
 */
export async function catalogFootprint(db: TestDatabase): Promise<Record<string, number>> {
  const counts = [...CATALOG_TABLES, 'accounts', 'audit_log', 'outbox_events'].map((t) => `(SELECT count(*) FROM ${t}) AS "${t}"`);
  const versions = CATALOG_TABLES.filter((t) => t !== 'plan_versions').map((t) => `(SELECT coalesce(sum(version), 0) FROM ${t}) AS "${t}.versions"`);
  const row = await db.asSuperuser(async (c) => (await c.query(`SELECT ${[...counts, ...versions].join(', ')}`)).rows[0] as Record<string, string>);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

/**
 * Sends a request that must be refused with `status` and `code`, and checks
 * that it changed nothing. Returns the response for further assertions.
 */
export async function expectRejected(db: TestDatabase, send: () => Promise<TestResponse>, status: number, code: string): Promise<TestResponse> {
  const before = await catalogFootprint(db);
  const res = await send();
  // The whole answer in the message, so a failure shows what came back.
  if (res.status !== status || res.body?.code !== code) throw new Error(`expected ${status} ${code}, got ${res.status}: ${res.text}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await catalogFootprint(db)).toEqual(before);
  return res;
}

/** The field errors of a problem as "field code" strings, e.g. "aggregation.percentile invalid". */
export function fieldErrors(res: TestResponse): string[] {
  return (res.body.errors as Array<{ field: string; code: string }>).map((e) => `${e.field} ${e.code}`);
}

/** One of each catalogue resource for a tenant, as the tenant-isolation matrix needs them. */
export interface TenantCatalog {
  productIds: string[];
  metricIds: string[];
  /** colo-standard, the tenant's own `<slug>-plan` and the `xc` add-on. */
  planIds: string[];
  /** Codes only this tenant has: another tenant naming them must get "unknown". */
  ownPlanCode: string;
  ownCouponCode: string;
  ownAssetTypeCode: string;
  bundleId: string;
  couponId: string;
  promotionCodeId: string;
  priceOverrideId: string;
  assetTypeId: string;
  orderedAssetId: string;
  activeAssetId: string;
  /** Another ordered asset, for cancelling. */
  cancellableAssetId: string;
}

/**
 * The tenant's catalogue, through the API, on top of `accountId` (a USD
 * account). Tenants seeded with this share most codes (codes are per
 * tenant) and each has a few of its own, so that a reference to another
 * tenant's item can be told from a shared code.
 */
export async function seedTenantCatalog(api: TestApi, key: string, slug: string, accountId: string): Promise<TenantCatalog> {
  const post = (path: string, body: unknown) => expectCreated(api.request('POST', path, { key, body }));
  const { planId, productIds, metricIds } = await seedCatalog(api, key);
  const ownPlanCode = `${slug}-plan`;
  const ownPlan = await post('/v1/plans', { code: ownPlanCode, name: 'Own plan', definition: colocationDefinition() });
  const addon = await post('/v1/plans', { code: 'xc', kind: 'addon', name: 'Cross-connect', definition: addonDefinition(['colo-standard', ownPlanCode]) });
  const bundle = await post('/v1/bundles', { code: 'starter', name: 'Starter', items: { plan: 'colo-standard', addons: [{ addon: 'xc', quantity: 2 }] } });
  const ownCouponCode = `${slug}-coupon`;
  const coupon = await post('/v1/coupons', { code: ownCouponCode, name: 'Welcome', discount: { type: 'percent', percent_off: '10' }, duration: 'once' });
  const promotion = await post('/v1/promotion_codes', { code: 'WELCOME', coupon: ownCouponCode });
  const override = await post('/v1/price_overrides', {
    account_id: accountId, plan: 'colo-standard', currency: 'USD', minimum_commitment: '100', starts_at: '2027-01-01T00:00:00Z',
  });
  const ownAssetTypeCode = `${slug}-cab`;
  const assetType = await post('/v1/asset_types', {
    code: ownAssetTypeCode, name: 'Cabinet', product: 'cabinet', category: 'cabinet', prices: { USD: { nrc: '500', mrc: '1200' } },
  });
  const asset = (providerAssetId: string) => post('/v1/assets', { account_id: accountId, asset_type: ownAssetTypeCode, provider_asset_id: providerAssetId });
  const ordered = await asset('CAB-1');
  const active = await asset('CAB-2');
  const cancellable = await asset('CAB-3');
  const activated = await api.request('POST', `/v1/assets/${active.id}/activate`, { key, body: {} });
  if (activated.status !== 200) throw new Error(`expected 200, got ${activated.status}: ${activated.text}`);
  return {
    productIds: Object.values(productIds),
    metricIds: Object.values(metricIds),
    planIds: [planId, ownPlan.id, addon.id],
    ownPlanCode,
    ownCouponCode,
    ownAssetTypeCode,
    bundleId: bundle.id,
    couponId: coupon.id,
    promotionCodeId: promotion.id,
    priceOverrideId: override.id,
    assetTypeId: assetType.id,
    orderedAssetId: ordered.id,
    activeAssetId: active.id,
    cancellableAssetId: cancellable.id,
  };
}
