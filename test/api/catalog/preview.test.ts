import { useApiTest } from '../../support/http';
import { seedCatalog } from '../../support/catalog-fixtures';

/** POST /v1/plans/{id}/preview on the fixture's colocation plan (cabinet, install, transit with 1,000 GB included). */
const ctx = useApiTest('catalog-preview');
let planId: string;
let accountId: string;

beforeAll(async () => {
  ({ planId } = await seedCatalog(ctx.api, ctx.tenant.adminKey));
  const account = await ctx.api.request('POST', '/v1/accounts', { key: ctx.tenant.adminKey, body: { name: 'Contract customer', currency: 'USD' } });
  accountId = account.body.id;
});

const preview = (body: unknown) => ctx.api.request('POST', `/v1/plans/${planId}/preview`, { key: ctx.tenant.adminKey, body });

it('prices each charge with its breakdown and a rounded amount', async () => {
  const res = await preview({ currency: 'USD', usage: { cabinet: { quantity: '3' }, transit: { quantity: '25000' } } });
  expect(res.status).toBe(200);
  const byKey = Object.fromEntries(res.body.charges.map((c: { key: string }) => [c.key, c]));
  // 3 cabinets × 1200 = 3600; install defaults to 1 × 500.
  expect(byKey.cabinet).toMatchObject({ amount: '3600', raw_amount: '3600', quantity: '3', unit_price: '1200', price_source: 'plan' });
  expect(byKey.install.amount).toBe('500');
  // 25,000 GB − 1,000 included = 24,000: 10,000 × 0.05 = 500 + 14,000 × 0.03 = 420 → 920.
  expect(byKey.transit.amount).toBe('920');
  expect(byKey.transit.lines.map((l: { amount: string }) => l.amount)).toEqual(['0', '500', '420']);
  expect(byKey.transit.lines[0].description).toMatch(/Included: 1000 of 1000/);
  expect(byKey.transit.lines[2].tier).toEqual({ index: 1, from: '10000', to: null });
  expect(res.body.subtotal).toBe('5020');
});

it('prices in another currency of the plan and refuses one it lacks', async () => {
  const eur = await preview({ currency: 'EUR', usage: { cabinet: { quantity: '1' } } });
  expect(eur.body.charges.find((c: { key: string }) => c.key === 'cabinet').amount).toBe('1100');
  const jpy = await preview({ currency: 'JPY' });
  expect(jpy.status).toBe(400);
  expect(jpy.body.errors).toEqual([expect.objectContaining({ field: 'currency', code: 'not_priced' })]);
});

it("applies the account's active price override and minimum commitment", async () => {
  const override = await ctx.api.request('POST', '/v1/price_overrides', {
    key: ctx.tenant.adminKey,
    body: {
      account_id: accountId,
      plan: 'colo-standard',
      currency: 'USD',
      charges: { transit: { price: { model: 'per_unit', unit_price: '0.02' }, included_quantity: '0' } },
      minimum_commitment: '6000',
      starts_at: '2026-01-01T00:00:00Z',
    },
  });
  expect(override.status).toBe(201);
  const res = await preview({ account_id: accountId, at: '2026-11-25T00:00:00Z', usage: { cabinet: { quantity: '1' }, transit: { quantity: '5000' } } });
  expect(res.status).toBe(200);
  expect(res.body.price_override_id).toBe(override.body.id);
  const transit = res.body.charges.find((c: { key: string }) => c.key === 'transit');
  // 5,000 × 0.02 = 100, no allowance under the contract.
  expect(transit).toMatchObject({ amount: '100', price_source: 'override', model: 'per_unit' });
  // Charges 1200 + 500 + 100 = 1800; the 6000 minimum adds a 4200 true-up.
  expect(res.body.minimum_commitment).toEqual({ minimum: '6000', true_up: '4200' });
  expect(res.body.subtotal).toBe('6000');

  // Before the override starts, the plan's prices apply.
  const earlier = await preview({ account_id: accountId, at: '2025-12-31T00:00:00Z', usage: { transit: { quantity: '5000' } } });
  expect(earlier.body.price_override_id).toBeNull();
  expect(earlier.body.charges.find((c: { key: string }) => c.key === 'transit').amount).toBe('200');
});

it('rounds once per charge, half up, keeping the exact amount beside it', async () => {
  const plan = await ctx.api.request('POST', '/v1/plans', {
    key: ctx.tenant.adminKey,
    body: {
      code: 'api-calls',
      name: 'Metered API',
      definition: {
        billing_interval: 'month',
        currencies: ['USD', 'JPY', 'KWD'],
        charges: [
          {
            key: 'calls',
            product: 'transit',
            type: 'usage',
            metric: 'transit-gb',
            prices: {
              USD: { model: 'per_unit', unit_price: '0.000045' },
              JPY: { model: 'per_unit', unit_price: '0.0049' },
              KWD: { model: 'per_unit', unit_price: '0.0000135' },
            },
          },
        ],
      },
    },
  });
  const rate = (currency: string) =>
    ctx.api.request('POST', `/v1/plans/${plan.body.id}/preview`, { key: ctx.tenant.adminKey, body: { currency, usage: { calls: { quantity: '123457' } } } });
  // 123,457 × 0.000045 = 5.555565 → 5.56 USD; × 0.0049 = 604.9393 → 605 JPY; × 0.0000135 = 1.6666695 → 1.667 KWD.
  expect((await rate('USD')).body.charges[0]).toMatchObject({ raw_amount: '5.555565', amount: '5.56' });
  expect((await rate('JPY')).body.charges[0]).toMatchObject({ raw_amount: '604.9393', amount: '605' });
  expect((await rate('KWD')).body.charges[0]).toMatchObject({ raw_amount: '1.6666695', amount: '1.667' });
});

it('names the charge whose usage does not fit, and unknown charges', async () => {
  const wrongKind = await preview({ currency: 'USD', usage: { transit: { seconds: 10 } } });
  expect(wrongKind.status).toBe(400);
  expect(wrongKind.body.errors).toEqual([expect.objectContaining({ field: 'usage.transit', code: 'wrong_kind' })]);
  const unknown = await preview({ currency: 'USD', usage: { nope: { quantity: '1' } } });
  expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'usage.nope', code: 'unknown_charge' })]);
  const shapeless = await preview({ currency: 'USD', usage: { transit: { amount: '1' } } });
  expect(shapeless.status).toBe(400);
  expect(shapeless.body.errors[0].field).toBe('usage.transit');
  const missing = await preview({});
  expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'currency', code: 'required' })]);
});

it('prices an older version on request', async () => {
  await ctx.api.request('POST', `/v1/plans/${planId}/versions`, {
    key: ctx.tenant.adminKey,
    body: {
      definition: {
        billing_interval: 'month',
        currencies: ['USD'],
        charges: [{ key: 'cabinet', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: '1300' } } }],
      },
    },
  });
  const current = await preview({ currency: 'USD' });
  expect(current.body).toMatchObject({ version: 2, subtotal: '1300' });
  const old = await preview({ currency: 'USD', version: 1 });
  expect(old.body.version).toBe(1);
  expect(old.body.charges.find((c: { key: string }) => c.key === 'cabinet').amount).toBe('1200');
});
