import { TEST_PLATFORM_KEY } from '../support/http';
import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness } from '../support/subscription-harness';

/**
 * Tenant settings for subscriptions, changed by the platform operator: new
 * subscriptions take them, running ones keep the rules they started with.
 */
const h = useSubscriptionHarness('tenant-settings', { startAt: '2042-09-01T00:00:00.000Z' });

beforeAll(async () => {
  await seedSubscriptionCatalog(h);
}, 60_000);

const patch = (id: string, body: unknown) => h.api.request('PATCH', `/v1/tenants/${id}`, { key: TEST_PLATFORM_KEY, body });

it('switches proration to calendar days for subscriptions created afterwards', async () => {
  const account = await createAccount(h);
  const before = await h.req('POST', '/v1/subscriptions', { account_id: account, plan: 'cabinet-full' });
  expect(before.body).toMatchObject({ billing_cycle: { proration_unit: 'second' } });

  const res = await patch(h.tenant.id, { proration_unit: 'day', trial_ending_notice_days: 7 });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ id: h.tenant.id, proration_unit: 'day', trial_ending_notice_days: 7 });

  const after = await h.req('POST', '/v1/subscriptions', { account_id: account, plan: 'cabinet-full' });
  expect(after.body).toMatchObject({ billing_cycle: { proration_unit: 'day' } });
  const unchanged = await h.req('GET', `/v1/subscriptions/${(before.body as { id: string }).id}`);
  expect(unchanged.body).toMatchObject({ billing_cycle: { proration_unit: 'second' } });
  await h.settle();
});

it('refuses bad settings naming the field, and unknown tenants, changing nothing', async () => {
  const read = async () => (await h.api.request('GET', `/v1/tenants/${h.tenant.id}`, { key: TEST_PLATFORM_KEY })).body;
  const before = await read();
  const bad = await patch(h.tenant.id, { proration_unit: 'hour', trial_ending_notice_days: 31 });
  expect(bad.status).toBe(400);
  expect((bad.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field).sort()).toEqual(['proration_unit', 'trial_ending_notice_days']);
  expect(await read()).toEqual(before);
  const missing = await patch('01900000-0000-7000-8000-000000000000', { proration_unit: 'day' });
  expect(missing.body).toMatchObject({ status: 404, code: 'not_found' });
  const tenantKey = await h.api.request('PATCH', `/v1/tenants/${h.tenant.id}`, { key: h.tenant.adminKey, body: { proration_unit: 'second' } });
  expect(tenantKey.status).toBe(401);
  expect(await read()).toEqual(before);
});
