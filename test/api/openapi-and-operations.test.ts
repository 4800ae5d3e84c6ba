import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020';
import { allRoutes } from '../../api/app';
import { invoiceSchema } from '../../services/invoicing/invoice-schemas';
import { colocationDefinition, expectCreated, seedTenantCatalog } from '../support/catalog-fixtures';
import { startTestApi, TEST_PLATFORM_KEY, useApiTest, type TestApi } from '../support/http';
import { startBillingTemporal } from '../support/invoicing-worker';
import type { TemporalRuntime } from '../support/temporal-runtime';

const ctx = useApiTest('openapi', { withTemporal: true });
// Bill runs go to an API whose Temporal has the invoicing activities (support/invoicing-worker.ts).
let billing: TemporalRuntime | undefined;
let billingApi: TestApi | undefined;
beforeAll(async () => {
  billing = await startBillingTemporal(ctx.db.dataSource);
  billingApi = await startTestApi(ctx.db.dataSource, { temporal: billing.temporal });
}, 60_000);
afterAll(async () => {
  await billingApi?.close();
  await billing?.close();
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await ctx.api.request('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toBeDefined();
    // The validator does reject a broken document.
    const broken = structuredClone(res.body);
    broken.paths['/v1/accounts'].get.responses = 'none';
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });

  it('documents every route, its security and its error responses', async () => {
    const doc = (await ctx.api.request('GET', '/v1/openapi.json')).body;
    for (const route of allRoutes()) {
      const operation = doc.paths[route.path]?.[route.method];
      expect({ route: `${route.method} ${route.path}`, documented: operation !== undefined }).toEqual({
        route: `${route.method} ${route.path}`,
        documented: true,
      });
      expect(operation.operationId).toBe(route.operationId);
      expect(operation.responses[String(route.success.status)]).toBeDefined();
      if (route.auth === 'tenant') {
        expect(operation.security).toEqual([{ apiKey: [] }]);
        expect(operation.responses['401'].content['application/problem+json']).toBeDefined();
      }
      if (route.method === 'post' && route.auth !== 'none') {
        const headers = (operation.parameters ?? []).map((p: { name: string }) => p.name);
        // The event routes ignore Idempotency-Key: each event's id is its key.
        if (route.idempotencyKey === 'ignored') expect(headers).not.toContain('Idempotency-Key');
        else expect(headers).toContain('Idempotency-Key');
      }
    }
    expect(doc.components.schemas.Account).toBeDefined();
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it('declares every operation once: one route per method and path, one operationId each', () => {
    const twice = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);
    expect(twice(allRoutes().map((r) => `${r.method.toUpperCase()} ${r.path}`))).toEqual([]);
    expect(twice(allRoutes().map((r) => r.operationId))).toEqual([]);
  });

  it('serves a readable docs page with its assets', async () => {
    const page = await ctx.api.request('GET', '/v1/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('/v1/openapi.json');
    const script = await ctx.api.request('GET', '/v1/docs/assets/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect(script.text.length).toBeGreaterThan(100_000);
  });
});

/**
 * Validates a body against the response schema the OpenAPI document (not the
 * zod source) publishes, so a fault in the zod → JSON Schema conversion shows.
 */
function documentedSchemaValidator(doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>; components: object }) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  return (path: string, method: string, status: number, body: unknown) => {
    const schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`no documented JSON schema for ${method} ${path} ${status}`);
    const validate = ajv.compile({ ...schema, components: doc.components });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

it('every JSON response matches the schema its route documents, in zod and in the OpenAPI document', async () => {
  const doc = (await ctx.api.request('GET', '/v1/openapi.json')).body;
  const documented = documentedSchemaValidator(doc);
  const key = ctx.tenant.adminKey;
  // Every nested shape filled in, so each documented sub-schema is exercised.
  const parent = await ctx.api.request('POST', '/v1/accounts', {
    key,
    body: {
      name: 'Schema parent',
      currency: 'USD',
      external_id: 'S-1',
      billing_address: { line1: '1-2-3 Otemachi', line2: 'Floor 4', city: 'Chiyoda-ku', postal_code: '100-0004', country: 'JP' },
      contacts: [{ name: 'Dana Whitfield', email: 'dana@example.com', phone: '+1 212 555 0142', roles: ['billing'] }],
      tax_ids: [{ type: 'eu_vat', value: 'DE123456789' }],
      payment_terms: { type: 'net', days: 30 },
    },
  });
  await ctx.api.request('PATCH', `/v1/accounts/${parent.body.id}`, { key, body: { metadata: { a: 'b' } } });
  const child = await ctx.api.request('POST', '/v1/accounts', { key, body: { name: 'Schema child', currency: 'USD', parent_id: parent.body.id } });
  const newKey = await ctx.api.request('POST', '/v1/api_keys', { key, body: { name: 'schema', scopes: ['read'] } });
  const tc = await seedTenantCatalog(ctx.api, key, 'schema', parent.body.id);
  // Items the loop may archive, end or transition without breaking later steps.
  const spare = async (path: string, body: unknown) => (await expectCreated(ctx.api.request('POST', path, { key, body }))).id;
  const spareProduct = await spare('/v1/products', { code: 'spare-product', name: 'Spare' });
  const spareMetric = await spare('/v1/billable_metrics', { code: 'spare-metric', name: 'Spare', event_name: 'x', aggregation: { type: 'count' } });
  const sparePlan = await spare('/v1/plans', { code: 'spare-plan', name: 'Spare', definition: colocationDefinition() });
  const spareBundle = await spare('/v1/bundles', { code: 'spare-bundle', name: 'Spare', items: { plan: 'colo-standard' } });
  const spareCoupon = await spare('/v1/coupons', { code: 'spare-coupon', name: 'Spare', discount: { type: 'percent', percent_off: '1' }, duration: 'forever' });
  const spareAssetType = await spare('/v1/asset_types', { code: 'spare-type', name: 'Spare', product: 'cabinet', category: 'port', prices: { USD: { nrc: '0', mrc: '1' } } });
  await spare('/v1/promotion_codes', { code: 'SIGNUP10', coupon: tc.ownCouponCode });
  const subscription = async (body: Record<string, unknown>) =>
    (await expectCreated(ctx.api.request('POST', '/v1/subscriptions', { key, body: { account_id: parent.body.id, plan: tc.ownPlanCode, ...body } }))).id;
  const activeSubscription = await subscription({ quantity: '2', addons: [{ code: 'xc', quantity: '1' }], coupon: tc.ownCouponCode, metadata: { po: '42' } });
  const pendingSubscription = await subscription({ requires_provisioning: true });
  await waitFor(async () => (await ctx.api.request('GET', `/v1/subscriptions/${activeSubscription}`, { key })).body.status === 'active');
  const threshold = await spare('/v1/usage_thresholds', { account_id: parent.body.id, basis: 'amount', reference: 'value', reference_value: '100', percents: [50] });
  const audit = await ctx.api.request('GET', '/v1/audit_log', { key });
  const events = await ctx.api.request('GET', '/v1/domain_events', { key });
  // Invoicing: a JP rate so the parent's invoices carry tax; one invoice per life-cycle step the loop takes.
  await spare('/v1/tax_rates', { name: 'JCT', country: 'JP', percentage: '10', valid_from: '2020-01-01T00:00:00Z' });
  const spareTaxRate = await spare('/v1/tax_rates', { name: 'VAT', country: 'GB', percentage: '20' });
  const invoice = async (finalize: boolean) =>
    invoiceSchema.parse(await expectCreated(ctx.api.request('POST', '/v1/invoices', { key, body: { account_id: parent.body.id, items: [{ description: 'Remote hands', unit_price: '120.00' }], finalize } })));
  const [draftInvoice, refreshable, finalizable] = [await invoice(false), await invoice(false), await invoice(false)];
  const [openInvoice, voidable, uncollectible, payable] = [await invoice(true), await invoice(true), await invoice(true), await invoice(true)];
  const openLineKey = openInvoice.groups[0]!.lines[0]!.key;
  const creditNote = await spare(`/v1/invoices/${openInvoice.id}/credit_notes`, { reason: 'billing_error', lines: [{ line_key: openLineKey, amount: '5.00' }] });
  const pendingCharge = await spare('/v1/one_off_charges', { account_id: parent.body.id, description: 'Cage keys', unit_price: '15.00' });
  const apiFor = (label: string) => (label === 'POST /v1/bill_runs' ? billingApi! : ctx.api);
  const ids: Record<string, string> = {
    '/v1/accounts/{id}': child.body.id,
    '/v1/accounts/{id}/archive': child.body.id,
    '/v1/api_keys/{id}': newKey.body.id,
    '/v1/api_keys/{id}/revoke': newKey.body.id,
    '/v1/audit_log/{id}': audit.body.data[0].id,
    '/v1/domain_events/{id}': events.body.data[0].id,
    '/v1/tenants/{id}': ctx.tenant.id,
    '/v1/tenants/{id}/api_keys': ctx.tenant.id,
    '/problems/{code}': 'not_found',
    '/v1/products/{id}': tc.productIds[0]!,
    '/v1/products/{id}/archive': spareProduct,
    '/v1/billable_metrics/{id}': tc.metricIds[0]!,
    '/v1/billable_metrics/{id}/archive': spareMetric,
    '/v1/plans/{id}': tc.planIds[0]!,
    '/v1/plans/{id}/archive': sparePlan,
    '/v1/plans/{id}/versions': tc.planIds[0]!,
    '/v1/plans/{id}/versions/{version}': tc.planIds[0]!,
    '/v1/plans/{id}/preview': tc.planIds[0]!,
    '/v1/bundles/{id}': tc.bundleId,
    '/v1/bundles/{id}/archive': spareBundle,
    '/v1/coupons/{id}': tc.couponId,
    '/v1/coupons/{id}/archive': spareCoupon,
    '/v1/promotion_codes/{id}': tc.promotionCodeId,
    '/v1/promotion_codes/{id}/deactivate': tc.promotionCodeId,
    '/v1/price_overrides/{id}': tc.priceOverrideId,
    '/v1/price_overrides/{id}/end': tc.priceOverrideId,
    '/v1/asset_types/{id}': tc.assetTypeId,
    '/v1/asset_types/{id}/archive': spareAssetType,
    '/v1/assets/{id}': tc.activeAssetId,
    '/v1/assets/{id}/activate': tc.orderedAssetId,
    '/v1/assets/{id}/disconnect': tc.activeAssetId,
    '/v1/assets/{id}/cancel': tc.cancellableAssetId,
    '/v1/accounts/{id}/payment_methods': parent.body.id,
    '/v1/accounts/{id}/offers': parent.body.id,
    '/v1/subscriptions/{id}': activeSubscription,
    '/v1/subscriptions/{id}/state': activeSubscription,
    '/v1/subscriptions/{id}/charges': activeSubscription,
    '/v1/subscriptions/{id}/transitions': activeSubscription,
    '/v1/subscriptions/{id}/activate': pendingSubscription,
    '/v1/subscriptions/{id}/change': activeSubscription,
    '/v1/subscriptions/{id}/cancel': activeSubscription,
    '/v1/subscriptions/{id}/pause': activeSubscription,
    '/v1/subscriptions/{id}/resume': activeSubscription,
    '/v1/subscriptions/{id}/suspend': activeSubscription,
    '/v1/subscriptions/{id}/reinstate': activeSubscription,
    '/v1/subscriptions/{id}/usage/estimate': activeSubscription,
    '/v1/accounts/{id}/usage/estimate': parent.body.id,
    '/v1/usage_thresholds/{id}': threshold,
    '/v1/tax_rates/{id}': spareTaxRate,
    '/v1/invoices/{id}': draftInvoice.id,
    '/v1/invoices/{id}/pdf': openInvoice.id,
    '/v1/invoices/{id}/html': openInvoice.id,
    '/v1/invoices/{id}/refresh': refreshable.id,
    '/v1/invoices/{id}/finalize': finalizable.id,
    '/v1/invoices/{id}/void': voidable.id,
    '/v1/invoices/{id}/mark_uncollectible': uncollectible.id,
    '/v1/accounts/{id}/upcoming_invoice': parent.body.id,
    '/v1/one_off_charges/{id}': pendingCharge,
    '/v1/invoices/{id}/credit_notes': openInvoice.id,
    '/v1/credit_notes/{id}': creditNote,
    '/v1/accounts/{id}/credit_balance': parent.body.id,
    '/v1/accounts/{id}/credits': parent.body.id,
    '/v1/invoices/{id}/payments': payable.id,
    '/v1/accounts/{id}/statement': parent.body.id,
    '/v1/credit_notes/{id}/pdf': creditNote,
    '/v1/credit_notes/{id}/html': creditNote,
  };
  // Query strings for routes that need one (schema-new-metric is the percentile metric the loop creates first).
  const queries: Record<string, string> = {
    'GET /v1/usage': `account_id=${parent.body.id}&metric=transit-gb&group_by=region&filters=port:xe-0/0/1`,
    'GET /v1/usage/series': `subscription_id=${activeSubscription}&metric=transit-gb&bucket=hour&from=2026-11-01T00:00:00Z&to=2026-11-01T03:00:00Z`,
    'GET /v1/usage/samples': `account_id=${parent.body.id}&metric=schema-new-metric&from=2026-11-01T00:00:00Z&to=2026-11-01T01:00:00Z`,
  };
  const bodies: Record<string, unknown> = {
    'POST /v1/accounts': { name: 'Schema new', currency: 'JPY' },
    'PATCH /v1/accounts/{id}': { legal_name: 'Schema Child Ltd' },
    'POST /v1/api_keys': { name: 'schema 2', scopes: ['ingest'] },
    'POST /v1/tenants': { name: 'Schema Colo', slug: 'schema-colo' },
    'POST /v1/tenants/{id}/api_keys': { name: 'ops', scopes: ['admin'] },
    'PATCH /v1/tenants/{id}': { proration_unit: 'day', trial_ending_notice_days: 5 },
    'POST /v1/products': { code: 'schema-new-product', name: 'Schema product', gl_code: '4999' },
    'PATCH /v1/products/{id}': { description: 'Renamed in the schema test' },
    'POST /v1/billable_metrics': { code: 'schema-new-metric', name: 'Schema metric', event_name: 'x', aggregation: { type: 'percentile', property: 'bps', percentile: '95' } },
    'PATCH /v1/billable_metrics/{id}': { unit_label: 'GB' },
    'POST /v1/plans': { code: 'schema-new-plan', name: 'Schema plan', definition: colocationDefinition() },
    'PATCH /v1/plans/{id}': { description: 'Described' },
    'POST /v1/plans/{id}/versions': { definition: colocationDefinition({ trial_days: 3 }) },
    'POST /v1/plans/{id}/preview': { currency: 'USD', usage: { transit: { quantity: '12345.5' } } },
    'POST /v1/bundles': { code: 'schema-new-bundle', name: 'Schema bundle', items: { plan: 'colo-standard', addons: [{ addon: 'xc', quantity: 1 }] }, discount: { percent_off: '5' } },
    'PATCH /v1/bundles/{id}': { name: 'Renamed bundle' },
    'POST /v1/coupons': { code: 'schema-new-coupon', name: 'Schema coupon', discount: { type: 'amount', amount_off: { USD: '50' } }, duration: 'repeating', duration_periods: 3 },
    'PATCH /v1/coupons/{id}': { max_redemptions: 10 },
    'POST /v1/promotion_codes': { code: 'SCHEMA10', coupon: tc.ownCouponCode, max_redemptions: 5 },
    'POST /v1/price_overrides': { account_id: parent.body.id, plan: tc.ownPlanCode, currency: 'USD', charges: { transit: { included_quantity: '5000' } }, starts_at: '2027-01-01T00:00:00Z' },
    'POST /v1/price_overrides/{id}/end': { ends_at: '2028-01-01T00:00:00Z' },
    'POST /v1/asset_types': { code: 'schema-new-type', name: 'Schema type', product: 'cabinet', category: 'cross_connect', prices: { USD: { nrc: '500', mrc: '300' } } },
    'PATCH /v1/asset_types/{id}': { description: 'Described' },
    'POST /v1/assets': { account_id: parent.body.id, asset_type: tc.ownAssetTypeCode, provider_asset_id: 'SCHEMA-1' },
    'POST /v1/catalog/apply': { document: { rackrate_catalog: 1 }, dry_run: true },
    'POST /v1/subscriptions': {
      account_id: parent.body.id, plan: 'colo-standard', plan_version: 1, quantity: '1', addons: [{ code: 'xc' }], trial_days: 14,
      trial_end_behavior: 'cancel_without_payment_method', billing_anchor: 'anniversary', external_id: 'SUB-1', metadata: { a: 'b' },
    },
    'POST /v1/subscriptions/{id}/activate': { activated_at: new Date().toISOString() },
    'POST /v1/subscriptions/{id}/change': { plan: tc.ownPlanCode, quantity: '3', add_addons: [{ code: 'xc', quantity: '2' }], effective: 'period_end' },
    'POST /v1/subscriptions/{id}/cancel': { effective: 'period_end', reason: 'moving out' },
    'POST /v1/subscriptions/{id}/pause': { resume_at: '2099-01-01T00:00:00Z' },
    'POST /v1/subscriptions/{id}/suspend': { reason: 'unpaid' },
    'POST /v1/events': { id: 'schema-evt-1', subscription_id: activeSubscription, code: 'interface.bytes', timestamp: new Date().toISOString(), properties: { gb: 2 } },
    'POST /v1/events/batch': {
      events: [
        { id: 'schema-evt-2', customer: 'S-1', subscription_id: activeSubscription, code: 'interface.bytes', timestamp: new Date().toISOString(), properties: { gb: 2 } },
        { id: 'schema-evt-2', customer: 'S-1', subscription_id: activeSubscription, code: 'interface.bytes', timestamp: new Date().toISOString(), properties: { gb: 2 } },
        { id: 'schema-evt-3', customer: 'S-1', code: 'no.such.code', timestamp: new Date().toISOString() },
      ],
    },
    'POST /v1/usage_thresholds': {
      account_id: parent.body.id, subscription_id: activeSubscription, basis: 'units', metric_code: 'transit-gb', reference: 'commit', percents: [50, 100], metadata: { a: 'b' },
    },
    'PATCH /v1/usage_thresholds/{id}': { percents: [60, 90], reference_value: '250.00', metadata: { a: 'b' } },
    'POST /v1/signups': {
      account: { name: 'Schema signup', currency: 'USD', external_id: 'S-SIGNUP', billing_address: { line1: 'x', city: 'y', country: 'JP' }, metadata: { a: 'b' } },
      payment_method: { gateway: 'simulated', token: 'tok_schema', type: 'card', brand: 'visa', last4: '4242', exp_month: 1, exp_year: 2099 },
      subscription: { plan: 'colo-standard', addons: [{ code: 'xc', quantity: '2' }], metadata: { k: 'v' } },
      promotion_code: 'SIGNUP10',
    },
    'POST /v1/tax_rates': {
      name: 'PST', country: 'CA', region: 'BC', tax_code: 'software', percentage: '7', inclusive: true,
      valid_from: '2027-01-01T00:00:00Z', valid_to: '2028-01-01T00:00:00Z', description: 'd', metadata: { a: 'b' },
    },
    'PATCH /v1/tax_rates/{id}': { name: 'Renamed', description: 'd', metadata: { a: 'b' }, valid_to: '2099-01-01T00:00:00Z' },
    'POST /v1/invoices': {
      account_id: parent.body.id, currency: 'USD', po_number: 'PO-1', memo: 'm', net_terms_days: 15, finalize: true,
      items: [{ description: 'Cabinet install', quantity: '2', unit_price: '150.00', product_code: 'cabinet', tax_code: 'colocation', service_date: '2026-11-01T00:00:00Z', metadata: { a: 'b' } }],
    },
    'PATCH /v1/invoices/{id}': { po_number: 'PO-2', memo: 'm', auto_finalize: false },
    'POST /v1/one_off_charges': {
      account_id: parent.body.id, currency: 'USD', description: 'Optics', quantity: '3', unit_price: '33.335', product_code: 'cabinet', tax_code: 'hardware',
      service_date: '2026-11-01T00:00:00Z', metadata: { a: 'b' },
    },
    'POST /v1/bill_runs': {},
    'POST /v1/invoices/{id}/credit_notes': { reason: 'service_credit', outcome: 'credit_balance', memo: 'm', lines: [{ line_key: openLineKey, amount: '10.00' }] },
    'POST /v1/accounts/{id}/credits': { amount: '25.00', currency: 'USD', kind: 'adjustment', description: 'Goodwill' },
    'POST /v1/invoices/{id}/payments': { amount: '10.00', currency: 'USD', method: 'wire', reference: 'REF-1', received_at: '2026-01-01T00:00:00Z' },
  };
  const checked: string[] = [];
  for (const route of allRoutes()) {
    const label = `${route.method.toUpperCase()} ${route.path}`;
    if ((route.success.contentType === 'text/html' && route.auth !== 'tenant') || route.path === '/v1/openapi.json') continue;
    const path = route.path.replace(/\{(id|code)\}/, () => ids[route.path] ?? 'missing').replace('{version}', '1');
    if (route.success.contentType === 'application/pdf' || route.success.contentType === 'text/html') {
      // A document (the invoice PDF and HTML): the documented content type, and the bytes are that kind of document.
      const res = await fetch(`${ctx.api.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      const bytes = Buffer.from(await res.arrayBuffer());
      const start = route.success.contentType === 'application/pdf' ? '%PDF-' : '<!DOCTYPE html>';
      expect({ label, status: res.status, type: res.headers.get('content-type')?.split(';')[0], start: bytes.subarray(0, start.length).toString('latin1') })
        .toEqual({ label, status: route.success.status, type: route.success.contentType, start });
      expect({ label, documented: Object.keys(doc.paths[route.path][route.method].responses[String(route.success.status)].content) }).toEqual({ label, documented: [route.success.contentType] });
      checked.push(label);
      continue;
    }
    if (route.success.contentType !== undefined) {
      // Not JSON by default (the YAML export): its JSON alternative is checked by the request helper.
      const json = await ctx.api.request('GET', `${path}?format=json`, { key });
      expect({ label, status: json.status }).toEqual({ label, status: route.success.status });
      checked.push(label);
      continue;
    }
    const res = await apiFor(label).request(route.method.toUpperCase(), queries[label] ? `${path}?${queries[label]}` : path, {
      key: route.auth === 'platform' ? TEST_PLATFORM_KEY : key,
      ...(bodies[label] ? { body: bodies[label] } : {}),
    });
    expect({ label, status: res.status }).toEqual({ label, status: route.success.status });
    if (!route.success.schema) {
      // No content (DELETE of a draft invoice): nothing to validate but the emptiness.
      expect({ label, body: res.text }).toEqual({ label, body: '' });
      checked.push(label);
      continue;
    }
    const parsed = route.success.schema.safeParse(res.body);
    expect({ label, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ label, issues: [] });
    expect({ label, violations: documented(route.path, route.method, route.success.status, res.body) }).toEqual({ label, violations: [] });
    checked.push(label);
  }
  expect(checked.length).toBe(allRoutes().length - 2);
  // Every route once, PDFs rendered, a bill run through Temporal: past jest's default 30 s on a loaded 2-core machine.
}, 180_000);

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

describe('health and readiness', () => {
  it('/health answers without checking dependencies', async () => {
    const res = await ctx.api.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/ready reports each dependency and answers 503 when one is down', async () => {
    expect((await ctx.api.request('GET', '/ready')).body).toEqual({ status: 'ready', checks: { database: { status: 'ok' } } });
    const degraded = await startTestApi(ctx.db.dataSource, {
      readiness: [
        { name: 'database', check: async () => void (await ctx.db.dataSource.query('SELECT 1')) },
        { name: 'temporal', check: async () => Promise.reject(new Error('connection refused')) },
      ],
    });
    try {
      const res = await degraded.request('GET', '/ready');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: 'not_ready',
        checks: { database: { status: 'ok' }, temporal: { status: 'error', detail: 'connection refused' } },
      });
    } finally {
      await degraded.close();
    }
  });

  it('echoes a well-formed caller request id and makes one otherwise', async () => {
    const mine = await ctx.api.request('GET', '/health', { headers: { 'x-request-id': 'trace-0123456789' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-0123456789');
    const bad = await ctx.api.request('GET', '/health', { headers: { 'x-request-id': 'has spaces and <tags>' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^req_/);
  });
});
