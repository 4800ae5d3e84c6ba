import { allRoutes } from '../../api/app';
import type { Route } from '../../api/routing/route';
import { CATALOG_TABLES, catalogFootprint, colocationDefinition, expectCreated, seedTenantCatalog, type TenantCatalog } from '../support/catalog-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApi, type TestApi, type TestResponse } from '../support/http';
import { startBillingTemporal } from '../support/invoicing-worker';
import { startTemporalRuntime, type TemporalRuntime } from '../support/temporal-runtime';
import { createTestTenant, type TestTenant } from '../support/tenants';

/**
 * The tenant wall, endpoint by endpoint: a key of tenant A can neither read,
 * list, change nor delete anything of tenant B, and gets 404 (not 403) for
 * B's ids so ids do not leak. The matrix is built from the route list, so a
 * new endpoint fails this test until it has a case here.
 */
let db: TestDatabase;
let api: TestApi;
let a: TestTenant;
let b: TestTenant;
let runtime: TemporalRuntime | undefined;
// Bill runs go to an API whose Temporal has the invoicing activities (support/invoicing-worker.ts).
let billing: TemporalRuntime | undefined;
let billingApi: TestApi;

interface TenantFixture extends TenantCatalog {
  accountId: string;
  childId: string;
  apiKeyId: string;
  spareKeyId: string;
  auditEntryId: string;
  domainEventId: string;
  activeSubscriptionId: string;
  pendingSubscriptionId: string;
  usageThresholdId: string;
  invoicing: InvoicingFixture;
}

/** One invoice per life-cycle step a case takes (B's own key runs them all at the end), a waiting charge, a credit note, a tax rate. */
interface InvoicingFixture {
  taxRateId: string;
  oneOffChargeId: string;
  openInvoiceId: string;
  draftInvoiceId: string;
  finalizableId: string;
  voidableId: string;
  uncollectibleId: string;
  deletableId: string;
  payableId: string;
  creditNoteId: string;
}
const fixtures: Record<string, TenantFixture> = {};

async function seed(t: TestTenant): Promise<TenantFixture> {
  const key = t.adminKey;
  const account = await api.request('POST', '/v1/accounts', { key, body: { name: `${t.slug} parent`, currency: 'USD', external_id: 'SAME-EXT' } });
  const child = await api.request('POST', '/v1/accounts', {
    key,
    body: { name: `${t.slug} child`, currency: 'USD', parent_id: account.body.id, bill_to_parent: true },
  });
  const apiKey = await api.request('POST', '/v1/api_keys', { key, body: { name: 'reader', scopes: ['read'] } });
  const spare = await api.request('POST', '/v1/api_keys', { key, body: { name: 'spare admin', scopes: ['admin'] } });
  const audit = await api.request('GET', `/v1/audit_log?resource_id=${account.body.id}`, { key });
  const events = await api.request('GET', `/v1/domain_events?resource_id=${account.body.id}`, { key });
  // A percentile metric for the samples endpoint, and a budget threshold.
  await expectCreated(api.request('POST', '/v1/billable_metrics', { key, body: { code: 'port-bps', name: 'Port', event_name: 'if.rate', aggregation: { type: 'percentile', property: 'traffic', percentile: '95' } } }));
  const threshold = await expectCreated(api.request('POST', '/v1/usage_thresholds', { key, body: { account_id: account.body.id, basis: 'amount', reference: 'value', reference_value: '100', percents: [50, 100] } }));
  return {
    accountId: account.body.id,
    childId: child.body.id,
    apiKeyId: apiKey.body.id,
    spareKeyId: spare.body.id,
    auditEntryId: audit.body.data[0].id,
    domainEventId: events.body.data[0].id,
    ...(await seedTenantCatalog(api, t.adminKey, t.slug, account.body.id)),
    activeSubscriptionId: '',
    pendingSubscriptionId: '',
    usageThresholdId: threshold.id,
    invoicing: await seedInvoicing(key, account.body.id),
  };
}

async function seedInvoicing(key: string, accountId: string): Promise<InvoicingFixture> {
  const post = (path: string, body: unknown) => expectCreated(api.request('POST', path, { key, body }));
  const invoice = async (finalize: boolean) => (await post('/v1/invoices', { account_id: accountId, items: [{ description: 'Remote hands', unit_price: '100.00' }], finalize })).id;
  const credited = await invoice(true);
  return {
    taxRateId: (await post('/v1/tax_rates', { name: 'VAT', country: 'GB', percentage: '20', valid_from: '2027-01-01T00:00:00Z' })).id,
    oneOffChargeId: (await post('/v1/one_off_charges', { account_id: accountId, description: 'Cage keys', unit_price: '15.00' })).id,
    openInvoiceId: await invoice(true),
    draftInvoiceId: await invoice(false),
    finalizableId: await invoice(false),
    voidableId: await invoice(true),
    uncollectibleId: await invoice(true),
    deletableId: await invoice(false),
    payableId: await invoice(true),
    creditNoteId: (await post(`/v1/invoices/${credited}/credit_notes`, { reason: 'billing_error' })).id,
  };
}

/** Subscriptions on the tenant's own plan (the matrix archives the shared one). */
async function seedSubscriptions(t: TestTenant, f: TenantFixture): Promise<void> {
  const create = (body: Record<string, unknown>) =>
    expectCreated(api.request('POST', '/v1/subscriptions', { key: t.adminKey, body: { account_id: f.accountId, plan: f.ownPlanCode, ...body } }));
  f.activeSubscriptionId = (await create({})).id;
  f.pendingSubscriptionId = (await create({ requires_provisioning: true })).id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  runtime = await startTemporalRuntime(db.dataSource);
  api = await startTestApi(db.dataSource, { temporal: runtime.temporal });
  billing = await startBillingTemporal(db.dataSource);
  billingApi = await startTestApi(db.dataSource, { temporal: billing.temporal });
  a = await createTestTenant(db.dataSource, 'tenant-a');
  b = await createTestTenant(db.dataSource, 'tenant-b');
  fixtures.a = await seed(a);
  fixtures.b = await seed(b);
  await seedSubscriptions(a, fixtures.a);
  await seedSubscriptions(b, fixtures.b);
  await waitForActive([fixtures.a.activeSubscriptionId, fixtures.b.activeSubscriptionId]);
}, 90_000);

/** The workflows record their first step (billing starts) on their own; wait for it. */
async function waitForActive(ids: string[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await db.asSuperuser((c) => c.query(`SELECT count(*)::int AS n FROM subscriptions WHERE id = ANY($1) AND status = 'active'`, [ids]));
    if (rows.rows[0].n === ids.length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('subscriptions did not become active');
}

afterAll(async () => {
  await api.close();
  await billingApi?.close();
  await billing?.close();
  await runtime?.close();
  await db.drop();
});

/**
 * For each tenant route with an id in its path: B's id to aim at, and a body
 * to send. Bodies are valid, so a request that reached B's row would succeed
 * (the ordered asset could be activated, the active one disconnected): the
 * last test sends them all with B's own key, in this order, and expects
 * success. So archives come after the other cases of their kind, and the
 * product and metric are ones the plan does not use. `{version}` is 1.
 */
const TARGETS: Record<string, { id: (f: TenantFixture) => string; body?: unknown }> = {
  'GET /v1/accounts/{id}': { id: (f) => f.accountId },
  'PATCH /v1/accounts/{id}': { id: (f) => f.accountId, body: { name: 'hijacked' } },
  'POST /v1/accounts/{id}/archive': { id: (f) => f.childId },
  'GET /v1/api_keys/{id}': { id: (f) => f.apiKeyId },
  'POST /v1/api_keys/{id}/revoke': { id: (f) => f.spareKeyId },
  'GET /v1/audit_log/{id}': { id: (f) => f.auditEntryId },
  'GET /v1/domain_events/{id}': { id: (f) => f.domainEventId },
  // power and energy-kwh: not used by the plans.
  'GET /v1/products/{id}': { id: (f) => f.productIds[1]! },
  'PATCH /v1/products/{id}': { id: (f) => f.productIds[1]!, body: { name: 'hijacked' } },
  'POST /v1/products/{id}/archive': { id: (f) => f.productIds[1]! },
  'GET /v1/billable_metrics/{id}': { id: (f) => f.metricIds[1]! },
  'PATCH /v1/billable_metrics/{id}': { id: (f) => f.metricIds[1]!, body: { name: 'hijacked' } },
  'POST /v1/billable_metrics/{id}/archive': { id: (f) => f.metricIds[1]! },
  'GET /v1/plans/{id}': { id: (f) => f.planIds[0]! },
  'PATCH /v1/plans/{id}': { id: (f) => f.planIds[0]!, body: { name: 'hijacked' } },
  'POST /v1/plans/{id}/versions': { id: (f) => f.planIds[0]!, body: { definition: colocationDefinition({ trial_days: 99 }) } },
  'GET /v1/plans/{id}/versions': { id: (f) => f.planIds[0]! },
  'GET /v1/plans/{id}/versions/{version}': { id: (f) => f.planIds[0]! },
  'POST /v1/plans/{id}/preview': { id: (f) => f.planIds[0]!, body: { currency: 'USD', usage: { transit: { quantity: '100' } } } },
  'POST /v1/plans/{id}/archive': { id: (f) => f.planIds[0]! },
  'GET /v1/bundles/{id}': { id: (f) => f.bundleId },
  'PATCH /v1/bundles/{id}': { id: (f) => f.bundleId, body: { name: 'hijacked' } },
  'POST /v1/bundles/{id}/archive': { id: (f) => f.bundleId },
  'GET /v1/coupons/{id}': { id: (f) => f.couponId },
  'PATCH /v1/coupons/{id}': { id: (f) => f.couponId, body: { max_redemptions: 1 } },
  'POST /v1/coupons/{id}/archive': { id: (f) => f.couponId },
  'GET /v1/promotion_codes/{id}': { id: (f) => f.promotionCodeId },
  'POST /v1/promotion_codes/{id}/deactivate': { id: (f) => f.promotionCodeId },
  'GET /v1/price_overrides/{id}': { id: (f) => f.priceOverrideId },
  'POST /v1/price_overrides/{id}/end': { id: (f) => f.priceOverrideId, body: { ends_at: '2028-01-01T00:00:00Z' } },
  'GET /v1/asset_types/{id}': { id: (f) => f.assetTypeId },
  'PATCH /v1/asset_types/{id}': { id: (f) => f.assetTypeId, body: { prices: { USD: { nrc: '1', mrc: '1' } } } },
  'POST /v1/asset_types/{id}/archive': { id: (f) => f.assetTypeId },
  'GET /v1/assets/{id}': { id: (f) => f.orderedAssetId },
  'POST /v1/assets/{id}/activate': { id: (f) => f.orderedAssetId, body: {} },
  'POST /v1/assets/{id}/disconnect': { id: (f) => f.activeAssetId, body: {} },
  'POST /v1/assets/{id}/cancel': { id: (f) => f.cancellableAssetId, body: {} },
  'GET /v1/accounts/{id}/payment_methods': { id: (f) => f.accountId },
  'GET /v1/accounts/{id}/offers': { id: (f) => f.accountId },
  'GET /v1/subscriptions/{id}': { id: (f) => f.activeSubscriptionId },
  'GET /v1/subscriptions/{id}/state': { id: (f) => f.activeSubscriptionId },
  'GET /v1/subscriptions/{id}/charges': { id: (f) => f.activeSubscriptionId },
  'GET /v1/subscriptions/{id}/transitions': { id: (f) => f.activeSubscriptionId },
  'POST /v1/subscriptions/{id}/activate': { id: (f) => f.pendingSubscriptionId, body: {} },
  'POST /v1/subscriptions/{id}/change': { id: (f) => f.activeSubscriptionId, body: { quantity: '2' } },
  'POST /v1/subscriptions/{id}/cancel': { id: (f) => f.activeSubscriptionId, body: { effective: 'period_end' } },
  'POST /v1/subscriptions/{id}/pause': { id: (f) => f.activeSubscriptionId, body: {} },
  'POST /v1/subscriptions/{id}/resume': { id: (f) => f.activeSubscriptionId },
  'POST /v1/subscriptions/{id}/suspend': { id: (f) => f.activeSubscriptionId, body: {} },
  'POST /v1/subscriptions/{id}/reinstate': { id: (f) => f.activeSubscriptionId },
  'GET /v1/subscriptions/{id}/usage/estimate': { id: (f) => f.activeSubscriptionId },
  'GET /v1/accounts/{id}/usage/estimate': { id: (f) => f.accountId },
  'GET /v1/usage_thresholds/{id}': { id: (f) => f.usageThresholdId },
  'PATCH /v1/usage_thresholds/{id}': { id: (f) => f.usageThresholdId, body: { percents: [10] } },
  'DELETE /v1/usage_thresholds/{id}': { id: (f) => f.usageThresholdId },
  'GET /v1/tax_rates/{id}': { id: (f) => f.invoicing.taxRateId },
  'PATCH /v1/tax_rates/{id}': { id: (f) => f.invoicing.taxRateId, body: { name: 'Renamed', valid_to: '2099-01-01T00:00:00Z' } },
  'GET /v1/invoices/{id}': { id: (f) => f.invoicing.openInvoiceId },
  'GET /v1/invoices/{id}/pdf': { id: (f) => f.invoicing.openInvoiceId },
  'GET /v1/invoices/{id}/html': { id: (f) => f.invoicing.openInvoiceId },
  'PATCH /v1/invoices/{id}': { id: (f) => f.invoicing.draftInvoiceId, body: { po_number: 'PO-hijacked' } },
  'POST /v1/invoices/{id}/refresh': { id: (f) => f.invoicing.draftInvoiceId },
  'POST /v1/invoices/{id}/finalize': { id: (f) => f.invoicing.finalizableId },
  'POST /v1/invoices/{id}/void': { id: (f) => f.invoicing.voidableId },
  'POST /v1/invoices/{id}/mark_uncollectible': { id: (f) => f.invoicing.uncollectibleId },
  'DELETE /v1/invoices/{id}': { id: (f) => f.invoicing.deletableId },
  'GET /v1/accounts/{id}/upcoming_invoice': { id: (f) => f.accountId },
  'GET /v1/one_off_charges/{id}': { id: (f) => f.invoicing.oneOffChargeId },
  'DELETE /v1/one_off_charges/{id}': { id: (f) => f.invoicing.oneOffChargeId },
  'POST /v1/invoices/{id}/credit_notes': { id: (f) => f.invoicing.openInvoiceId, body: { reason: 'billing_error' } },
  'GET /v1/credit_notes/{id}': { id: (f) => f.invoicing.creditNoteId },
  'GET /v1/accounts/{id}/credit_balance': { id: (f) => f.accountId },
  'POST /v1/accounts/{id}/credits': { id: (f) => f.accountId, body: { amount: '10.00', currency: 'USD', kind: 'prepaid', description: 'hijacked' } },
  'POST /v1/invoices/{id}/payments': { id: (f) => f.invoicing.payableId, body: { amount: '10.00', currency: 'USD', method: 'wire' } },
  'GET /v1/invoices/{id}/payments': { id: (f) => f.invoicing.payableId },
  'GET /v1/accounts/{id}/statement': { id: (f) => f.accountId },
  'GET /v1/credit_notes/{id}/pdf': { id: (f) => f.invoicing.creditNoteId },
  'GET /v1/credit_notes/{id}/html': { id: (f) => f.invoicing.creditNoteId },
};

/** For each tenant route without an id: what A's request is and which of B's ids must not show. */
interface CollectionCase {
  /** A function gets A's fixture (for queries naming A's own account). */
  path: string | ((f: TenantFixture) => string);
  /** A's request body; a function gets A's fixture (for A's own account id). */
  body?: unknown | ((f: TenantFixture) => unknown);
  /** Ids (or, for the catalogue file, codes) of the tenant's own items the response must show (so an empty answer cannot pass). */
  ids: (f: TenantFixture) => string[];
  /** For creates: the table the new row must land in, with A's tenant id, and where the response names it (default `id`). */
  table?: string;
  createdId?: (body: { id: string; changes?: Array<{ code: string; id: string }> }) => string;
  /** The success status: 200 for reads, 201 for creates unless given. */
  status?: number;
  /** Sent to this API instead of the shared one (bill runs: support/invoicing-worker.ts). */
  api?: () => TestApi;
}
const COLLECTIONS: Record<string, CollectionCase> = {
  'GET /v1/accounts': { path: '/v1/accounts?status=all&limit=100', ids: (f) => [f.accountId, f.childId] },
  'POST /v1/accounts': { path: '/v1/accounts', body: { name: 'A new', currency: 'USD', external_id: 'SAME-EXT-2' }, ids: () => [], table: 'accounts' },
  'GET /v1/api_keys': { path: '/v1/api_keys?limit=100', ids: (f) => [f.apiKeyId, f.spareKeyId] },
  'POST /v1/api_keys': { path: '/v1/api_keys', body: { name: 'new', scopes: ['read'] }, ids: () => [], table: 'api_keys' },
  'GET /v1/audit_log': { path: '/v1/audit_log?limit=100', ids: (f) => [f.auditEntryId] },
  'GET /v1/domain_events': { path: '/v1/domain_events?limit=100', ids: (f) => [f.domainEventId] },
  'GET /v1/products': { path: '/v1/products?status=all&limit=100', ids: (f) => f.productIds },
  'POST /v1/products': { path: '/v1/products', body: { code: 'brand-new', name: 'New' }, ids: () => [], table: 'products' },
  'GET /v1/billable_metrics': { path: '/v1/billable_metrics?status=all&limit=100', ids: (f) => f.metricIds },
  'POST /v1/billable_metrics': {
    path: '/v1/billable_metrics',
    body: { code: 'brand-new', name: 'New', event_name: 'x', aggregation: { type: 'count' } },
    ids: () => [],
    table: 'billable_metrics',
  },
  'GET /v1/plans': { path: '/v1/plans?status=all&limit=100', ids: (f) => f.planIds },
  'POST /v1/plans': { path: '/v1/plans', body: { code: 'brand-new', name: 'New', definition: colocationDefinition() }, ids: () => [], table: 'plans' },
  'GET /v1/bundles': { path: '/v1/bundles?status=all&limit=100', ids: (f) => [f.bundleId] },
  'POST /v1/bundles': { path: '/v1/bundles', body: { code: 'brand-new', name: 'New', items: { plan: 'colo-standard' } }, ids: () => [], table: 'bundles' },
  'GET /v1/coupons': { path: '/v1/coupons?status=all&limit=100', ids: (f) => [f.couponId] },
  'POST /v1/coupons': {
    path: '/v1/coupons',
    body: { code: 'brand-new', name: 'New', discount: { type: 'amount', amount_off: { USD: '5' } }, duration: 'forever' },
    ids: () => [],
    table: 'coupons',
  },
  'GET /v1/promotion_codes': { path: '/v1/promotion_codes?limit=100', ids: (f) => [f.promotionCodeId] },
  'POST /v1/promotion_codes': {
    path: '/v1/promotion_codes',
    body: (f: TenantFixture) => ({ code: 'BRANDNEW', coupon: f.ownCouponCode }),
    ids: (f) => [f.couponId],
    table: 'promotion_codes',
  },
  'GET /v1/price_overrides': { path: '/v1/price_overrides?limit=100', ids: (f) => [f.priceOverrideId] },
  'POST /v1/price_overrides': {
    path: '/v1/price_overrides',
    body: (f: TenantFixture) => ({
      account_id: f.accountId, plan: 'colo-standard', currency: 'USD', minimum_commitment: '1', starts_at: '2020-01-01T00:00:00Z', ends_at: '2021-01-01T00:00:00Z',
    }),
    ids: (f) => [f.accountId],
    table: 'price_overrides',
  },
  'GET /v1/asset_types': { path: '/v1/asset_types?status=all&limit=100', ids: (f) => [f.assetTypeId] },
  'POST /v1/asset_types': {
    path: '/v1/asset_types',
    body: { code: 'brand-new', name: 'New', product: 'cross-connect', category: 'cross_connect', prices: { USD: { nrc: '0', mrc: '300' } } },
    ids: () => [],
    table: 'asset_types',
  },
  'GET /v1/assets': { path: '/v1/assets?limit=100', ids: (f) => [f.orderedAssetId, f.activeAssetId, f.cancellableAssetId] },
  'POST /v1/assets': {
    path: '/v1/assets',
    body: (f: TenantFixture) => ({ account_id: f.accountId, asset_type: f.ownAssetTypeCode, provider_asset_id: 'CAB-NEW' }),
    ids: (f) => [f.accountId, f.assetTypeId],
    table: 'assets',
  },
  'POST /v1/signups': {
    path: '/v1/signups',
    body: {
      account: { name: 'Signed up', currency: 'USD', external_id: 'SAME-EXT-3' },
      payment_method: { gateway: 'simulated', token: 'tok_same', type: 'card' },
      subscription: { plan: 'colo-standard' },
      promotion_code: 'WELCOME',
    },
    // The shared code WELCOME must resolve to A's own promotion code.
    ids: (f) => [f.promotionCodeId],
    table: 'accounts',
    createdId: (body) => (body as unknown as { account: { id: string } }).account.id,
  },
  'GET /v1/subscriptions': { path: '/v1/subscriptions?limit=100', ids: (f) => [f.activeSubscriptionId, f.pendingSubscriptionId] },
  'POST /v1/subscriptions': {
    path: '/v1/subscriptions',
    body: (f: TenantFixture) => ({ account_id: f.accountId, plan: f.ownPlanCode, requires_provisioning: true }),
    ids: (f) => [f.accountId],
    table: 'subscriptions',
  },
  'GET /v1/catalog/export': {
    path: '/v1/catalog/export?format=json&include_archived=true',
    ids: (f) => [f.ownPlanCode, f.ownCouponCode, f.ownAssetTypeCode],
  },
  // The file creates a product and renames the code both tenants share: only A's changes. Items
  // the file leaves out are reported as not_in_file: A's, never B's.
  'POST /v1/catalog/apply': {
    path: '/v1/catalog/apply',
    body: (f: TenantFixture) => ({
      document: {
        rackrate_catalog: 1,
        products: [
          { code: 'applied-product', name: 'Applied' },
          { code: 'cabinet', name: 'Renamed by the file', unit_label: 'cabinet', gl_code: '4010', tax_code: 'colocation' },
        ],
        promotion_codes: [{ code: 'APPLIED', coupon: f.ownCouponCode }],
      },
    }),
    ids: (f) => [f.ownPlanCode, f.ownCouponCode, f.ownAssetTypeCode],
    status: 200,
    table: 'products',
    createdId: (body) => body.changes!.find((c) => c.code === 'applied-product')!.id,
  },
  'GET /v1/usage': { path: (f) => `/v1/usage?account_id=${f.accountId}&metric=transit-gb`, ids: (f) => [f.accountId] },
  'GET /v1/usage/series': { path: (f) => `/v1/usage/series?account_id=${f.accountId}&metric=transit-gb`, ids: (f) => [f.accountId] },
  'GET /v1/usage/samples': { path: (f) => `/v1/usage/samples?account_id=${f.accountId}&metric=port-bps&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z`, ids: (f) => [f.accountId] },
  // SAME-EXT is a customer of both tenants: it must resolve to A's account, the one A's subscription belongs to.
  'POST /v1/events': {
    path: '/v1/events',
    body: (f: TenantFixture) => ({ id: 'iso-1', customer: 'SAME-EXT', subscription_id: f.activeSubscriptionId, code: 'interface.bytes', timestamp: new Date().toISOString(), properties: { gb: 1 } }),
    ids: (f) => [f.activeSubscriptionId],
    status: 202,
  },
  'POST /v1/events/batch': {
    path: '/v1/events/batch',
    body: (f: TenantFixture) => [{ id: 'iso-2', customer: 'SAME-EXT', subscription_id: f.activeSubscriptionId, code: 'interface.bytes', timestamp: new Date().toISOString(), properties: { gb: 1 } }],
    ids: (f) => [f.activeSubscriptionId],
    status: 200,
  },
  'GET /v1/usage_thresholds': { path: '/v1/usage_thresholds?limit=100', ids: (f) => [f.usageThresholdId] },
  'POST /v1/usage_thresholds': {
    path: '/v1/usage_thresholds',
    body: (f: TenantFixture) => ({ account_id: f.accountId, basis: 'units', metric_code: 'transit-gb', reference: 'value', reference_value: '1000', percents: [80] }),
    ids: (f) => [f.accountId],
    table: 'usage_thresholds',
  },
  'GET /v1/tax_rates': { path: '/v1/tax_rates?limit=100', ids: (f) => [f.invoicing.taxRateId] },
  'POST /v1/tax_rates': { path: '/v1/tax_rates', body: { name: 'GST', country: 'CA', percentage: '5', valid_from: '2027-01-01T00:00:00Z' }, ids: () => [], table: 'tax_rates' },
  'GET /v1/invoices': { path: '/v1/invoices?limit=100', ids: (f) => [f.invoicing.openInvoiceId, f.invoicing.draftInvoiceId, f.invoicing.payableId] },
  'POST /v1/invoices': {
    path: '/v1/invoices',
    body: (f: TenantFixture) => ({ account_id: f.accountId, items: [{ description: 'New', unit_price: '1.00' }], finalize: true }),
    ids: (f) => [f.accountId],
    table: 'invoices',
  },
  'GET /v1/one_off_charges': { path: '/v1/one_off_charges?limit=100', ids: (f) => [f.invoicing.oneOffChargeId] },
  'POST /v1/one_off_charges': {
    path: '/v1/one_off_charges',
    body: (f: TenantFixture) => ({ account_id: f.accountId, description: 'New', unit_price: '1.00' }),
    ids: (f) => [f.accountId],
    table: 'one_off_charges',
  },
  // A's run: B's due accounts and drafts are not A's to bill.
  'POST /v1/bill_runs': { path: '/v1/bill_runs', body: {}, ids: () => [], status: 202, api: () => billingApi },
  'GET /v1/credit_notes': { path: '/v1/credit_notes?limit=100', ids: (f) => [f.invoicing.creditNoteId] },
};

const SUBSCRIPTION_TABLES = ['subscriptions', 'subscription_transitions', 'subscription_charges', 'coupon_redemptions', 'payment_methods', 'usage_thresholds'];
const INVOICING_TABLES = ['tax_rates', 'invoices', 'one_off_charges', 'credit_notes', 'credit_balance_entries', 'invoice_payments'];
/** Invoicing tables without an id column, with the order that makes their snapshot stable. */
const KEYED_TABLES: Record<string, string> = {
  invoice_lines: 'invoice_id, line_key', credit_note_lines: 'credit_note_id, invoice_line_key',
  document_number_sequences: 'kind', invoice_documents: 'document_id, format',
};

const tenantRoutes = allRoutes().filter((r): r is Extract<Route, { auth: 'tenant' }> => r.auth === 'tenant');
const name = (r: Route) => `${r.method.toUpperCase()} ${r.path}`;

it('has a case for every tenant endpoint, and every case is an endpoint', () => {
  const covered = new Set([...Object.keys(TARGETS), ...Object.keys(COLLECTIONS)]);
  expect(tenantRoutes.map(name).filter((n) => !covered.has(n))).toEqual([]);
  const routes = new Set(tenantRoutes.map(name));
  expect([...covered].filter((n) => !routes.has(n))).toEqual([]);
});

async function snapshotOfB(): Promise<string> {
  return db.asSuperuser(async (c) => {
    const rows = await Promise.all(
      ['accounts', 'api_keys', 'audit_log', 'outbox_events', ...CATALOG_TABLES, ...SUBSCRIPTION_TABLES, ...INVOICING_TABLES, ...Object.keys(KEYED_TABLES)].map(async (t) =>
        JSON.stringify((await c.query(`SELECT * FROM ${t} WHERE tenant_id = $1 ORDER BY ${KEYED_TABLES[t] ?? 'id'}`, [b.id])).rows),
      ),
    );
    return rows.join('\n');
  });
}

describe.each(Object.keys(TARGETS))("A's key on B's resource: %s", (route) => {
  it('answers 404 and leaves B untouched', async () => {
    const [method, template] = route.split(' ') as [string, string];
    const target = TARGETS[route]!;
    const before = await snapshotOfB();
    const res = await api.request(method, template.replace('{id}', target.id(fixtures.b!)).replace('{version}', '1'), {
      key: a.adminKey,
      ...(target.body ? { body: target.body } : {}),
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect(await snapshotOfB()).toEqual(before);
  });
});

describe.each(Object.keys(COLLECTIONS))("A's key on a collection: %s", (route) => {
  it("shows or touches nothing of B's", async () => {
    const [method] = route.split(' ') as [string];
    const c = COLLECTIONS[route]!;
    const before = await snapshotOfB();
    const body = typeof c.body === 'function' ? c.body(fixtures.a!) : c.body;
    const res = await (c.api?.() ?? api).request(method, typeof c.path === 'function' ? c.path(fixtures.a!) : c.path, { key: a.adminKey, ...(body ? { body } : {}) });
    expect({ status: res.status, body: res.status < 300 ? 'ok' : res.body }).toEqual({ status: c.status ?? (method === 'POST' ? 201 : 200), body: 'ok' });
    const text = JSON.stringify(res.body);
    for (const id of c.ids(fixtures.a!)) expect(text).toContain(id);
    for (const id of c.ids(fixtures.b!)) expect(text).not.toContain(id);
    expect(text).not.toContain(b.id);
    expect(await snapshotOfB()).toEqual(before);
    if (c.table) {
      const id = c.createdId ? c.createdId(res.body) : res.body.id;
      const owner = await db.asSuperuser((client) => client.query(`SELECT tenant_id FROM ${c.table} WHERE id = $1`, [id]));
      expect(owner.rows).toEqual([{ tenant_id: a.id }]);
    }
  });
});

it('filters cannot reach across tenants', async () => {
  const byParent = await api.request('GET', `/v1/accounts?parent_id=${fixtures.b!.accountId}`, { key: a.adminKey });
  expect(byParent.body.data).toEqual([]);
  const byResource = await api.request('GET', `/v1/audit_log?resource_id=${fixtures.b!.accountId}`, { key: a.adminKey });
  expect(byResource.body.data).toEqual([]);
  const events = await api.request('GET', `/v1/domain_events?resource_id=${fixtures.b!.accountId}`, { key: a.adminKey });
  expect(events.body.data).toEqual([]);
  // Both tenants may use the same external id; each sees its own.
  const ext = await api.request('GET', '/v1/accounts?external_id=SAME-EXT', { key: a.adminKey });
  expect(ext.body.data.map((x: { id: string }) => x.id)).toEqual([fixtures.a!.accountId]);
});

it('catalogue filters cannot reach across tenants; shared codes and provider ids resolve to A\'s own', async () => {
  const get = async (path: string) => (await api.request('GET', path, { key: a.adminKey })).body.data.map((x: { id: string }) => x.id);
  const fb = fixtures.b!;
  expect(await get(`/v1/assets?account_id=${fb.accountId}`)).toEqual([]);
  expect(await get(`/v1/price_overrides?account_id=${fb.accountId}`)).toEqual([]);
  expect(await get(`/v1/promotion_codes?coupon_id=${fb.couponId}`)).toEqual([]);
  expect(await get(`/v1/audit_log?resource_id=${fb.priceOverrideId}`)).toEqual([]);
  expect(await get(`/v1/domain_events?resource_id=${fb.activeAssetId}`)).toEqual([]);
  expect(await get('/v1/promotion_codes?code=welcome')).toEqual([fixtures.a!.promotionCodeId]);
  expect(await get('/v1/assets?provider_asset_id=CAB-1')).toEqual([fixtures.a!.orderedAssetId]);
  const yaml = await api.request('GET', '/v1/catalog/export?include_archived=true', { key: a.adminKey });
  expect(yaml.status).toBe(200);
  expect(yaml.text).toContain(fixtures.a!.ownPlanCode);
  for (const code of [fb.ownPlanCode, fb.ownCouponCode, fb.ownAssetTypeCode]) expect(yaml.text).not.toContain(code);
});

describe("catalogue references to B's items fail like references to nothing", () => {
  const MISSING = '01900000-0000-7000-8000-000000000000';
  /** A's request naming B's item and naming nothing: same status, code and field errors (ids aside), and nothing written anywhere. */
  async function expectSameAsMissing(path: string, body: (ref: string) => unknown, bRef: string, missingRef: string): Promise<TestResponse> {
    const before = await snapshotOfB();
    const footprint = await catalogFootprint(db);
    const viaB = await api.request('POST', path, { key: a.adminKey, body: body(bRef) });
    const viaNothing = await api.request('POST', path, { key: a.adminKey, body: body(missingRef) });
    expect(viaB.status).toBe(422);
    expect(viaB.body.code).toBe('invalid_catalog');
    const scrub = (res: TestResponse, ref: string) => JSON.stringify(res.body.errors).replaceAll(ref, '<ref>');
    expect(scrub(viaB, bRef)).toEqual(scrub(viaNothing, missingRef));
    expect(scrub(viaB, bRef)).not.toContain(b.id);
    expect(await snapshotOfB()).toEqual(before);
    expect(await catalogFootprint(db)).toEqual(footprint);
    return viaB;
  }

  it("a price override for B's account, or for B's plan", async () => {
    const override = (account: string, plan = 'colo-standard') => ({ account_id: account, plan, currency: 'USD', minimum_commitment: '1', starts_at: '2030-01-01T00:00:00Z' });
    const res = await expectSameAsMissing('/v1/price_overrides', (ref) => override(ref), fixtures.b!.accountId, MISSING);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'account_id', code: 'unknown_account' })]);
    const plan = await expectSameAsMissing('/v1/price_overrides', (ref) => override(fixtures.a!.accountId, ref), fixtures.b!.ownPlanCode, 'no-such-plan');
    expect(plan.body.errors).toEqual([expect.objectContaining({ field: 'plan', code: 'unknown_plan' })]);
  });

  it("an asset for B's account, or of B's asset type", async () => {
    const asset = (account: string, type: string) => ({ account_id: account, asset_type: type, provider_asset_id: 'SNEAKY-1' });
    const res = await expectSameAsMissing('/v1/assets', (ref) => asset(ref, fixtures.a!.ownAssetTypeCode), fixtures.b!.accountId, MISSING);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'account_id', code: 'unknown_account' })]);
    const type = await expectSameAsMissing('/v1/assets', (ref) => asset(fixtures.a!.accountId, ref), fixtures.b!.ownAssetTypeCode, 'no-such-type');
    expect(type.body.errors).toEqual([expect.objectContaining({ field: 'asset_type', code: 'unknown_asset_type' })]);
  });

  it("a bundle naming B's plan", async () => {
    const res = await expectSameAsMissing('/v1/bundles', (ref) => ({ code: 'sneaky', name: 'Sneaky', items: { plan: ref } }), fixtures.b!.ownPlanCode, 'no-such-plan');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'items.plan', code: 'unknown_plan' })]);
  });

  it("a promotion code for B's coupon, and a coupon scoped to B's plan", async () => {
    const res = await expectSameAsMissing('/v1/promotion_codes', (ref) => ({ code: 'SNEAKY', coupon: ref }), fixtures.b!.ownCouponCode, 'no-such-coupon');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'coupon', code: 'unknown_coupon' })]);
    const coupon = await expectSameAsMissing(
      '/v1/coupons',
      (ref) => ({ code: 'sneaky', name: 'Sneaky', discount: { type: 'percent', percent_off: '5' }, duration: 'once', applies_to: { plans: [ref] } }),
      fixtures.b!.ownPlanCode,
      'no-such-plan',
    );
    expect(coupon.body.errors).toEqual([expect.objectContaining({ field: 'applies_to.plans[0]', code: 'unknown_plan' })]);
  });

  it("a catalogue file naming B's coupon or plan", async () => {
    const res = await expectSameAsMissing(
      '/v1/catalog/apply',
      (ref) => ({ document: { rackrate_catalog: 1, promotion_codes: [{ code: 'SNEAKY2', coupon: ref }] } }),
      fixtures.b!.ownCouponCode,
      'no-such-coupon',
    );
    expect(res.body.errors).toEqual([expect.objectContaining({ field: expect.stringMatching(/^promotion_codes\[0\]/) })]);
    await expectSameAsMissing(
      '/v1/catalog/apply',
      (ref) => ({ document: { rackrate_catalog: 1, bundles: [{ code: 'sneaky', name: 'Sneaky', items: { plan: ref } }] } }),
      fixtures.b!.ownPlanCode,
      'no-such-plan',
    );
  });

  it("a preview of A's plan for B's account answers like an unknown account, without B's overrides", async () => {
    const preview = (account: string) => api.request('POST', `/v1/plans/${fixtures.a!.planIds[0]}/preview`, { key: a.adminKey, body: { account_id: account } });
    const viaB = await preview(fixtures.b!.accountId);
    const viaNothing = await preview(MISSING);
    expect(viaB.status).toBe(404);
    expect(viaB.body.code).toBe('not_found');
    expect(viaB.body.detail.replaceAll(fixtures.b!.accountId, '<ref>')).toEqual(viaNothing.body.detail.replaceAll(MISSING, '<ref>'));
    expect(viaB.text).not.toContain(fixtures.b!.priceOverrideId);
  });
});

it("usage and thresholds naming B's account or subscription answer like naming nothing", async () => {
  const MISSING = '01900000-0000-7000-8000-000000000000';
  const fb = fixtures.b!;
  const scrub = (text: string, ref: string) => text.replaceAll(ref, '<ref>');
  const before = await snapshotOfB();
  for (const [field, ref] of [['account_id', fb.accountId], ['subscription_id', fb.activeSubscriptionId]] as const) {
    const usage = (id: string) => api.request('GET', `/v1/usage?${field}=${id}&metric=transit-gb`, { key: a.adminKey });
    const [viaB, viaNothing] = [await usage(ref), await usage(MISSING)];
    expect(viaB.status).toBe(400);
    expect(scrub(JSON.stringify(viaB.body.errors), ref)).toEqual(scrub(JSON.stringify(viaNothing.body.errors), MISSING));
    const threshold = (id: string) =>
      api.request('POST', '/v1/usage_thresholds', {
        key: a.adminKey,
        body: { account_id: fixtures.a!.accountId, [field]: id, basis: 'amount', reference: 'value', reference_value: '1', percents: [1] },
      });
    const [tViaB, tViaNothing] = [await threshold(ref), await threshold(MISSING)];
    expect(tViaB.status).toBe(400);
    expect(scrub(JSON.stringify(tViaB.body.errors), ref)).toEqual(scrub(JSON.stringify(tViaNothing.body.errors), MISSING));
  }
  expect(await snapshotOfB()).toEqual(before);
});

it("invoicing filters and references naming B's account or invoice answer like naming nothing", async () => {
  const MISSING = '01900000-0000-7000-8000-000000000000';
  const fb = fixtures.b!;
  const before = await snapshotOfB();
  const list = async (path: string) => (await api.request('GET', path, { key: a.adminKey })).body.data;
  expect(await list(`/v1/invoices?account_id=${fb.accountId}`)).toEqual([]);
  expect(await list(`/v1/one_off_charges?account_id=${fb.accountId}`)).toEqual([]);
  expect(await list(`/v1/credit_notes?invoice_id=${fb.invoicing.openInvoiceId}`)).toEqual([]);
  expect(await list(`/v1/credit_notes?account_id=${fb.accountId}`)).toEqual([]);
  const creates: Array<[string, (account: string) => unknown]> = [
    ['/v1/invoices', (account) => ({ account_id: account, items: [{ description: 'Sneaky', unit_price: '1.00' }], finalize: true })],
    ['/v1/one_off_charges', (account) => ({ account_id: account, description: 'Sneaky', unit_price: '1.00' })],
  ];
  for (const [path, body] of creates) {
    const viaB = await api.request('POST', path, { key: a.adminKey, body: body(fb.accountId) });
    const viaNothing = await api.request('POST', path, { key: a.adminKey, body: body(MISSING) });
    expect([viaB.status, viaB.body.code]).toEqual([404, 'not_found']);
    expect(viaB.body.detail.replaceAll(fb.accountId, '<ref>')).toEqual(viaNothing.body.detail.replaceAll(MISSING, '<ref>'));
  }
  expect(await snapshotOfB()).toEqual(before);
});

it("cannot attach an account to B's account as parent", async () => {
  const res = await api.request('POST', '/v1/accounts', {
    key: a.adminKey,
    body: { name: 'Sneaky child', currency: 'USD', parent_id: fixtures.b!.accountId },
  });
  expect(res.status).toBe(422);
  expect(res.body.errors).toEqual([expect.objectContaining({ field: 'parent_id', code: 'parent_not_found' })]);
});

it('a tenant key cannot use platform endpoints', async () => {
  for (const route of allRoutes().filter((r) => r.auth === 'platform')) {
    const path = route.path.replace('{id}', b.id);
    const res = await api.request(route.method.toUpperCase(), path, { key: a.adminKey, ...(route.body ? { body: {} } : {}) });
    expect(res.status).toBe(401);
  }
});

// Last, as it changes B: the id cases were refused for A only because the ids are B's.
it("B's own key succeeds on every id case (so A's 404s are the tenant wall, not a bad request)", async () => {
  const failures: string[] = [];
  for (const [route, target] of Object.entries(TARGETS)) {
    const [method, template] = route.split(' ') as [string, string];
    const res = await api.request(method, template.replace('{id}', target.id(fixtures.b!)).replace('{version}', '1'), {
      key: b.adminKey,
      ...(target.body ? { body: target.body } : {}),
    });
    if (res.status >= 300) failures.push(`${route}: ${res.status} ${res.text}`);
  }
  expect(failures).toEqual([]);
});
