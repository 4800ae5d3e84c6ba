import { randomUUID } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import { accountOffersSchema } from '../../services/subscriptions/offer-schemas';
import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness } from '../support/subscription-harness';
import { createTestTenant } from '../support/tenants';

/**
 * GET /v1/accounts/{id}/offers on real parts: a cabinet subscription
 * renews three times on the time-skipping server, then the offers compare
 * the half cabinet and the cross-connect add-on with what was charged.
 */
const h = useSubscriptionHarness('offers', { startAt: '2043-01-01T00:00:00.000Z' });
let account: string;
let subscription: string;

beforeAll(async () => {
  await seedSubscriptionCatalog(h);
  account = await createAccount(h);
  const created = await h.req('POST', '/v1/subscriptions', { account_id: account, plan: 'cabinet-full', billing_anchor: 'anniversary' });
  if (created.status !== 201) throw new Error(created.text);
  subscription = (created.body as { id: string }).id;
  await h.settle();
  for (const month of ['2043-02-01', '2043-03-01', '2043-04-01']) await h.advanceTo(`${month}T00:00:00.000Z`);
}, 120_000);

const month = (m: string, next: string) => ({ start: `2043-${m}-01T00:00:00.000Z`, end: `2043-${next}-01T00:00:00.000Z` });

it('compares the last 3 full months: the half cabinet would have saved 1800.00, the cross-connect would have cost 900.00', async () => {
  const res = await h.req('GET', `/v1/accounts/${account}/offers?periods=3`);
  expect(res.status).toBe(200);
  expect(accountOffersSchema.safeParse(res.body).error?.issues ?? []).toEqual([]);
  expect(res.body).toMatchObject({ object: 'account_offers', account_id: account, currency: 'USD', periods_requested: 3, generated_at: '2043-04-01T00:00:00.000Z' });
  // April is billed in advance but still open: not compared.
  expect(res.body.subscriptions).toEqual([
    {
      subscription_id: subscription, plan: 'cabinet-full', billing_interval: 'month',
      compared_periods: [{ ...month('03', '04'), paid: '1200.00' }, { ...month('02', '03'), paid: '1200.00' }, { ...month('01', '02'), paid: '1200.00' }],
      skipped_periods: [], actually_paid: '3600.00', commit_fit: [],
    },
  ]);
  const [half, crossConnect, ...rest] = res.body.offers;
  expect(rest).toEqual([]); // cabinet-jpy is priced only in JPY: not offered to a USD account.
  expect(half).toEqual({
    subscription_id: subscription, kind: 'plan', code: 'cabinet-half', name: 'cabinet-half', version: 1, currency: 'USD',
    comparable: true, reason: null, periods: 3,
    candidate_charges: '1800.00', would_have_cost: '1800.00', actually_paid: '3600.00', saving: '1800.00', one_time_fees: '0.00',
    contract_prices: false,
    per_period: [
      { ...month('03', '04'), paid: '1200.00', would_have_cost: '600.00' },
      { ...month('02', '03'), paid: '1200.00', would_have_cost: '600.00' },
      { ...month('01', '02'), paid: '1200.00', would_have_cost: '600.00' },
    ],
    message: 'cabinet-half would have cost 1800.00 USD less over the last 3 months (1800.00 USD instead of 3600.00 USD).',
    notes: [],
  });
  expect(crossConnect).toMatchObject({
    kind: 'addon', code: 'cross-connect', comparable: true,
    candidate_charges: '900.00', would_have_cost: '4500.00', actually_paid: '3600.00', saving: '-900.00', one_time_fees: '150.00',
    message: 'Adding Cross-connect would have cost 900.00 USD over the last 3 months, plus 150.00 USD once.',
  });
});

it('answers with the AccountOffers schema the OpenAPI document publishes', async () => {
  const doc = (await h.req('GET', '/v1/openapi.json')).body;
  const operation = doc.paths['/v1/accounts/{id}/offers'].get;
  expect(operation.operationId).toBe('listAccountOffers');
  expect(operation.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['path:id', 'query:periods']));
  const schema = operation.responses['200'].content['application/json'].schema;
  expect(schema).toEqual({ $ref: '#/components/schemas/AccountOffers' });
  const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile({ ...schema, components: doc.components });
  const body = (await h.req('GET', `/v1/accounts/${account}/offers`)).body;
  expect(validate(body) ? [] : validate.errors).toEqual([]);
});

it('defaults to 3 periods and looks at fewer when asked', async () => {
  const byDefault = await h.req('GET', `/v1/accounts/${account}/offers`);
  expect(byDefault.body.periods_requested).toBe(3);
  expect(byDefault.body.offers[0].saving).toBe('1800.00');
  const one = await h.req('GET', `/v1/accounts/${account}/offers?periods=1`);
  expect(one.body.subscriptions[0].compared_periods).toEqual([{ ...month('03', '04'), paid: '1200.00' }]);
  expect(one.body.offers.map((o: { code: string; saving: string }) => [o.code, o.saving])).toEqual([['cabinet-half', '600.00'], ['cross-connect', '-300.00']]);
});

it('an account without subscriptions has no offers', async () => {
  const empty = await createAccount(h, { name: 'No services yet' });
  const res = await h.req('GET', `/v1/accounts/${empty}/offers`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ subscriptions: [], offers: [] });
});

it('answers 404 problem+json for an unknown account and for another tenant\'s account', async () => {
  const unknown = await h.req('GET', `/v1/accounts/${randomUUID()}/offers`);
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(unknown.body.code).toBe('not_found');
  const other = await createTestTenant(h.db.dataSource, 'offers-other');
  const foreign = await h.api.request('GET', `/v1/accounts/${account}/offers`, { key: other.adminKey });
  expect(foreign.status).toBe(404);
  expect(foreign.body.code).toBe('not_found');
});

it.each(['0', '13', '2.5', 'three'])('refuses periods=%s with 400 naming the field', async (periods) => {
  const res = await h.req('GET', `/v1/accounts/${account}/offers?periods=${periods}`);
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe('validation_failed');
  expect(res.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'periods' })]);
});
