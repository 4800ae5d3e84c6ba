import { colocationDefinition, seedCatalog } from '../../support/catalog-fixtures';
import { useApiTest } from '../../support/http';

/** Smaller catalogue rules: each refused with the field named, each a mistake a provider could make. */
const ctx = useApiTest('catalog-rules');
let planId: string;

beforeAll(async () => {
  ({ planId } = await seedCatalog(ctx.api, ctx.tenant.adminKey));
});

const req = (method: string, path: string, body?: unknown) =>
  ctx.api.request(method, path, { key: ctx.tenant.adminKey, ...(body === undefined ? {} : { body }) });
const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) => (res.body.errors ?? []).map((e) => e.field);

it('refuses deadlines already past: a coupon redeem_by, a promotion code expires_at', async () => {
  const coupon = await req('POST', '/v1/coupons', { code: 'late', name: 'Late', discount: { type: 'percent', percent_off: '5' }, duration: 'once', redeem_by: '2020-01-01T00:00:00Z' });
  expect(coupon.status).toBe(400);
  expect(fieldsOf(coupon)).toEqual(['redeem_by']);
  await req('POST', '/v1/coupons', { code: 'on-time', name: 'On time', discount: { type: 'percent', percent_off: '5' }, duration: 'once' });
  const promo = await req('POST', '/v1/promotion_codes', { code: 'EXPIRED', coupon: 'on-time', expires_at: '2020-01-01T00:00:00Z' });
  expect(promo.status).toBe(400);
  expect(fieldsOf(promo)).toEqual(['expires_at']);
});

it('refuses a zero bundle discount and an empty coupon scope', async () => {
  const bundle = await req('POST', '/v1/bundles', { code: 'zero', name: 'Zero', items: { plan: 'colo-standard' }, discount: { percent_off: '0' } });
  expect(bundle.status).toBe(400);
  expect(fieldsOf(bundle)).toEqual(['discount.percent_off']);
  const coupon = await req('POST', '/v1/coupons', { code: 'nothing', name: 'Nothing', discount: { type: 'percent', percent_off: '5' }, duration: 'once', applies_to: { plans: [] } });
  expect(coupon.status).toBe(400);
  expect(fieldsOf(coupon)).toEqual(['applies_to.plans']);
});

it('lets eq and neq metric filters compare with exactly one value', async () => {
  const res = await req('POST', '/v1/billable_metrics', {
    code: 'filtered',
    name: 'Filtered',
    event_name: 'x',
    aggregation: { type: 'count' },
    filters: [{ property: 'site', operator: 'eq', values: ['nyc1', 'ewr1'] }],
  });
  expect(res.status).toBe(400);
  expect(fieldsOf(res)).toEqual(['filters[0].values']);
});

it('publishing the current definition again is a no-op even after a product it uses was archived', async () => {
  const current = (await req('GET', `/v1/plans/${planId}`)).body;
  const products = await req('GET', '/v1/products');
  const setup = products.body.data.find((p: { code: string }) => p.code === 'setup');
  await req('POST', `/v1/products/${setup.id}/archive`);
  const same = await req('POST', `/v1/plans/${planId}/versions`, { definition: colocationDefinition() });
  expect(same.status).toBe(200);
  expect(same.body.version).toBe(current.current_version);
  const changed = await req('POST', `/v1/plans/${planId}/versions`, { definition: colocationDefinition({ trial_days: 7 }) });
  expect(changed.status).toBe(422);
  expect(changed.body.errors).toEqual([expect.objectContaining({ field: 'definition.charges[1].product', code: 'archived_product' })]);
});
