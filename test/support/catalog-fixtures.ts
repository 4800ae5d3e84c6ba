import type { TestApi } from './http';

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

export async function seedCatalog(api: TestApi, key: string): Promise<{ planId: string }> {
  for (const body of PRODUCTS) await expectCreated(api.request('POST', '/v1/products', { key, body }));
  for (const body of METRICS) await expectCreated(api.request('POST', '/v1/billable_metrics', { key, body }));
  const plan = await expectCreated(
    api.request('POST', '/v1/plans', { key, body: { code: 'colo-standard', name: 'Colocation standard', definition: colocationDefinition() } }),
  );
  return { planId: plan.id };
}

async function expectCreated(response: ReturnType<TestApi['request']>): Promise<{ id: string }> {
  const res = await response;
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${res.text}`);
  return res.body;
}
