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
  // Status and body together, so a failure shows what came back.
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await catalogFootprint(db)).toEqual(before);
  return res;
}

/** The field errors of a problem as "field code" strings, e.g. "aggregation.percentile invalid". */
export function fieldErrors(res: TestResponse): string[] {
  return (res.body.errors as Array<{ field: string; code: string }>).map((e) => `${e.field} ${e.code}`);
}
