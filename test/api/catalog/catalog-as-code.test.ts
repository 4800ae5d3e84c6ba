import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { seedCatalog } from '../../support/catalog-fixtures';
import { APPLY_WRITES_TO, COLO_CATALOG_YAML } from '../../support/catalog-file';
import { useApiTest } from '../../support/http';
import { createTestKey, createTestTenant, type TestTenant } from '../../support/tenants';

const ctx = useApiTest('catalog-as-code');

const request = (key: string, method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
  ctx.api.request(method, url, { key, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
const apply = (key: string, content: string, extra: Record<string, unknown> = {}) =>
  request(key, 'POST', '/v1/catalog/apply', { format: 'yaml', content, ...extra });
const exportYaml = async (key: string, query = '') => (await request(key, 'GET', `/v1/catalog/export${query}`)).text;

/** Rows per catalogue table (and audit/outbox) of one tenant, read under RLS's nose. */
async function rowCounts(tenantId: string): Promise<Record<string, number>> {
  return ctx.db.asSuperuser(async (c) => {
    const out: Record<string, number> = {};
    for (const table of APPLY_WRITES_TO) {
      out[table] = Number((await c.query(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].n);
    }
    return out;
  });
}

type Change = { action: string; type: string; code: string; fields: string[]; id: string | null; from_version?: number; to_version?: number };
const brief = (changes: Change[]) => changes.map((c) => `${c.action} ${c.type} ${c.code}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`);
const problemsOf = (body: { errors: Array<{ field: string; code: string }> }) => body.errors.map((e) => `${e.field} ${e.code}`);

let tenants = 0;
async function freshTenant(withCatalogue = false): Promise<TestTenant> {
  tenants += 1;
  const tenant = await createTestTenant(ctx.db.dataSource, `cac-${tenants}`);
  if (withCatalogue) expect((await apply(tenant.adminKey, COLO_CATALOG_YAML)).status).toBe(200);
  return tenant;
}

/** The colocation file with some text replaced; fails loudly if the text is not there. */
function edited(...replacements: Array<[string, string]>): string {
  let text = COLO_CATALOG_YAML;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

describe('export', () => {
  beforeAll(async () => {
    const key = ctx.tenant.adminKey;
    await seedCatalog(ctx.api, key);
    const extras: Array<[string, unknown]> = [
      ['/v1/plans', { code: 'xc-addon', kind: 'addon', name: 'XC', definition: { billing_interval: 'month', currencies: ['USD'], applies_to_plans: ['colo-standard'], charges: [{ key: 'xc', product: 'cross-connect', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '300.00' } } }] } }],
      ['/v1/bundles', { code: 'starter', name: 'Starter', items: { plan: 'colo-standard', addons: [{ addon: 'xc-addon', quantity: 2 }] }, discount: { percent_off: '5.50' } }],
      ['/v1/coupons', { code: 'welcome', name: 'Welcome', discount: { type: 'amount', amount_off: { USD: '100.00' } }, duration: 'once', redeem_by: '2035-06-30T00:00:00+02:00', metadata: { campaign: 'spring' } }],
      ['/v1/promotion_codes', { code: 'Hello2027', coupon: 'welcome', max_redemptions: 50 }],
      ['/v1/asset_types', { code: 'cab-full', name: 'Full cabinet', product: 'cabinet', category: 'cabinet', prices: { USD: { nrc: '0', mrc: '1200.00' }, EUR: { nrc: '0', mrc: '1100.00' } } }],
      ['/v1/products', { code: 'legacy', name: 'Legacy product' }],
    ];
    for (const [url, body] of extras) expect((await request(key, 'POST', url, body)).status).toBe(201);
    const legacy = (await request(key, 'GET', '/v1/products?limit=100')).body.data.find((p: { code: string }) => p.code === 'legacy');
    expect((await request(key, 'POST', `/v1/products/${legacy.id}/archive`)).status).toBe(200);
  });

  it('writes every section, items sorted by code, active items only, as application/yaml', async () => {
    const res = await request(ctx.tenant.adminKey, 'GET', '/v1/catalog/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    const doc = parse(res.text);
    expect(Object.keys(doc)).toEqual(['rackrate_catalog', 'products', 'billable_metrics', 'plans', 'bundles', 'coupons', 'promotion_codes', 'asset_types']);
    expect(doc.rackrate_catalog).toBe(1);
    expect(doc.products.map((p: { code: string }) => p.code)).toEqual(['cabinet', 'cross-connect', 'power', 'setup', 'transit']);
    expect(doc.plans.map((p: { code: string; kind: string }) => `${p.kind} ${p.code}`)).toEqual(['plan colo-standard', 'addon xc-addon']);
    // Codes, not ids; decimals as stored strings; timestamps in UTC; nothing empty written out.
    expect(doc.promotion_codes).toEqual([{ code: 'Hello2027', coupon: 'welcome', max_redemptions: 50 }]);
    expect(doc.asset_types[0]).toMatchObject({ product: 'cabinet', prices: { EUR: { nrc: '0', mrc: '1100' }, USD: { nrc: '0', mrc: '1200' } } });
    expect(doc.coupons[0]).toEqual({
      code: 'welcome', name: 'Welcome', discount: { type: 'amount', amount_off: { USD: '100' } }, duration: 'once',
      redeem_by: '2035-06-29T22:00:00.000Z', metadata: { campaign: 'spring' },
    });
    expect(Object.keys(doc.plans[0])).toEqual(['code', 'kind', 'name', 'definition']);
    expect(Object.keys(doc.plans[0].definition.charges[2])).toEqual(['key', 'product', 'type', 'metric', 'prices', 'included_quantity']);
    expect(res.text).toContain('unit_price: "1200"');
  });

  it('gives identical bytes twice, in YAML and JSON, and JSON holds the same document', async () => {
    const key = ctx.tenant.adminKey;
    expect(await exportYaml(key)).toBe(await exportYaml(key));
    const json = await request(key, 'GET', '/v1/catalog/export?format=json');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.text).toBe((await request(key, 'GET', '/v1/catalog/export?format=json')).text);
    expect(json.body).toEqual(parse(await exportYaml(key)));
  });

  it('includes archived items on request, marked archived', async () => {
    const doc = parse(await exportYaml(ctx.tenant.adminKey, '?include_archived=true'));
    expect(doc.products.find((p: { code: string }) => p.code === 'legacy')).toEqual({ code: 'legacy', name: 'Legacy product', status: 'archived' });
  });

  it('applies back with every item unchanged and writes nothing (YAML text and JSON document)', async () => {
    const key = ctx.tenant.adminKey;
    const before = await rowCounts(ctx.tenant.id);
    const res = await apply(key, await exportYaml(key));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'catalog_apply_result', dry_run: false, applied: true });
    expect(res.body.summary).toEqual({ create: 0, update: 0, publish_version: 0, unchanged: 13, not_in_file: 0 });
    expect(new Set(res.body.changes.map((c: Change) => c.action))).toEqual(new Set(['unchanged']));

    const json = (await request(key, 'GET', '/v1/catalog/export?format=json&include_archived=true')).body;
    const again = await request(key, 'POST', '/v1/catalog/apply', { document: json });
    expect(again.status).toBe(200);
    expect(again.body.summary).toEqual({ create: 0, update: 0, publish_version: 0, unchanged: 14, not_in_file: 0 });
    expect(await rowCounts(ctx.tenant.id)).toEqual(before);
  });

  it('lets a read key export but not apply', async () => {
    const reader = await createTestKey(ctx.db.dataSource, ctx.tenant.id, ['read']);
    expect((await request(reader, 'GET', '/v1/catalog/export')).status).toBe(200);
    const res = await apply(reader, 'rackrate_catalog: 1\n');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_scope');
  });
});

describe('apply', () => {
  it('builds a whole catalogue from scratch through the usual services, audited', async () => {
    const tenant = await freshTenant();
    const key = tenant.adminKey;
    const res = await apply(key, COLO_CATALOG_YAML);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ create: 13, update: 0, publish_version: 0, unchanged: 0, not_in_file: 0 });
    // Dependency order: products, metrics, plans before add-ons, bundles, coupons, promotion codes, asset types.
    expect(res.body.changes.map((c: Change) => `${c.type} ${c.code}`)).toEqual([
      'product cabinet', 'product cross-connect', 'product power', 'product setup', 'product transit',
      'billable_metric energy-kwh', 'billable_metric transit-95th',
      'plan colo-standard', 'addon extra-cross-connect',
      'bundle starter-cage', 'coupon first-quarter-half-off', 'promotion_code COLO2027', 'asset_type xc-smf',
    ]);
    expect(res.body.changes[0]).toMatchObject({ path: 'products[0]', id: expect.any(String) });

    const list = async (url: string) => (await request(key, 'GET', url)).body.data;
    expect((await list('/v1/products')).map((p: { code: string }) => p.code).sort()).toEqual(['cabinet', 'cross-connect', 'power', 'setup', 'transit']);
    expect((await list('/v1/billable_metrics')).map((m: { code: string }) => m.code).sort()).toEqual(['energy-kwh', 'transit-95th']);
    const [addon] = await list('/v1/plans?kind=addon');
    expect(addon).toMatchObject({ code: 'extra-cross-connect', current_version: 1, definition: { applies_to_plans: ['colo-standard'] } });
    const plan = (await list('/v1/plans?kind=plan'))[0];
    expect(plan.definition.charges[3].prices.USD).toMatchObject({ model: 'percentile', percentile: '95', commit_mbps: '100' });
    expect(await list('/v1/bundles')).toEqual([expect.objectContaining({ code: 'starter-cage', discount: { percent_off: '10' } })]);
    const [coupon] = await list('/v1/coupons');
    expect(coupon).toMatchObject({ code: 'first-quarter-half-off', duration: 'repeating', duration_periods: 3, max_redemptions: 100 });
    expect(await list('/v1/promotion_codes')).toEqual([expect.objectContaining({ code: 'COLO2027', coupon_id: coupon.id, first_time_only: true })]);
    expect(await list('/v1/asset_types')).toEqual([expect.objectContaining({ code: 'xc-smf', prices: { USD: { nrc: '500', mrc: '300' } } })]);

    const requestId = res.headers.get('x-request-id');
    const audit = await list(`/v1/audit_log?resource_id=${plan.id}`);
    expect(audit).toEqual([expect.objectContaining({ action: 'plan.created', request_id: requestId })]);
    const events = await list('/v1/domain_events?limit=100');
    expect(events.filter((e: { request_id: string }) => e.request_id === requestId)).toHaveLength(13);

    const again = await apply(key, COLO_CATALOG_YAML);
    expect(again.body.summary).toEqual({ create: 0, update: 0, publish_version: 0, unchanged: 13, not_in_file: 0 });
    expect(again.body.changes.every((c: Change) => c.id !== null)).toBe(true);
  });

  it('dry run reports the diff and changes nothing; applying it updates, publishes and leaves not_in_file alone', async () => {
    const tenant = await freshTenant(true);
    const key = tenant.adminKey;
    const file = edited(
      ['    name: Metered power\n    unit_label: kWh\n    gl_code: "4020"', '    name: Metered power (A+B feeds)\n    unit_label: kWh\n    gl_code: "4021"'],
      ['USD: { model: per_unit, unit_price: "1200.00" }', 'USD: { model: per_unit, unit_price: "1250.00" }'],
      ['products:\n', 'products:\n  - code: remote-hands\n    name: Remote hands\n'],
      [COLO_CATALOG_YAML.slice(COLO_CATALOG_YAML.indexOf('asset_types:')), 'asset_types: []\n'],
    );
    const before = await rowCounts(tenant.id);
    const dry = await apply(key, file, { dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, applied: false });
    expect(dry.body.summary).toEqual({ create: 1, update: 1, publish_version: 1, unchanged: 10, not_in_file: 1 });
    const changed = dry.body.changes.filter((c: Change) => c.action !== 'unchanged');
    expect(brief(changed)).toEqual([
      'update product power (name, gl_code)',
      'create product remote-hands',
      'publish_version plan colo-standard (definition)',
      'not_in_file asset_type xc-smf',
    ]);
    expect(changed[1].id).toBeNull();
    expect(changed[2]).toMatchObject({ from_version: 1, to_version: 2 });
    expect(await rowCounts(tenant.id)).toEqual(before);

    const res = await apply(key, file);
    expect(res.status).toBe(200);
    expect(brief(res.body.changes)).toEqual(brief(dry.body.changes));
    const planId = changed[2].id;
    const v2 = await request(key, 'GET', `/v1/plans/${planId}/versions/2`);
    expect(v2.status).toBe(200);
    expect(v2.body.current).toBe(true);
    expect(v2.body.definition.charges[0].prices.USD).toEqual({ model: 'per_unit', unit_price: '1250' });
    expect((await request(key, 'GET', `/v1/plans/${planId}/versions/1`)).body.current).toBe(false);
    expect((await request(key, 'GET', `/v1/products/${changed[0].id}`)).body).toMatchObject({ name: 'Metered power (A+B feeds)', gl_code: '4021', version: 2 });
    const audit = (await request(key, 'GET', `/v1/audit_log?resource_id=${planId}`)).body.data;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['plan.version_published', 'plan.created']);
    // Not in the file: still there, still active.
    const [assetType] = (await request(key, 'GET', '/v1/asset_types')).body.data;
    expect(assetType).toMatchObject({ code: 'xc-smf', status: 'active' });
  });

  it('archives and deactivates what the file marks so, and refuses to bring them back', async () => {
    const tenant = await freshTenant(true);
    const key = tenant.adminKey;
    const file = edited(
      ['  - code: setup\n    name: Installation\n', '  - code: setup\n    name: Installation\n    status: archived\n'],
      ['    first_time_only: true\n', '    first_time_only: true\n    active: false\n'],
    );
    const res = await apply(key, file);
    expect(res.status).toBe(200);
    expect(brief(res.body.changes.filter((c: Change) => c.action !== 'unchanged'))).toEqual([
      'update product setup (status)',
      'update promotion_code COLO2027 (active)',
    ]);
    const setup = (await request(key, 'GET', '/v1/products?status=archived')).body.data;
    expect(setup.map((p: { code: string }) => p.code)).toEqual(['setup']);
    expect((await request(key, 'GET', '/v1/promotion_codes')).body.data[0].active).toBe(false);
    // The archived product stays on the plan version that uses it; the file still applies unchanged.
    expect((await apply(key, file)).body.summary.unchanged).toBe(13);

    const back = await apply(key, COLO_CATALOG_YAML);
    expect(back.status).toBe(422);
    expect(problemsOf(back.body)).toEqual(['products[3].status cannot_reactivate', 'promotion_codes[0].active cannot_reactivate']);
  });

  it('applies the example of docs/catalog-as-code.md', async () => {
    const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'catalog-as-code.md'), 'utf8');
    const example = /```yaml\n(rackrate_catalog: 1\n[\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const tenant = await freshTenant();
    const res = await apply(tenant.adminKey, example!);
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: undefined });
    expect(res.body.summary.create).toBeGreaterThan(10);
  });
});

describe('problems', () => {
  it('lists every schema and catalogue problem of a bad file by its path, and applies nothing', async () => {
    const tenant = await freshTenant(true);
    const bad = `rackrate_catalog: 1
products:
  - code: cabinet
    name: Full cabinet (42U)
billable_metrics:
  - code: energy-kwh
    name: Energy
    event_name: pdu.energy
    aggregation: { type: max, property: kwh }
plans:
  - code: tiers
    name: Bad tiers
    definition:
      billing_interval: month
      currencies: [USD, ZZZ]
      charges:
        - key: transit
          product: transit
          type: usage
          metric: energy-kwh
          prices:
            USD:
              model: graduated
              tiers:
                - { up_to: "500", unit_price: "-0.05" }
                - { up_to: "100", unit_price: "0.03" }
                - { up_to: null, unit_price: "0.01" }
  - code: no-metric
    name: Missing metric
    definition:
      billing_interval: month
      currencies: [USD]
      charges:
        - key: transit
          product: transit
          type: usage
          metric: no-such-metric
          prices:
            USD: { model: per_unit, unit_price: "0.05" }
  - code: p150
    name: Percentile out of range
    definition:
      billing_interval: month
      currencies: [USD]
      charges:
        - key: transit
          product: transit
          type: usage
          metric: transit-95th
          prices:
            USD: { model: percentile, percentile: "150", commit_mbps: "100", commit_price: "1", burst_price: "1" }
  - code: tou
    name: Broken window
    definition:
      billing_interval: month
      currencies: [USD]
      charges:
        - key: energy
          product: power
          type: usage
          metric: energy-kwh
          prices:
            USD:
              model: time_of_use
              default_unit_price: "0.11"
              windows:
                - { name: peak, days: [mon], start: "25:00", end: "20:00", unit_price: "0.19" }
bundles:
  - code: nowhere
    name: Bundle of nothing
    items: { plan: no-such-plan }
`;
    const before = await rowCounts(tenant.id);
    const res = await apply(tenant.adminKey, bad);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(problemsOf(res.body)).toEqual([
      'billable_metrics[0].aggregation immutable_field',
      'plans[0].definition.currencies[1] invalid_value',
      'plans[0].definition.charges[0].prices.USD.tiers[0].unit_price invalid',
      'plans[0].definition.charges[0].prices.USD.tiers[1].up_to invalid',
      'plans[1].definition.charges[0].metric unknown_metric',
      'plans[2].definition.charges[0].prices.USD.percentile invalid',
      'plans[3].definition.charges[0].prices.USD.windows[0].start invalid',
      'bundles[0].items.plan unknown_plan',
    ]);
    expect(res.body.detail).toContain('plans[1].definition.charges[0].metric: no billable metric with code "no-such-metric"');
    expect(await rowCounts(tenant.id)).toEqual(before);
  });

  it('answers 422 invalid_catalog when the file is well-formed but changes what cannot change or names what does not exist', async () => {
    const tenant = await freshTenant(true);
    const file = edited(
      ['aggregation: { type: sum, property: kwh }', 'aggregation: { type: sum, property: kwh_total }'],
      ['  - code: extra-cross-connect\n    kind: addon\n', '  - code: extra-cross-connect\n    kind: plan\n'],
      ['discount: { type: percent, percent_off: "50" }', 'discount: { type: percent, percent_off: "40" }'],
      ['    product: cross-connect\n    category: cross_connect\n', '    product: cabinet\n    category: cabinet\n'],
      ['    coupon: first-quarter-half-off\n', '    coupon: first-quarter-half-off\n    max_redemptions: 10\n'],
      ['products:\n', 'products:\n  - code: power\n    name: Duplicate\n'],
      ['coupons:\n', 'coupons:\n  - { code: ghost, name: Ghost, discount: { type: percent, percent_off: "5" }, duration: once, applies_to: { products: [nope] } }\n'],
    );
    const before = await rowCounts(tenant.id);
    const res = await apply(tenant.adminKey, file, { dry_run: true });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_catalog');
    expect(problemsOf(res.body)).toEqual([
      'products[3].code duplicate_code',
      'billable_metrics[0].aggregation immutable_field',
      'plans[1].kind immutable_field',
      'coupons[0].applies_to.products[0] unknown_product',
      'coupons[1].discount immutable_field',
      'promotion_codes[0].max_redemptions immutable_field',
      'asset_types[0].product immutable_field',
      'asset_types[0].category immutable_field',
    ]);
    const metric = res.body.errors.find((e: { field: string }) => e.field === 'billable_metrics[0].aggregation');
    expect(metric.message).toMatch(/^cannot change once created \(the catalogue has \{"type":"sum","property":"kwh"\}\)/);
    expect(await rowCounts(tenant.id)).toEqual(before);
  });

  it('finds the rules the create services add (a deadline already passed) in a dry run, by path', async () => {
    const tenant = await freshTenant();
    const file = edited(['expires_at: "2035-12-31T23:59:59Z"', 'expires_at: "2020-01-01T00:00:00Z"']);
    const res = await apply(tenant.adminKey, file, { dry_run: true });
    expect(res.status).toBe(400);
    expect(problemsOf(res.body)).toEqual(['promotion_codes[0].expires_at not_in_future']);
  });

  it('names the line and column of a YAML or JSON syntax error', async () => {
    const tenant = await freshTenant();
    const yaml = await apply(tenant.adminKey, 'rackrate_catalog: 1\nproducts:\n  - code: [cabinet\n    name: x\n');
    expect(yaml.status).toBe(400);
    expect(yaml.body.errors[0]).toMatchObject({ field: '', code: 'yaml_syntax', message: expect.stringMatching(/^line \d+, column \d+: /) });
    const json = await request(tenant.adminKey, 'POST', '/v1/catalog/apply', { format: 'json', content: '{\n  "rackrate_catalog": 1,\n}' });
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([expect.objectContaining({ code: 'json_syntax', message: expect.stringMatching(/^line 3, column 1: /) })]);
  });

  it('checks the file shape: version marker, known sections, lists of objects', async () => {
    const tenant = await freshTenant();
    const res = await apply(tenant.adminKey, 'products: {}\nplans: [42]\nservices: []\n');
    expect(res.status).toBe(400);
    expect(problemsOf(res.body)).toEqual(['rackrate_catalog required', 'services unknown_field', 'products invalid_type', 'plans[0] invalid_type']);
    const body = await request(tenant.adminKey, 'POST', '/v1/catalog/apply', { content: 'x', document: {} });
    expect(body.status).toBe(400);
    expect(body.body.errors.map((e: { field: string }) => e.field)).toEqual(['content', 'format']);
  });
});

describe('atomicity and idempotency', () => {
  it('rolls back every earlier change when the last one fails', async () => {
    const tenant = await freshTenant();
    await ctx.db.asSuperuser((c) =>
      c.query(`
        CREATE FUNCTION test_refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.code = 'boom' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER test_refuse_boom BEFORE INSERT ON asset_types FOR EACH ROW EXECUTE FUNCTION test_refuse_boom();`),
    );
    try {
      const before = await rowCounts(tenant.id);
      const file = edited(['  - code: xc-smf\n', '  - code: boom\n']);
      const res = await apply(tenant.adminKey, file);
      expect(res.status).toBe(500);
      expect(await rowCounts(tenant.id)).toEqual(before);
      expect((await request(tenant.adminKey, 'GET', '/v1/products')).body.data).toEqual([]);
    } finally {
      await ctx.db.asSuperuser((c) => c.query('DROP TRIGGER test_refuse_boom ON asset_types; DROP FUNCTION test_refuse_boom();'));
    }
  });

  it('replays an apply sent again with the same Idempotency-Key', async () => {
    const tenant = await freshTenant();
    const body = { format: 'yaml', content: 'rackrate_catalog: 1\nproducts:\n  - { code: cabinet, name: Cabinet }\n' };
    const headers = { 'Idempotency-Key': 'catalog-apply-1' };
    const first = await request(tenant.adminKey, 'POST', '/v1/catalog/apply', body, headers);
    const counts = await rowCounts(tenant.id);
    const second = await request(tenant.adminKey, 'POST', '/v1/catalog/apply', body, headers);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(first.body.summary.create).toBe(1);
    expect(await rowCounts(tenant.id)).toEqual(counts);
  });
});
