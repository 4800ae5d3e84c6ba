import { ACCOUNT, PLAN, STATUS, TENANT } from '../../../lib/temporal/search-attributes';
import { subscriptionWorkflowId } from '../../../workflows/subscription/definitions';
import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness } from '../../support/subscription-harness';

/**
 * A 14-day trial converting to a monthly plan that renews 12 times, on the
 * time-skipping server: a year of billing in seconds, with the exact charges
 * and the exact sequence of domain events.
 */
const h = useSubscriptionHarness('sub-trial', { startAt: '2041-03-01T10:00:00.000Z' });

beforeAll(async () => {
  await seedSubscriptionCatalog(h, { trialDays: 14 });
}, 60_000);

function monthAfter(iso: string, months: number): string {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
}

it('trials for 14 days, warns 3 days before, converts, then renews 12 times at 1200.00 each', async () => {
  const account = await createAccount(h);
  const created = await h.req('POST', '/v1/subscriptions', { account_id: account, plan: 'cabinet-full', billing_anchor: 'anniversary' });
  if (created.status !== 201) throw new Error(created.text);
  const id = (created.body as { id: string }).id;
  await h.settle();

  let sub = (await h.req('GET', `/v1/subscriptions/${id}`)).body as Record<string, unknown>;
  expect(sub).toMatchObject({ status: 'trialing', trial_end: '2041-03-15T10:00:00.000Z', current_period: null });
  expect(await h.charges(id)).toEqual([]);

  await h.advanceTo('2041-03-12T10:00:00.000Z');
  expect(await h.events(id)).toEqual(['subscription.created', 'subscription.activated', 'subscription.trial_started', 'subscription.trial_will_end']);

  await h.advanceTo('2041-03-15T10:00:00.000Z');
  sub = (await h.req('GET', `/v1/subscriptions/${id}`)).body as Record<string, unknown>;
  expect(sub).toMatchObject({ status: 'active', current_period: { start: '2041-03-15T10:00:00.000Z', end: '2041-04-15T10:00:00.000Z' } });

  // Support staff find it in the Temporal UI by tenant, account, plan and the status kept current.
  const described = await h.env.client.workflow.getHandle(subscriptionWorkflowId(h.tenant.id, id)).describe();
  expect([TENANT, ACCOUNT, PLAN, STATUS].map((key) => described.typedSearchAttributes.get(key))).toEqual([h.tenant.id, account, 'cabinet-full', 'active']);

  for (let k = 1; k <= 12; k++) await h.advanceTo(monthAfter('2041-03-15T10:00:00.000Z', k));

  const expected = Array.from({ length: 13 }, (_, k) => ({
    kind: 'recurring',
    item: 'cabinet-full',
    amount: '1200.00',
    start: monthAfter('2041-03-15T10:00:00.000Z', k),
    end: monthAfter('2041-03-15T10:00:00.000Z', k + 1),
  }));
  expect((await h.charges(id)).map(({ description: _d, ...c }) => c)).toEqual(expected);
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.trial_started', 'subscription.trial_will_end',
    'subscription.trial_converted', ...Array<string>(12).fill('subscription.renewed'),
  ]);

  const live = (await h.req('GET', `/v1/subscriptions/${id}/state`)).body as Record<string, unknown>;
  expect(live).toMatchObject({
    status: 'active', periods_billed: 13, next_renewal_at: '2042-04-15T10:00:00.000Z',
    current_period: { start: '2042-03-15T10:00:00.000Z', end: '2042-04-15T10:00:00.000Z' },
  });
}, 120_000);
