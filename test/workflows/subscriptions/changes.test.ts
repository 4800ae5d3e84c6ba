import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness, type ChargeRow } from '../../support/subscription-harness';

/**
 * Changes over real timelines, with the tenant prorating by calendar day
 * (Kill Bill's convention) so every amount is exact: an upgrade on day 10
 * and a downgrade at period end; an add-on mid-period; pause and resume;
 * cancel at period end; activation three days after the order. Each test
 * asserts the exact charges and the exact sequence of domain events. The
 * tests share one clock that only moves forward, so they run in date order.
 */
const h = useSubscriptionHarness('sub-changes', { startAt: '2041-06-01T00:00:00.000Z', prorationUnit: 'day' });

beforeAll(async () => {
  await seedSubscriptionCatalog(h);
}, 60_000);

async function subscribe(body: Record<string, unknown>): Promise<string> {
  const account = await createAccount(h);
  const res = await h.req('POST', '/v1/subscriptions', { account_id: account, ...body });
  if (res.status !== 201) throw new Error(res.text);
  await h.settle();
  return (res.body as { id: string }).id;
}

async function ok(method: string, path: string, body?: unknown) {
  const res = await h.req(method, path, body ?? {});
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
  await h.settle();
  return res.body as { subscription: Record<string, unknown>; charges: Array<{ kind: string; amount: string }>; scheduled_change: unknown };
}

const brief = (rows: ChargeRow[]) => rows.map((c) => `${c.kind} ${c.item ?? '-'} ${c.amount} ${c.start.slice(0, 10)}..${c.end.slice(0, 10)}`);

it('upgrades on day 10 (credit 400.00, charge 800.00) and downgrades at period end', async () => {
  const id = await subscribe({ plan: 'cabinet-half', billing_anchor: 'anniversary' });
  await h.advanceTo('2041-06-11T00:00:00.000Z');
  const upgrade = await ok('POST', `/v1/subscriptions/${id}/change`, { plan: 'cabinet-full' });
  // 20 of June's 30 days remain: the unused 600 × 20/30 back, 1200 × 20/30 charged.
  expect(upgrade.charges.map((c) => [c.kind, c.amount])).toEqual([['proration_credit', '-400.00'], ['proration_charge', '800.00']]);
  expect(upgrade.subscription).toMatchObject({ plan: 'cabinet-full', status: 'active' });

  const downgrade = await ok('POST', `/v1/subscriptions/${id}/change`, { plan: 'cabinet-half', effective: 'period_end' });
  expect(downgrade.charges).toEqual([]);
  expect(downgrade.scheduled_change).toMatchObject({ effective: { type: 'period_end' }, description: 'plan cabinet-full → cabinet-half' });
  expect((await h.req('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({ plan: 'cabinet-full', pending_changes: [expect.objectContaining({ description: 'plan cabinet-full → cabinet-half' })] });

  await h.advanceTo('2041-07-01T00:00:00.000Z');
  expect(brief(await h.charges(id))).toEqual([
    'recurring cabinet-half 600.00 2041-06-01..2041-07-01',
    'proration_credit cabinet-half -400.00 2041-06-11..2041-07-01',
    'proration_charge cabinet-full 800.00 2041-06-11..2041-07-01',
    'recurring cabinet-half 600.00 2041-07-01..2041-08-01',
  ]);
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.changed', 'subscription.change_scheduled',
    'subscription.renewed', 'subscription.changed',
  ]);
  expect((await h.req('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({ plan: 'cabinet-half', pending_changes: [] });
}, 60_000);

it('adds an add-on mid-period: its share of the period and its one-time fee', async () => {
  const id = await subscribe({ plan: 'cabinet-full', billing_anchor: 'anniversary' });
  // Created 2041-07-01: the period is July (31 days); 11 days remain after the 21st.
  await h.advanceTo('2041-07-21T00:00:00.000Z');
  const added = await ok('POST', `/v1/subscriptions/${id}/change`, { add_addons: [{ code: 'cross-connect', quantity: '2' }] });
  // 2 × 300.00 × 11/31 = 212.903… → 212.90, and 2 × 150.00 installation.
  expect(added.charges.map((c) => [c.kind, c.amount])).toEqual([['proration_charge', '212.90'], ['one_time', '300.00']]);
  await h.advanceTo('2041-08-01T00:00:00.000Z');
  const august = (await h.charges(id)).filter((c) => c.start.startsWith('2041-08-01'));
  expect(august.map((c) => [c.item, c.amount])).toEqual([['cabinet-full', '1200.00'], ['cross-connect', '600.00']]);
}, 60_000);

it('pauses half way (credit for the unused half) and resumes with a prorated stub of the unchanged cycle', async () => {
  const id = await subscribe({ plan: 'cabinet-full', billing_anchor: 'anniversary' });
  // Created 2041-08-01; August has 31 days.
  await h.advanceTo('2041-08-17T00:00:00.000Z');
  const paused = await ok('POST', `/v1/subscriptions/${id}/pause`);
  expect(paused.subscription).toMatchObject({ status: 'paused' });
  expect(paused.charges.map((c) => [c.kind, c.amount])).toEqual([['proration_credit', '-580.65']]); // 1200 × 15/31
  await h.advanceTo('2041-09-10T00:00:00.000Z'); // no renewal while paused
  const resumed = await ok('POST', `/v1/subscriptions/${id}/resume`);
  // The cycle stays anchored on the 1st: 10 Sep to 1 Oct is 21 of September's 30 days.
  expect(resumed.charges.map((c) => [c.kind, c.amount])).toEqual([['recurring', '840.00']]);
  await h.advanceTo('2041-10-01T00:00:00.000Z');
  expect(brief(await h.charges(id))).toEqual([
    'recurring cabinet-full 1200.00 2041-08-01..2041-09-01',
    'proration_credit cabinet-full -580.65 2041-08-17..2041-09-01',
    'recurring cabinet-full 840.00 2041-09-10..2041-10-01',
    'recurring cabinet-full 1200.00 2041-10-01..2041-11-01',
  ]);
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.paused', 'subscription.resumed', 'subscription.renewed',
  ]);
}, 60_000);

it('cancels at period end: the period is billed, then nothing more', async () => {
  const id = await subscribe({ plan: 'cabinet-full', billing_anchor: 'anniversary' });
  await h.advanceTo('2041-10-10T00:00:00.000Z');
  const cancel = await ok('POST', `/v1/subscriptions/${id}/cancel`, { effective: 'period_end' });
  expect(cancel.subscription).toMatchObject({ status: 'active', cancel_at_period_end: true });
  expect((await h.req('GET', `/v1/subscriptions/${id}/state`)).body).toMatchObject({ cancel_at_period_end: true, next_renewal_at: null });
  await h.advanceTo('2041-11-01T00:00:00.000Z');
  await h.advanceTo('2041-12-01T00:00:00.000Z');
  expect(brief(await h.charges(id))).toEqual(['recurring cabinet-full 1200.00 2041-10-01..2041-11-01']);
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.cancellation_scheduled', 'subscription.period_closed', 'subscription.canceled',
  ]);
  expect((await h.req('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({ status: 'canceled', canceled_at: '2041-11-01T00:00:00.000Z', current_period: null });
}, 60_000);

it('waits for provisioning and bills from the reported activation time, three days after the order', async () => {
  await h.advanceTo('2041-12-01T12:00:00.000Z');
  const id = await subscribe({ plan: 'cabinet-full', requires_provisioning: true });
  expect((await h.req('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({ status: 'pending_provisioning', current_period: null });
  await h.advanceTo('2041-12-04T12:00:00.000Z');
  expect(await h.charges(id)).toEqual([]);
  const activated = await ok('POST', `/v1/subscriptions/${id}/activate`, { activated_at: '2041-12-04T09:30:00.000Z' });
  // Calendar billing on the 1st: the service went live on the 4th, so 28 of December's 31 days are billed now.
  expect(activated.subscription).toMatchObject({ status: 'active', activated_at: '2041-12-04T09:30:00.000Z' });
  expect(activated.charges.map((c) => [c.kind, c.amount])).toEqual([['recurring', '1083.87']]);
  await h.advanceTo('2042-01-01T00:00:00.000Z');
  expect(brief(await h.charges(id))).toEqual([
    'recurring cabinet-full 1083.87 2041-12-04..2042-01-01',
    'recurring cabinet-full 1200.00 2042-01-01..2042-02-01',
  ]);
  expect(await h.events(id)).toEqual(['subscription.created', 'subscription.activated', 'subscription.renewed']);
}, 60_000);

it('applies a change scheduled for a date at that date, prorated, and one that fell due while paused at the resume', async () => {
  const id = await subscribe({ plan: 'cabinet-half', billing_anchor: 'anniversary' });
  // Created 2042-01-01: January, 31 days. A quantity change dated 21 Jan (11 days left), then a plan change dated 5 Feb.
  const dated = await ok('POST', `/v1/subscriptions/${id}/change`, { quantity: '2', effective: '2042-01-21T00:00:00.000Z' });
  expect(dated.scheduled_change).toMatchObject({ effective: { type: 'at', at: '2042-01-21T00:00:00.000Z' } });
  await ok('POST', `/v1/subscriptions/${id}/change`, { plan: 'cabinet-full', quantity: '2', effective: '2042-02-05T00:00:00.000Z' });
  await h.advanceTo('2042-01-21T00:00:00.000Z');
  // 600 → 1200 a month for the last 11 of 31 days: credit −212.90 (600 × 11/31); the charge makes the net exactly the
  // rounded difference, 600 × 11/31 = 212.90, so it is 425.80 (1200 × 11/31 rounded alone would be 425.81).
  await h.advanceTo('2042-02-01T00:00:00.000Z');
  const paused = await ok('POST', `/v1/subscriptions/${id}/pause`);
  expect(paused.charges.map((c) => [c.kind, c.amount])).toEqual([['proration_credit', '-1200.00']]);
  await h.advanceTo('2042-02-15T00:00:00.000Z'); // the 5 Feb change fell due while paused
  const resumed = await ok('POST', `/v1/subscriptions/${id}/resume`);
  // Resumed on the new terms (cabinet-full × 2 = 2400 a month) for 14 of February's 28 days; nothing reaches back into the pause.
  expect(resumed.charges.map((c) => [c.kind, c.amount])).toEqual([['recurring', '1200.00']]);
  expect(resumed.subscription).toMatchObject({ plan: 'cabinet-full', quantity: '2', pending_changes: [] });
  expect(brief(await h.charges(id))).toEqual([
    'recurring cabinet-half 600.00 2042-01-01..2042-02-01',
    'proration_credit cabinet-half -212.90 2042-01-21..2042-02-01',
    'proration_charge cabinet-half 425.80 2042-01-21..2042-02-01',
    'recurring cabinet-half 1200.00 2042-02-01..2042-03-01',
    'proration_credit cabinet-half -1200.00 2042-02-01..2042-03-01',
    'recurring cabinet-full 1200.00 2042-02-15..2042-03-01',
  ]);
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.change_scheduled', 'subscription.change_scheduled',
    'subscription.changed', 'subscription.renewed', 'subscription.paused', 'subscription.resumed', 'subscription.changed',
  ]);
}, 60_000);
