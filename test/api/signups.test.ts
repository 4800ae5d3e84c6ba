import { containsCardNumber } from '../../services/subscriptions/signup-schemas';
import type { TestResponse } from '../support/http';
import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness } from '../support/subscription-harness';

/**
 * POST /v1/signups on real parts (API, PostgreSQL, time-skipping Temporal
 * and the subscription worker): one call makes the account, its default
 * payment method and a subscription with a promotion code; a retry (same
 * Idempotency-Key, or the identical request naming the same external_id)
 * makes nothing new; a refused signup leaves no row behind.
 */
const h = useSubscriptionHarness('signups', { startAt: '2042-01-10T09:00:00.000Z' });

let welcomePromoId: string;

async function post(path: string, body: unknown): Promise<{ id: string }> {
  const res = await h.req('POST', path, body);
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
  return res.body as { id: string };
}

beforeAll(async () => {
  await seedSubscriptionCatalog(h);
  await post('/v1/coupons', { code: 'welcome-25', name: '25% off two months', discount: { type: 'percent', percent_off: '25' }, duration: 'repeating', duration_periods: 2 });
  welcomePromoId = (await post('/v1/promotion_codes', { code: 'WELCOME25', coupon: 'welcome-25', expires_at: '2042-06-01T00:00:00.000Z' })).id;
}, 60_000);

type Body = Record<string, unknown>;

function signupBody(over: { account?: Body; payment_method?: Body | null; subscription?: Body; promotion_code?: string | null } = {}): Body {
  const body: Body = {
    account: { name: 'Orbit Hosting', email: 'billing@orbit.example', currency: 'USD', timezone: 'UTC', external_id: 'CRM-7001', ...over.account },
    subscription: { plan: 'cabinet-full', trial_days: 14, billing_anchor: 'anniversary', ...over.subscription },
  };
  if (over.payment_method !== null) {
    body.payment_method = { gateway: 'simulated', token: 'tok_orbit_visa', type: 'card', brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2045, ...over.payment_method };
  }
  if (over.promotion_code !== null) body.promotion_code = over.promotion_code ?? 'welcome25';
  return body;
}

const signup = (body: Body, headers?: Record<string, string>) => h.req('POST', '/v1/signups', body, headers);

/**
 * The subscription once its workflow has recorded `status`. The workflow starts inside the API's
 * transaction, so its first activity may find no row yet and retry a second later (real time):
 * settle() alone can return before that retry.
 */
async function subscriptionOnceStatus(id: string, status: string): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) {
    await h.settle();
    body = (await h.req('GET', `/v1/subscriptions/${id}`)).body;
    if (body.status === status) return body;
    await new Promise((r) => setTimeout(r, 250));
  }
  return body;
}

/** Row counts a signup touches, and the promotion codes' and coupons' redemption counters. */
async function footprint(): Promise<Record<string, number>> {
  return h.db.asSuperuser(async (c) => {
    const { rows } = await c.query(
      `SELECT (SELECT count(*) FROM accounts WHERE tenant_id = $1)::int AS accounts,
              (SELECT count(*) FROM payment_methods WHERE tenant_id = $1)::int AS payment_methods,
              (SELECT count(*) FROM subscriptions WHERE tenant_id = $1)::int AS subscriptions,
              (SELECT count(*) FROM coupon_redemptions WHERE tenant_id = $1)::int AS coupon_redemptions,
              (SELECT coalesce(sum(times_redeemed), 0) FROM promotion_codes WHERE tenant_id = $1)::int AS promotion_redemptions,
              (SELECT coalesce(sum(times_redeemed), 0) FROM coupons WHERE tenant_id = $1)::int AS coupon_redemption_count,
              (SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'signup.completed')::int AS signups`,
      [h.tenant.id],
    );
    return rows[0] as Record<string, number>;
  });
}

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

const NOTHING = { accounts: 0, payment_methods: 0, subscriptions: 0, coupon_redemptions: 0, promotion_redemptions: 0, coupon_redemption_count: 0, signups: 0 };

function expectProblem(res: TestResponse, status: number, code: string, field: string, fieldCode?: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(fieldCode ? { code: fieldCode } : {}) })]));
}

describe('a signup with a trial, a promotion code and a card token', () => {
  let first: TestResponse;
  let before: Record<string, number>;

  it('creates one account, one default payment method and one trialing subscription with the coupon, in one call', async () => {
    before = await footprint();
    first = await signup(signupBody(), { 'Idempotency-Key': 'signup-orbit-1' });
    expect(first.status).toBe(201);
    expect(delta(before, await footprint())).toEqual({ ...NOTHING, accounts: 1, payment_methods: 1, subscriptions: 1, coupon_redemptions: 1, promotion_redemptions: 1, coupon_redemption_count: 1, signups: 1 });

    const { account, payment_method: method, subscription } = first.body;
    expect(first.headers.get('location')).toBe(`/v1/subscriptions/${subscription.id}`);
    expect(account).toMatchObject({ object: 'account', name: 'Orbit Hosting', external_id: 'CRM-7001', currency: 'USD', payment_terms: { type: 'due_on_receipt' } });
    expect(method).toEqual({
      id: method.id, object: 'payment_method', account_id: account.id, gateway: 'simulated', token: 'tok_orbit_visa', type: 'card',
      brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2045, default: true, status: 'active', created_at: '2042-01-10T09:00:00.000Z',
    });
    expect(subscription).toMatchObject({
      account_id: account.id, plan: 'cabinet-full', currency: 'USD', trial_days: 14,
      coupon: { code: 'welcome-25', promotion_code_id: welcomePromoId, discount: { type: 'percent', percent_off: '25' }, duration: 'repeating', periods_remaining: 2 },
    });
    const stored = await h.db.asSuperuser(async (c) => (await c.query(`SELECT payment_method_id, promotion_code_id FROM subscriptions WHERE id = $1`, [subscription.id])).rows);
    expect(stored).toEqual([{ payment_method_id: method.id, promotion_code_id: welcomePromoId }]);

    expect(await subscriptionOnceStatus(subscription.id, 'trialing')).toMatchObject({ status: 'trialing', trial_end: '2042-01-24T09:00:00.000Z', current_period: null });
    expect((await h.req('GET', `/v1/promotion_codes/${welcomePromoId}`)).body.times_redeemed).toBe(1);
    expect(await h.events(account.id)).toEqual(['account.created', 'signup.completed']);
    expect(await h.events(subscription.id)).toEqual(['subscription.created', 'subscription.activated', 'subscription.trial_started']);
  });

  it('replays the same body for the same Idempotency-Key and creates nothing', async () => {
    const mark = await footprint();
    const again = await signup(signupBody(), { 'Idempotency-Key': 'signup-orbit-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(delta(mark, await footprint())).toEqual(NOTHING);
  });

  it('recognises the identical request without a key (or with another key) by account.external_id: 200, the same rows, nothing new', async () => {
    const mark = await footprint();
    for (const headers of [undefined, { 'Idempotency-Key': 'signup-orbit-2' }]) {
      const retry = await signup(signupBody(), headers);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('location')).toBeNull();
      expect({ account: retry.body.account, payment_method: retry.body.payment_method }).toEqual({ account: first.body.account, payment_method: first.body.payment_method });
      // The rows as they are now: the workflow has moved the subscription on since.
      expect(retry.body.subscription).toMatchObject({ id: first.body.subscription.id, status: 'trialing', trial_end: '2042-01-24T09:00:00.000Z' });
    }
    expect(delta(mark, await footprint())).toEqual(NOTHING);
    expect((await h.req('GET', `/v1/promotion_codes/${welcomePromoId}`)).body.times_redeemed).toBe(1);
  });

  it('refuses another request naming the same external_id (409 on account.external_id), storing nothing', async () => {
    const mark = await footprint();
    const otherPlan = await signup(signupBody({ subscription: { plan: 'cabinet-half' } }));
    expectProblem(otherPlan, 409, 'external_id_taken', 'account.external_id', 'taken');
    expect(otherPlan.body.detail).toContain('signed up for plan cabinet-full');
    // A re-tokenised card is a different request: the caller learns the account exists, nothing is swapped silently.
    const otherToken = await signup(signupBody({ payment_method: { token: 'tok_orbit_visa_2' } }));
    expectProblem(otherToken, 409, 'external_id_taken', 'account.external_id', 'taken');
    expect(otherToken.body.detail).toContain('different request');
    // An account made by POST /v1/accounts is not a signup, whatever the request.
    await createAccount(h, { external_id: 'CRM-7002' });
    const notSignup = await signup(signupBody({ account: { external_id: 'CRM-7002' } }));
    expectProblem(notSignup, 409, 'external_id_taken', 'account.external_id', 'taken');
    expect(notSignup.body.detail).toContain('not created by a signup');
    expect(delta(mark, await footprint())).toEqual({ ...NOTHING, accounts: 1 });
  });

  it("lists the account's payment method: token metadata only", async () => {
    const list = await h.req('GET', `/v1/accounts/${first.body.account.id}/payment_methods`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ object: 'list', data: [first.body.payment_method], has_more: false, next_cursor: null });
    const missing = await h.req('GET', '/v1/accounts/01900000-0000-7000-8000-000000000000/payment_methods');
    expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: 'not_found' });
  });

  it('converts at trial end with 25% off its first two periods, then bills in full', async () => {
    const id = first.body.subscription.id as string;
    await h.advanceTo('2042-01-24T09:00:00.000Z');
    expect((await h.req('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({
      status: 'active', current_period: { start: '2042-01-24T09:00:00.000Z', end: '2042-02-24T09:00:00.000Z' },
      coupon: { code: 'welcome-25', periods_remaining: 1 },
    });
    await h.advanceTo('2042-02-24T09:00:00.000Z');
    await h.advanceTo('2042-03-24T09:00:00.000Z');
    const period = (start: string, end: string) => ({ start, end });
    const p1 = period('2042-01-24T09:00:00.000Z', '2042-02-24T09:00:00.000Z');
    const p2 = period('2042-02-24T09:00:00.000Z', '2042-03-24T09:00:00.000Z');
    const p3 = period('2042-03-24T09:00:00.000Z', '2042-04-24T09:00:00.000Z');
    expect((await h.charges(id)).map(({ kind, amount, start, end }) => ({ kind, amount, start, end }))).toEqual([
      { kind: 'recurring', amount: '1200.00', ...p1 },
      { kind: 'discount', amount: '-300.00', ...p1 },
      { kind: 'recurring', amount: '1200.00', ...p2 },
      { kind: 'discount', amount: '-300.00', ...p2 },
      { kind: 'recurring', amount: '1200.00', ...p3 },
    ]);
    expect(await h.events(id)).toEqual([
      'subscription.created', 'subscription.activated', 'subscription.trial_started', 'subscription.trial_will_end',
      'subscription.trial_converted', 'subscription.renewed', 'subscription.renewed',
    ]);
  }, 60_000);
});

it('two identical signups at once make one account: one gets 201, the other waits and gets 200 with the same rows', async () => {
  const mark = await footprint();
  const body = signupBody({ account: { external_id: 'CRM-7100' }, payment_method: { token: 'tok_race' }, promotion_code: null });
  const [a, b] = await Promise.all([signup(body), signup(body)]);
  expect([a.status, b.status].sort()).toEqual([200, 201]);
  expect(a.body.subscription.id).toBe(b.body.subscription.id);
  expect(delta(mark, await footprint())).toEqual({ ...NOTHING, accounts: 1, payment_methods: 1, subscriptions: 1, signups: 1 });
  await subscriptionOnceStatus(a.body.subscription.id, 'trialing');
});

it('signs up without a payment method or promotion code (payment_method null)', async () => {
  const res = await signup(signupBody({ account: { external_id: null }, payment_method: null, promotion_code: null, subscription: { trial_days: 0 } }));
  expect(res.status).toBe(201);
  expect(res.body.payment_method).toBeNull();
  expect(res.body.subscription.coupon).toBeNull();
  expect(await subscriptionOnceStatus(res.body.subscription.id, 'active')).toMatchObject({
    status: 'active', current_period: { start: h.now().toISOString() }, trial_end: null,
  });
});

describe('a refused signup names the field and stores nothing', () => {
  let exhaustedCode: string;
  let expiredCode: string;

  beforeAll(async () => {
    await post('/v1/coupons', { code: 'launch-50', name: '50 off', discount: { type: 'amount', amount_off: { USD: '50' } }, duration: 'once' });
    exhaustedCode = 'LAUNCH1';
    await post('/v1/promotion_codes', { code: exhaustedCode, coupon: 'launch-50', max_redemptions: 1 });
    const used = await signup(signupBody({ account: { external_id: 'CRM-7200' }, payment_method: { token: 'tok_first_taker' }, promotion_code: exhaustedCode }));
    if (used.status !== 201) throw new Error(used.text);
    expiredCode = 'BRIEF1';
    const expiresAt = new Date(h.now().getTime() + 60_000).toISOString();
    await post('/v1/promotion_codes', { code: expiredCode, coupon: 'launch-50', expires_at: expiresAt });
    await h.advanceTo(new Date(h.now().getTime() + 120_000).toISOString());
  }, 60_000);

  const cases: Array<[string, () => Body, number, string, string, string]> = [
    ['an unknown plan', () => signupBody({ subscription: { plan: 'no-such-plan' } }), 400, 'validation_failed', 'subscription.plan', 'unknown'],
    ['a plan not priced in the account currency', () => signupBody({ subscription: { plan: 'cabinet-jpy' } }), 422, 'currency_mismatch', 'subscription.plan', 'not_priced_in_account_currency'],
    ['an unknown add-on', () => signupBody({ subscription: { addons: [{ code: 'no-such-addon' }] } }), 400, 'validation_failed', 'subscription.addons[0].code', 'unknown'],
    ['an expired promotion code', () => signupBody({ promotion_code: expiredCode }), 422, 'promotion_not_redeemable', 'promotion_code', 'expired'],
    ['an exhausted promotion code', () => signupBody({ promotion_code: exhaustedCode }), 422, 'promotion_not_redeemable', 'promotion_code', 'exhausted'],
    ['a card number as the token', () => signupBody({ payment_method: { token: '4242 4242 4242 4242' } }), 400, 'validation_failed', 'payment_method.token', 'invalid'],
    ['a token already attached to another account', () => signupBody({ payment_method: { token: 'tok_first_taker' } }), 409, 'payment_method_taken', 'payment_method.token', 'taken'],
    ['an expired card', () => signupBody({ payment_method: { exp_month: 12, exp_year: 2041 } }), 400, 'validation_failed', 'payment_method.exp_year', 'expired'],
    ['a missing account name', () => signupBody({ account: { name: undefined } }), 400, 'validation_failed', 'account.name', 'required'],
  ];

  it.each(cases)('%s', async (_label, body, status, code, field, fieldCode) => {
    // Each case its own external id, and its own token unless the token is the point.
    const base = body();
    const method = base.payment_method as Body;
    const request = {
      ...base,
      account: { ...(base.account as Body), external_id: `CRM-BAD-${field}-${code}` },
      payment_method: method.token === 'tok_orbit_visa' ? { ...method, token: `tok_bad_${field}_${code}` } : method,
    };
    const before = await footprint();
    const res = await signup(request);
    expectProblem(res, status, code, field, fieldCode);
    expect(await footprint()).toEqual(before);
    // The external id stayed free: nothing of the refused signup was kept.
    expect((await h.req('GET', `/v1/accounts?external_id=${encodeURIComponent(request.account.external_id)}`)).body.data).toEqual([]);
  });

  it('keeps a business refusal under its Idempotency-Key, still storing no row', async () => {
    const before = await footprint();
    const body = signupBody({ account: { external_id: 'CRM-7300' }, payment_method: { token: 'tok_keyed_refusal' }, promotion_code: expiredCode });
    const res = await signup(body, { 'Idempotency-Key': 'signup-expired' });
    expectProblem(res, 422, 'promotion_not_redeemable', 'promotion_code', 'expired');
    const again = await signup(body, { 'Idempotency-Key': 'signup-expired' });
    expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), body: again.body }).toEqual({ status: 422, replayed: 'true', body: res.body });
    expect(await footprint()).toEqual(before);
  });

  it('reports every invalid field at once and never echoes a card number', async () => {
    const res = await signup({
      account: { currency: 'usd' },
      payment_method: { gateway: 'Simulated', token: 'card-4000-0566-5566-5556', type: 'card', exp_month: 12 },
      subscription: {},
      promotion_code: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'account.currency', 'account.name', 'payment_method.exp_year', 'payment_method.gateway', 'payment_method.token', 'promotion_code', 'subscription.plan',
    ]);
    expect(res.text).not.toMatch(/4000.?0566.?5566.?5556/);
  });
});

describe('containsCardNumber', () => {
  it.each([
    ['4242424242424242', true],
    ['4242 4242 4242 4242', true],
    ['4000-0566-5566-5556', true],
    ['378282246310005', true], // 15-digit Amex
    ['tok_4242424242424242', true], // a number inside a token is still a number
    ['4242424242424241', false], // fails Luhn: format-preserving tokens are made this way
    ['424242424242', false], // 12 digits
    ['42424242424242424242', false], // 20 digits
    ['tok_1Q2w3E4r5T6y', false],
    ['pm_550e8400-e29b-41d4-a716-446655440000', false],
  ])('%s → %s', (token, expected) => {
    expect(containsCardNumber(token)).toBe(expected);
  });
});
