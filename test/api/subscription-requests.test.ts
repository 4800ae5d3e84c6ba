import { RackrateError } from '../../lib/errors';
import { fixedTemporalClient } from '../../lib/temporal/connection';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { sendSubscriptionRequest, startSubscriptionWorkflow } from '../../services/subscriptions/subscription-workflows';
import { setupOf } from '../../services/subscriptions/subscriptions';
import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness } from '../support/subscription-harness';

/**
 * Requests a subscription's state or the catalogue forbids are refused with
 * problem+json and change nothing: not the subscription, its charges, its
 * recorded steps, the outbox nor any redemption counter. The workflow checks
 * again on its own (it is the authority), which a request sent straight to
 * it, past the API's checks, shows.
 */
const h = useSubscriptionHarness('sub-requests', { startAt: '2042-05-01T00:00:00.000Z' });
let usd: string;
let active: string;
let canceled: string;
let pending: string;

async function create(body: Record<string, unknown>): Promise<string> {
  const res = await h.req('POST', '/v1/subscriptions', body);
  if (res.status !== 201) throw new Error(res.text);
  return (res.body as { id: string }).id;
}

async function footprint(): Promise<unknown> {
  return h.db.asSuperuser(async (c) => {
    const one = async (sql: string) => (await c.query(sql)).rows;
    return {
      subscriptions: await one(`SELECT id, status, revision, terms, pending_changes, cancel_at_period_end FROM subscriptions ORDER BY id`),
      charges: await one(`SELECT count(*)::int AS n, coalesce(sum(amount), 0)::text AS total FROM subscription_charges`),
      transitions: await one(`SELECT count(*)::int AS n FROM subscription_transitions`),
      events: await one(`SELECT count(*)::int AS n FROM outbox_events`),
      redemptions: await one(`SELECT count(*)::int AS n FROM coupon_redemptions`),
      counters: await one(`SELECT code, times_redeemed FROM promotion_codes ORDER BY code`),
    };
  });
}

async function expectRefused(method: string, path: string, body: unknown, status: number, code: string, field?: { field: string; code: string }) {
  const before = await footprint();
  const res = await h.req(method, path, body);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  if (field) expect((res.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ in: 'body', ...field })]);
  await h.settle();
  expect(await footprint()).toEqual(before);
  return res.body as { detail: string };
}

beforeAll(async () => {
  await seedSubscriptionCatalog(h);
  usd = await createAccount(h);
  const post = async (path: string, body: unknown) => {
    const res = await h.req('POST', path, body);
    if (res.status !== 201) throw new Error(res.text);
    return res.body as { id: string };
  };
  await post('/v1/coupons', { code: 'launch', name: 'Launch', discount: { type: 'percent', percent_off: '10' }, duration: 'once' });
  await post('/v1/promotion_codes', { code: 'EXPIRES', coupon: 'launch', expires_at: '2042-05-02T00:00:00.000Z' });
  await post('/v1/promotion_codes', { code: 'ONCEONLY', coupon: 'launch', max_redemptions: 1 });
  active = await create({ account_id: usd, plan: 'cabinet-full', promotion_code: 'ONCEONLY' });
  canceled = await create({ account_id: usd, plan: 'cabinet-full' });
  pending = await create({ account_id: usd, plan: 'cabinet-full', requires_provisioning: true });
  await h.settle();
  const cancel = await h.req('POST', `/v1/subscriptions/${canceled}/cancel`, { effective: 'now' });
  if (cancel.status !== 200) throw new Error(cancel.text);
  await h.advanceTo('2042-05-03T00:00:00.000Z'); // EXPIRES has expired
}, 90_000);

it('refuses to upgrade a canceled subscription', async () => {
  const problem = await expectRefused('POST', `/v1/subscriptions/${canceled}/change`, { plan: 'cabinet-half' }, 409, 'subscription_state_conflict');
  expect(problem.detail).toMatch(/canceled/);
});

it('refuses a plan priced in another currency, on change and on create', async () => {
  await expectRefused('POST', `/v1/subscriptions/${active}/change`, { plan: 'cabinet-jpy' }, 422, 'currency_mismatch', { field: 'plan', code: 'not_priced_in_account_currency' });
  await expectRefused('POST', '/v1/subscriptions', { account_id: usd, plan: 'cabinet-jpy' }, 422, 'currency_mismatch', { field: 'plan', code: 'not_priced_in_account_currency' });
});

it('refuses an expired promotion code and one that reached its limit', async () => {
  await expectRefused('POST', '/v1/subscriptions', { account_id: usd, plan: 'cabinet-full', promotion_code: 'expires' }, 422, 'promotion_not_redeemable', { field: 'promotion_code', code: 'expired' });
  await expectRefused('POST', '/v1/subscriptions', { account_id: usd, plan: 'cabinet-full', promotion_code: 'ONCEONLY' }, 422, 'promotion_not_redeemable', { field: 'promotion_code', code: 'exhausted' });
  await expectRefused('POST', `/v1/subscriptions/${active}/change`, { promotion_code: 'ONCEONLY' }, 422, 'promotion_not_redeemable', { field: 'promotion_code', code: 'exhausted' });
});

it('refuses to activate an active subscription, and an activation before the order or in the future', async () => {
  await expectRefused('POST', `/v1/subscriptions/${active}/activate`, {}, 409, 'subscription_state_conflict');
  await expectRefused('POST', `/v1/subscriptions/${pending}/activate`, { activated_at: '2042-04-30T00:00:00.000Z' }, 400, 'validation_failed', { field: 'activated_at', code: 'before_order' });
  await expectRefused('POST', `/v1/subscriptions/${pending}/activate`, { activated_at: '2042-06-01T00:00:00.000Z' }, 400, 'validation_failed', { field: 'activated_at', code: 'future' });
});

it('refuses what the status does not allow: resume an active one, pause a pending one, cancel twice at period end', async () => {
  await expectRefused('POST', `/v1/subscriptions/${active}/resume`, undefined, 409, 'subscription_state_conflict');
  await expectRefused('POST', `/v1/subscriptions/${pending}/pause`, {}, 409, 'subscription_state_conflict');
  const first = await h.req('POST', `/v1/subscriptions/${active}/cancel`, { effective: 'period_end' });
  expect(first.status).toBe(200);
  await h.settle();
  await expectRefused('POST', `/v1/subscriptions/${active}/cancel`, { effective: 'period_end' }, 409, 'subscription_state_conflict');
});

it('refuses malformed changes, naming the field', async () => {
  await expectRefused('POST', `/v1/subscriptions/${active}/change`, { quantity: '0' }, 400, 'validation_failed', { field: 'quantity', code: 'invalid' });
  await expectRefused('POST', `/v1/subscriptions/${active}/change`, {}, 400, 'validation_failed', { field: 'plan', code: 'nothing_to_change' });
  await expectRefused('POST', `/v1/subscriptions/${active}/change`, { plan: 'cabinet-half', effective: '2042-05-01T00:00:00.000Z' }, 400, 'validation_failed', { field: 'effective', code: 'not_future' });
  await expectRefused('POST', `/v1/subscriptions/${active}/change`, { remove_addons: ['cross-connect'] }, 400, 'validation_failed', { field: 'remove_addons[0]', code: 'not_on_subscription' });
  await expectRefused('POST', `/v1/subscriptions/${active}/change`, { add_addons: [{ code: 'no-such-addon' }] }, 400, 'validation_failed', { field: 'add_addons[0].code', code: 'unknown' });
  const missing = await h.req('POST', '/v1/subscriptions/01890000-0000-7000-8000-000000000000/change', { plan: 'cabinet-half' });
  expect(missing.body).toMatchObject({ status: 404, code: 'not_found' });
});

it('a second workflow for the same subscription is refused by Temporal', async () => {
  const row = await h.db.asSuperuser(async (c) => (await c.query(`SELECT * FROM subscriptions WHERE id = $1`, [active])).rows[0]);
  const entity = await h.db.dataSource.manager.transaction(async (tx) => {
    await tx.query(`SELECT set_config('rackrate.tenant_id', $1, true)`, [h.tenant.id]);
    return tx.findOneByOrFail(Subscription, { tenantId: h.tenant.id, id: active });
  });
  expect(entity.workflowId).toBe(row.workflow_id);
  const again = startSubscriptionWorkflow(fixedTemporalClient(h.env.client), { setup: setupOf(entity, 3), terms: entity.terms });
  await expect(again).rejects.toMatchObject({ code: 'subscription_state_conflict' });
});

it('the workflow itself refuses a request its state forbids, recording nothing', async () => {
  const temporal = fixedTemporalClient(h.env.client);
  const before = await footprint();
  await expect(sendSubscriptionRequest(temporal, h.tenant.id, active, { type: 'resume', requestId: 'direct-resume' }, 'direct-resume')).rejects.toMatchObject({
    code: 'subscription_state_conflict',
    message: expect.stringMatching(/active subscription cannot resume/),
  });
  await expect(sendSubscriptionRequest(temporal, h.tenant.id, canceled, { type: 'pause', requestId: 'direct-pause', resumeAt: null }, 'direct-pause')).rejects.toBeInstanceOf(RackrateError);
  await h.settle();
  expect(await footprint()).toEqual(before);
});
