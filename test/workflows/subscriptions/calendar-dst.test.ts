import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness } from '../../support/subscription-harness';

/**
 * Calendar billing on the 31st for a customer in New York, by the second:
 * periods end at local midnight on the 31st, or on the last day of shorter
 * months (29 February in the leap year 2044), and stay at local midnight
 * across the change to daylight saving time on 13 March 2044, so that UTC
 * boundary moves from 05:00 to 04:00 and the March period is an hour
 * short, yet still one whole period at the full price.
 */
const h = useSubscriptionHarness('sub-calendar', { startAt: '2043-12-20T05:00:00.000Z' });

beforeAll(async () => {
  await seedSubscriptionCatalog(h);
}, 60_000);

it('bills a stub to 31 Dec, then months ending 31 Jan, 29 Feb, 31 Mar (after DST), 30 Apr', async () => {
  const account = await createAccount(h, { timezone: 'America/New_York', billing_anchor_day: 31 });
  const res = await h.req('POST', '/v1/subscriptions', { account_id: account, plan: 'cabinet-full' });
  if (res.status !== 201) throw new Error(res.text);
  const id = (res.body as { id: string }).id;
  await h.settle();
  expect(res.body).toMatchObject({ billing_cycle: { interval: 'month', anchor: 'calendar', anchor_day: 31, timezone: 'America/New_York', proration_unit: 'second' } });

  for (const boundary of ['2043-12-31T05:00:00.000Z', '2044-01-31T05:00:00.000Z', '2044-02-29T05:00:00.000Z', '2044-03-31T04:00:00.000Z']) {
    await h.advanceTo(boundary);
  }
  const rows = (await h.charges(id)).map((c) => [c.amount, c.start, c.end]);
  expect(rows).toEqual([
    // 20 Dec to 31 Dec local: 11 of the 31 days from 30 Nov (the 31st clamped) to 31 Dec; 1200 × 11/31 = 425.806…
    ['425.81', '2043-12-20T05:00:00.000Z', '2043-12-31T05:00:00.000Z'],
    ['1200.00', '2043-12-31T05:00:00.000Z', '2044-01-31T05:00:00.000Z'],
    ['1200.00', '2044-01-31T05:00:00.000Z', '2044-02-29T05:00:00.000Z'],
    ['1200.00', '2044-02-29T05:00:00.000Z', '2044-03-31T04:00:00.000Z'],
    ['1200.00', '2044-03-31T04:00:00.000Z', '2044-04-30T04:00:00.000Z'],
  ]);
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.renewed', 'subscription.renewed', 'subscription.renewed', 'subscription.renewed',
  ]);
}, 90_000);

