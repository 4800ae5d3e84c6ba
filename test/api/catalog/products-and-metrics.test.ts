import { useApiTest } from '../../support/http';
import { catalogFootprint, colocationDefinition, expectCreated, expectRejected, fieldErrors, requester, seedCatalog } from '../../support/catalog-fixtures';

/** Products and billable metrics: lifecycle, history, immutable metric semantics, and refusals that change nothing. */
const ctx = useApiTest('catalog-products-metrics');
const req = requester(ctx);

beforeAll(async () => {
  await seedCatalog(ctx.api, ctx.tenant.adminKey);
});

async function history(resourceId: string): Promise<{ audit: string[]; events: string[] }> {
  const audit = await req('GET', `/v1/audit_log?resource_id=${resourceId}&limit=100`);
  const events = await req('GET', `/v1/domain_events?resource_id=${resourceId}&limit=100`);
  return {
    audit: audit.body.data.map((e: { action: string }) => e.action).sort(),
    events: events.body.data.map((e: { type: string }) => e.type).sort(),
  };
}

describe('products', () => {
  let productId: string;

  it('creates a product and reads it back, alone and in the list', async () => {
    const res = await req('POST', '/v1/products', { code: 'half-cabinet', name: 'Half cabinet (21U)', unit_label: 'cabinet', gl_code: '4011', metadata: { dcim: 'hc' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/products/${res.body.id}`);
    expect(res.body).toMatchObject({
      object: 'product', code: 'half-cabinet', name: 'Half cabinet (21U)', description: null, unit_label: 'cabinet',
      gl_code: '4011', tax_code: null, metadata: { dcim: 'hc' }, status: 'active', version: 1,
    });
    productId = res.body.id;
    expect((await req('GET', `/v1/products/${productId}`)).body).toEqual(res.body);
    const list = await req('GET', '/v1/products?limit=100');
    expect(list.body.data.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['half-cabinet', 'cabinet', 'power']));
  });

  it('refuses a second product with the same code: 409 code_taken naming code', async () => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/products', { code: 'half-cabinet', name: 'Again' }), 409, 'code_taken');
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'code', code: 'taken' })]);
  });

  it('refuses malformed codes and unknown fields, changing nothing', async () => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/products', { code: 'Half Cabinet', name: ' padded', colour: 'red' }), 400, 'validation_failed');
    expect(fieldErrors(res).sort()).toEqual(['code invalid_format', 'colour unknown_field', 'name invalid_format']);
  });

  it('updates a product: version bumps, the audit log and domain events record it', async () => {
    const before = (await req('GET', `/v1/products/${productId}`)).body;
    const res = await req('PATCH', `/v1/products/${productId}`, { name: 'Half cabinet', tax_code: 'colocation', gl_code: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Half cabinet', tax_code: 'colocation', gl_code: null, unit_label: 'cabinet', version: 2 });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    expect((await req('GET', `/v1/products/${productId}`)).body).toEqual(res.body);

    expect(await history(productId)).toEqual({ audit: ['product.created', 'product.updated'], events: ['product.created', 'product.updated'] });
    const audit = await req('GET', `/v1/audit_log?resource_id=${productId}&action=product.updated`);
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({ resource_type: 'product', before: { name: 'Half cabinet (21U)', version: 1 }, after: { name: 'Half cabinet', version: 2 } });
    const events = await req('GET', `/v1/domain_events?resource_id=${productId}&type=product.updated`);
    expect(events.body.data[0].data).toEqual(res.body);
  });

  it('a PATCH that changes nothing bumps no version and writes no audit entry or event', async () => {
    const current = (await req('GET', `/v1/products/${productId}`)).body;
    const before = await catalogFootprint(ctx.db);
    for (const patch of [{}, { name: 'Half cabinet', gl_code: null }, { metadata: { dcim: 'hc' }, description: null }]) {
      const res = await req('PATCH', `/v1/products/${productId}`, patch);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(current);
    }
    expect(await catalogFootprint(ctx.db)).toEqual(before);
    expect((await history(productId)).audit).toHaveLength(2);
  });

  it('refuses to change the code: 400 unknown_field', async () => {
    const res = await expectRejected(ctx.db, () => req('PATCH', `/v1/products/${productId}`, { code: 'other' }), 400, 'validation_failed');
    expect(fieldErrors(res)).toEqual(['code unknown_field']);
  });

  it('archives a product: hidden from the default list, refused for updates, archiving again changes nothing', async () => {
    const res = await req('POST', `/v1/products/${productId}/archive`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'archived', version: 3 });
    expect((await req('GET', '/v1/products?limit=100')).body.data.map((p: { id: string }) => p.id)).not.toContain(productId);
    expect((await req('GET', '/v1/products?status=archived')).body.data.map((p: { id: string }) => p.id)).toEqual([productId]);
    expect((await req('GET', '/v1/products?status=all&limit=100')).body.data.map((p: { id: string }) => p.id)).toContain(productId);

    await expectRejected(ctx.db, () => req('PATCH', `/v1/products/${productId}`, { name: 'Revived' }), 409, 'catalog_item_archived');
    const before = await catalogFootprint(ctx.db);
    expect((await req('POST', `/v1/products/${productId}/archive`)).body.version).toBe(3);
    expect(await catalogFootprint(ctx.db)).toEqual(before);
    expect(await history(productId)).toEqual({
      audit: ['product.archived', 'product.created', 'product.updated'],
      events: ['product.archived', 'product.created', 'product.updated'],
    });
  });

  it('an archived product stays on existing plan versions but new versions, plans and asset types cannot use it', async () => {
    await expectCreated(req('POST', '/v1/products', { code: 'legacy-power', name: 'Legacy power' }));
    const definition = colocationDefinition({
      currencies: ['USD'],
      charges: [{ key: 'power', product: 'legacy-power', type: 'recurring', prices: { USD: { model: 'flat', amount: '100' } } }],
    });
    const plan = await expectCreated(req('POST', '/v1/plans', { code: 'legacy-plan', name: 'Legacy', definition }));
    const product = (await req('GET', '/v1/products?limit=100')).body.data.find((p: { code: string }) => p.code === 'legacy-power');
    expect((await req('POST', `/v1/products/${product.id}/archive`)).status).toBe(200);

    const publish = await expectRejected(
      ctx.db,
      () => req('POST', `/v1/plans/${plan.id}/versions`, { definition: { ...definition, trial_days: 7 } }),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(publish)).toEqual(['definition.charges[0].product archived_product']);
    const create = await expectRejected(ctx.db, () => req('POST', '/v1/plans', { code: 'legacy-2', name: 'Legacy 2', definition }), 422, 'invalid_catalog');
    expect(fieldErrors(create)).toEqual(['definition.charges[0].product archived_product']);
    const assetType = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/asset_types', { code: 'legacy-pdu', name: 'PDU', product: 'legacy-power', category: 'other', prices: { USD: { nrc: '0', mrc: '10' } } }),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(assetType)).toEqual(['product archived_product']);

    const current = await req('GET', `/v1/plans/${plan.id}`);
    expect(current.body).toMatchObject({ current_version: 1, definition: { charges: [{ product: 'legacy-power' }] } });
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await req('GET', '/v1/products/01900000-0000-7000-8000-000000000000')).body.code).toBe('not_found');
    expect((await req('GET', '/v1/products/nope')).status).toBe(404);
    await expectRejected(ctx.db, () => req('PATCH', '/v1/products/01900000-0000-7000-8000-000000000000', { name: 'x' }), 404, 'not_found');
    await expectRejected(ctx.db, () => req('POST', '/v1/products/01900000-0000-7000-8000-000000000000/archive'), 404, 'not_found');
  });
});

describe('billable metrics', () => {
  const metric = (code: string, aggregation: unknown, extra: Record<string, unknown> = {}) => ({
    code, name: code, event_name: 'interface.rate', aggregation, ...extra,
  });

  it('fills in aggregation defaults and normalises the percentile', async () => {
    const p95 = await req('POST', '/v1/billable_metrics', metric('transit-95th', { type: 'percentile', property: 'mbps', percentile: '95.000' }, { unit_label: 'Mbps' }));
    expect(p95.status).toBe(201);
    expect(p95.body).toMatchObject({ object: 'billable_metric', filters: [], group_by: [], unit_label: 'Mbps', status: 'active', version: 1 });
    expect(p95.body.aggregation).toEqual({ type: 'percentile', property: 'mbps', percentile: '95', window_minutes: 5 });
    expect((await req('GET', `/v1/billable_metrics/${p95.body.id}`)).body.aggregation).toEqual(p95.body.aggregation);

    const peak = await req('POST', '/v1/billable_metrics', metric('power-peak', { type: 'peak', property: 'kw' }));
    expect(peak.body.aggregation).toEqual({ type: 'peak', property: 'kw', window_minutes: 15 });
    const gauge = await req('POST', '/v1/billable_metrics', metric('storage-gbh', { type: 'time_weighted', property: 'gb' }));
    expect(gauge.body.aggregation).toEqual({ type: 'time_weighted', property: 'gb', unit: 'hour' });
    const custom = await req('POST', '/v1/billable_metrics', metric('transit-90th-1m', { type: 'percentile', property: 'mbps', percentile: '90.5', window_minutes: 1 }));
    expect(custom.body.aggregation).toEqual({ type: 'percentile', property: 'mbps', percentile: '90.5', window_minutes: 1 });
  });

  it('keeps filters and grouping as given', async () => {
    const res = await req(
      'POST',
      '/v1/billable_metrics',
      metric('api-calls', { type: 'count' }, { filters: [{ property: 'status', operator: 'in', values: ['200', '201'] }], group_by: ['region', 'sku.tier'] }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ filters: [{ property: 'status', operator: 'in', values: ['200', '201'] }], group_by: ['region', 'sku.tier'] });
  });

  it.each([
    ['a percentile above 100', { type: 'percentile', property: 'mbps', percentile: '100.1' }, ['aggregation.percentile']],
    ['a negative percentile', { type: 'percentile', property: 'mbps', percentile: '-5' }, ['aggregation.percentile']],
    ['a zero percentile', { type: 'percentile', property: 'mbps', percentile: '0' }, ['aggregation.percentile']],
    ['a percentile as a number', { type: 'percentile', property: 'mbps', percentile: 95 }, ['aggregation.percentile']],
    ['a percentile window over an hour', { type: 'percentile', property: 'mbps', percentile: '95', window_minutes: 61 }, ['aggregation.window_minutes']],
    ['a peak window of zero', { type: 'peak', property: 'kw', window_minutes: 0 }, ['aggregation.window_minutes']],
    ['a missing property', { type: 'sum' }, ['aggregation.property']],
    ['a missing percentile and property', { type: 'percentile' }, ['aggregation.percentile', 'aggregation.property']],
    ['a malformed property', { type: 'max', property: '9 lives' }, ['aggregation.property']],
    ['a property on count', { type: 'count', property: 'x' }, ['aggregation.property']],
    ['an unknown type', { type: 'median', property: 'x' }, ['aggregation.type']],
    ['no type', { property: 'x' }, ['aggregation.type']],
  ])('refuses %s by path', async (_label, aggregation, fields) => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/billable_metrics', metric('bad-metric', aggregation)), 400, 'validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
  });

  it('refuses a repeated group_by property and a filter without values', async () => {
    const res = await expectRejected(
      ctx.db,
      () => req('POST', '/v1/billable_metrics', metric('bad-groups', { type: 'count' }, { group_by: ['a', 'a'], filters: [{ property: 'x', operator: 'eq', values: [] }] })),
      400,
      'validation_failed',
    );
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['filters[0].values', 'group_by']);
  });

  it('refuses a second metric with the same code', async () => {
    const res = await expectRejected(ctx.db, () => req('POST', '/v1/billable_metrics', metric('transit-gb', { type: 'count' })), 409, 'code_taken');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'code' })]);
  });

  it('renames a metric but refuses to change what it measures (400 unknown_field)', async () => {
    const created = await expectCreated(req('POST', '/v1/billable_metrics', metric('rack-temp', { type: 'max', property: 'celsius' })));
    const res = await expectRejected(
      ctx.db,
      () =>
        req('PATCH', `/v1/billable_metrics/${created.id}`, {
          name: 'Rack temperature',
          aggregation: { type: 'latest', property: 'celsius' },
          filters: [],
          event_name: 'other.event',
          group_by: ['rack'],
        }),
      400,
      'validation_failed',
    );
    expect(fieldErrors(res).sort()).toEqual(['aggregation unknown_field', 'event_name unknown_field', 'filters unknown_field', 'group_by unknown_field']);

    const renamed = await req('PATCH', `/v1/billable_metrics/${created.id}`, { name: 'Rack temperature', unit_label: '°C', description: 'Hottest sensor' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Rack temperature', unit_label: '°C', description: 'Hottest sensor', version: 2,
      event_name: 'interface.rate', aggregation: { type: 'max', property: 'celsius' },
    });
    const before = await catalogFootprint(ctx.db);
    expect((await req('PATCH', `/v1/billable_metrics/${created.id}`, { name: 'Rack temperature' })).body.version).toBe(2);
    expect(await catalogFootprint(ctx.db)).toEqual(before);
    expect(await history(created.id)).toEqual({
      audit: ['billable_metric.created', 'billable_metric.updated'],
      events: ['billable_metric.created', 'billable_metric.updated'],
    });
  });

  it('archives a metric: no more renames, and plans cannot use it', async () => {
    const created = await expectCreated(req('POST', '/v1/billable_metrics', metric('old-kwh', { type: 'sum', property: 'kwh' })));
    expect((await req('POST', `/v1/billable_metrics/${created.id}/archive`)).body).toMatchObject({ status: 'archived', version: 2 });
    await expectRejected(ctx.db, () => req('PATCH', `/v1/billable_metrics/${created.id}`, { name: 'x' }), 409, 'catalog_item_archived');
    const plan = await expectRejected(
      ctx.db,
      () =>
        req('POST', '/v1/plans', {
          code: 'old-energy',
          name: 'Old energy',
          definition: colocationDefinition({
            currencies: ['USD'],
            charges: [{ key: 'energy', product: 'power', type: 'usage', metric: 'old-kwh', prices: { USD: { model: 'per_unit', unit_price: '0.2' } } }],
          }),
        }),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(plan)).toEqual(['definition.charges[0].metric archived_metric']);
    const listed = await req('GET', '/v1/billable_metrics?status=archived');
    expect(listed.body.data.map((m: { code: string }) => m.code)).toEqual(['old-kwh']);
  });

  it('a percentile metric can only be priced by the percentile model', async () => {
    const res = await expectRejected(
      ctx.db,
      () =>
        req('POST', '/v1/plans', {
          code: 'burst',
          name: 'Burstable transit',
          definition: colocationDefinition({
            currencies: ['USD'],
            charges: [{ key: 'transit', product: 'transit', type: 'usage', metric: 'transit-95th', prices: { USD: { model: 'per_unit', unit_price: '1' } } }],
          }),
        }),
      422,
      'invalid_catalog',
    );
    expect(fieldErrors(res)).toEqual(['definition.charges[0].prices.USD.model model_not_allowed']);
  });
});
