import { useApiTest } from '../../support/http';
import { colocationDefinition, seedCatalog } from '../../support/catalog-fixtures';

const ctx = useApiTest('catalog-plans');
let planId: string;

beforeAll(async () => {
  ({ planId } = await seedCatalog(ctx.api, ctx.tenant.adminKey));
});

const req = (method: string, path: string, body?: unknown) =>
  ctx.api.request(method, path, { key: ctx.tenant.adminKey, ...(body === undefined ? {} : { body }) });

async function countRows(table: string): Promise<number> {
  return ctx.db.asSuperuser(async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));
}

describe('plans and versions', () => {
  it('creates a plan with version 1, defaults filled in and decimals normalised', async () => {
    const res = await req('GET', `/v1/plans/${planId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'plan', code: 'colo-standard', kind: 'plan', current_version: 1, status: 'active' });
    expect(res.body.definition).toMatchObject({ billing_interval: 'month', fixed_fee_timing: 'in_advance', trial_days: 0 });
    expect(res.body.definition.charges[0].prices.USD).toEqual({ model: 'per_unit', unit_price: '1200' });
  });

  it('publishes a changed definition as version 2; the old version stays readable; an identical one publishes nothing', async () => {
    const changed = colocationDefinition({ trial_days: 14 });
    const v2 = await req('POST', `/v1/plans/${planId}/versions`, { definition: changed });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ object: 'plan_version', version: 2, current: true });
    expect(v2.body.definition.trial_days).toBe(14);

    // Same meaning, other spelling of the decimals: nothing new.
    const same = colocationDefinition({ trial_days: 14 });
    (same.charges[0] as { prices: { USD: { unit_price: string } } }).prices.USD.unit_price = '1200';
    const again = await req('POST', `/v1/plans/${planId}/versions`, { definition: same });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);

    const v1 = await req('GET', `/v1/plans/${planId}/versions/1`);
    expect(v1.body).toMatchObject({ version: 1, current: false });
    expect(v1.body.definition.trial_days).toBe(0);
    const list = await req('GET', `/v1/plans/${planId}/versions`);
    expect(list.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await req('GET', `/v1/plans/${planId}`)).body.current_version).toBe(2);
    expect((await req('GET', `/v1/plans/${planId}/versions/9`)).status).toBe(404);
  });

  it('keeps published versions immutable, even to SQL', async () => {
    await expect(
      ctx.db.asSuperuser((c) => c.query(`UPDATE plan_versions SET definition = '{}'::jsonb`)),
    ).rejects.toThrow(/immutable/);
    await expect(ctx.db.asSuperuser((c) => c.query(`DELETE FROM plan_versions`))).rejects.toThrow(/immutable/);
  });

  it('lists every cross-reference problem by path and creates nothing', async () => {
    const before = await countRows('plans');
    const res = await req('POST', '/v1/plans', {
      code: 'broken',
      name: 'Broken',
      definition: {
        billing_interval: 'month',
        currencies: ['USD', 'EUR'],
        charges: [
          { key: 'a', product: 'no-such-product', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '1' }, EUR: { model: 'per_unit', unit_price: '1' } } },
          { key: 'b', product: 'transit', type: 'usage', prices: { USD: { model: 'per_unit', unit_price: '1' } } },
          { key: 'c', product: 'transit', type: 'usage', metric: 'no-such-metric', prices: { USD: { model: 'per_unit', unit_price: '1' }, EUR: { model: 'per_unit', unit_price: '1' } } },
          { key: 'a', product: 'setup', type: 'one_time', prices: { USD: { model: 'graduated', tiers: [{ up_to: null, unit_price: '1' }] }, EUR: { model: 'flat', amount: '1' }, GBP: { model: 'flat', amount: '1' } } },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_catalog');
    const found = res.body.errors.map((e: { field: string; code: string }) => `${e.field} ${e.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'definition.charges[0].product unknown_product',
        'definition.charges[1].metric metric_required',
        'definition.charges[1].prices.EUR missing_price',
        'definition.charges[2].metric unknown_metric',
        'definition.charges[3].key duplicate_key',
        'definition.charges[3].prices.USD.model model_not_allowed',
        'definition.charges[3].prices.GBP currency_not_in_plan',
      ]),
    );
    expect(found).toHaveLength(7);
    expect(await countRows('plans')).toBe(before);
  });

  it('rejects schema problems (negative prices, unordered tiers, unknown currency) with every path at once', async () => {
    const before = await countRows('plan_versions');
    const res = await req('POST', '/v1/plans', {
      code: 'bad-schema',
      name: 'Bad schema',
      definition: {
        billing_interval: 'fortnight',
        currencies: ['USD', 'ZZZ'],
        charges: [
          {
            key: 'transit',
            product: 'transit',
            type: 'usage',
            metric: 'transit-gb',
            prices: { USD: { model: 'graduated', tiers: [{ up_to: '500', unit_price: '-0.05' }, { up_to: '100', unit_price: '0.03' }, { up_to: null, unit_price: '0.01' }] } },
          },
        ],
      },
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'definition.billing_interval',
        'definition.currencies[1]',
        'definition.charges[0].prices.USD.tiers[0].unit_price',
        'definition.charges[0].prices.USD.tiers[1].up_to',
      ]),
    );
    expect(await countRows('plan_versions')).toBe(before);
  });

  it('makes add-ons that name their plans, and refuses unknown ones', async () => {
    const addon = await req('POST', '/v1/plans', {
      code: 'extra-cross-connect',
      kind: 'addon',
      name: 'Extra cross-connect',
      definition: {
        billing_interval: 'month',
        currencies: ['USD'],
        applies_to_plans: ['colo-standard'],
        charges: [{ key: 'xc', product: 'cross-connect', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '300' } } }],
      },
    });
    expect(addon.status).toBe(201);
    expect(addon.body.kind).toBe('addon');
    const listed = await req('GET', '/v1/plans?kind=addon');
    expect(listed.body.data.map((p: { code: string }) => p.code)).toEqual(['extra-cross-connect']);

    const bad = await req('POST', '/v1/plans', {
      code: 'bad-addon',
      kind: 'addon',
      name: 'Bad add-on',
      definition: {
        billing_interval: 'month',
        currencies: ['USD'],
        applies_to_plans: ['nope'],
        charges: [{ key: 'xc', product: 'cross-connect', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '300' } } }],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'definition.applies_to_plans[0]', code: 'unknown_plan' })]);
  });

  it('refuses a second plan with the same code, and changes to an archived plan', async () => {
    const dup = await req('POST', '/v1/plans', { code: 'colo-standard', name: 'Again', definition: colocationDefinition() });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('code_taken');
    const temp = await req('POST', '/v1/plans', { code: 'temp-plan', name: 'Temp', definition: colocationDefinition() });
    expect((await req('POST', `/v1/plans/${temp.body.id}/archive`)).body.status).toBe('archived');
    const publish = await req('POST', `/v1/plans/${temp.body.id}/versions`, { definition: colocationDefinition({ trial_days: 1 }) });
    expect(publish.status).toBe(409);
    expect(publish.body.code).toBe('catalog_item_archived');
    expect((await req('GET', '/v1/plans')).body.data.map((p: { code: string }) => p.code)).not.toContain('temp-plan');
  });

  it('renames a plan without a new version', async () => {
    const res = await req('PATCH', `/v1/plans/${planId}`, { name: 'Colocation (standard)' });
    expect(res.body).toMatchObject({ name: 'Colocation (standard)', current_version: 2 });
  });
});
