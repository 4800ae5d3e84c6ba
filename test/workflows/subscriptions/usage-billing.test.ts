import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness, type SubscriptionHarness } from '../../support/subscription-harness';

/**
 * Usage billed by the subscription workflow on the time-skipping server:
 * events sent through the ingest API are rated at each period close
 * (metered energy above an allowance, 95th-percentile transit), a late
 * event for a closed period becomes an adjustment at the next close and
 * only there, a replay of it changes nothing, and a cancel mid-period bills
 * the usage up to the cancel.
 */
const h = useSubscriptionHarness('sub-usage', { startAt: '2042-05-01T00:00:00.000Z' });

const MBPS = 1_000_000;

beforeAll(async () => {
  await seedSubscriptionCatalog(h);
  const post = async (path: string, body: unknown) => {
    const res = await h.req('POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
  };
  await post('/v1/products', { code: 'energy', name: 'Metered energy' });
  await post('/v1/products', { code: 'transit', name: 'IP transit' });
  await post('/v1/billable_metrics', { code: 'energy-kwh', name: 'Energy', event_name: 'energy', aggregation: { type: 'sum', property: 'value' }, unit_label: 'kWh' });
  await post('/v1/billable_metrics', {
    code: 'transit-95', name: 'Transit', event_name: 'port_sample', aggregation: { type: 'percentile', property: 'bps', percentile: '95' }, unit_label: 'bit/s',
  });
  await post('/v1/plans', {
    code: 'colo-metered', name: 'Colocation, metered', definition: {
      billing_interval: 'month', currencies: ['USD'],
      charges: [
        { key: 'rack', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'flat', amount: '1000.00' } } },
        { key: 'energy', product: 'energy', type: 'usage', metric: 'energy-kwh', included_quantity: '100', prices: { USD: { model: 'per_unit', unit_price: '0.20' } } },
        { key: 'transit', product: 'transit', type: 'usage', metric: 'transit-95', prices: { USD: { model: 'percentile', commit_mbps: '100', commit_price: '1.00', burst_price: '2.00' } } },
      ],
    },
  });
}, 60_000);

let seq = 0;
function energy(customer: string, at: string, kwh: string) {
  return { id: `energy-${++seq}`, customer, code: 'energy', timestamp: at, value: kwh };
}
function sample(customer: string, at: string, inMbps: number, outMbps: number) {
  return { id: `sample-${++seq}`, customer, code: 'port_sample', timestamp: at, properties: { port: 'xe-0/0/1', bps: { in: inMbps * MBPS, out: outMbps * MBPS } } };
}

async function send(harness: SubscriptionHarness, events: unknown[]): Promise<Array<{ status: string }>> {
  const res = await harness.req('POST', '/v1/events/batch', { events });
  if (res.status !== 200) throw new Error(`batch: ${res.status} ${res.text}`);
  return (res.body as { results: Array<{ status: string }> }).results;
}

function usageCharges(rows: Awaited<ReturnType<SubscriptionHarness['charges']>>) {
  return rows.filter((r) => r.kind.startsWith('usage')).map(({ kind, amount, start, end }) => ({ kind, amount, start, end }));
}

it('rates usage at each close, bills a late event once as an adjustment, and bills usage up to a cancel', async () => {
  const account = await createAccount(h, { external_id: 'cust-usage' });
  const created = await h.req('POST', '/v1/subscriptions', { account_id: account, plan: 'colo-metered', billing_anchor: 'calendar' });
  if (created.status !== 201) throw new Error(created.text);
  const id = (created.body as { id: string }).id;
  await h.settle();

  // May: 350 kWh (100 included → 250 × 0.20 = 50.00); 20 transit samples of 10..200 Mbps on the in side,
  // 5 Mbps out: nearest rank over 20 known slots takes index ceil(0.95 × 20) − 1 = 18, i.e. 190 Mbps,
  // 90 Mbps over the commit: 100 × 1.00 + 90 × 2.00 = 280.00.
  await h.advanceTo('2042-05-20T00:00:00.000Z');
  const may = [energy('cust-usage', '2042-05-02T10:00:00Z', '150'), energy('cust-usage', '2042-05-19T10:00:00Z', '200')];
  for (let k = 0; k < 20; k++) may.push(sample('cust-usage', new Date(Date.UTC(2042, 4, 10, 0, 5 * k)).toISOString(), 10 * (k + 1), 5) as never);
  expect((await send(h, may)).every((r) => r.status === 'accepted')).toBe(true);

  await h.advanceTo('2042-06-01T00:00:00.000Z');
  expect(usageCharges(await h.charges(id))).toEqual([
    { kind: 'usage', amount: '50.00', start: '2042-05-01T00:00:00.000Z', end: '2042-06-01T00:00:00.000Z' },
    { kind: 'usage', amount: '280.00', start: '2042-05-01T00:00:00.000Z', end: '2042-06-01T00:00:00.000Z' },
  ]);

  // June 3rd: a late May reading of 50 kWh, and one for June of 40 kWh.
  await h.advanceTo('2042-06-03T00:00:00.000Z');
  const late = energy('cust-usage', '2042-05-20T10:00:00Z', '50');
  expect(await send(h, [late, energy('cust-usage', '2042-06-02T10:00:00Z', '40')])).toMatchObject([{ status: 'accepted' }, { status: 'accepted' }]);

  await h.advanceTo('2042-07-01T00:00:00.000Z');
  const afterJune = usageCharges(await h.charges(id));
  // June: 40 kWh inside the allowance → 0.00; no transit samples in June → the commit alone, 100.00.
  expect(afterJune.filter((c) => c.kind === 'usage' && c.start === '2042-06-01T00:00:00.000Z').map((c) => c.amount)).toEqual(['0.00', '100.00']);
  expect(afterJune.filter((c) => c.kind === 'usage_adjustment')).toEqual([
    { kind: 'usage_adjustment', amount: '10.00', start: '2042-05-01T00:00:00.000Z', end: '2042-06-01T00:00:00.000Z' },
  ]);

  // The late event replayed: a duplicate; the next close finds May unchanged and records nothing for it.
  await h.advanceTo('2042-07-05T00:00:00.000Z');
  expect(await send(h, [late])).toMatchObject([{ status: 'duplicate' }]);
  await h.advanceTo('2042-08-01T00:00:00.000Z');
  expect(usageCharges(await h.charges(id)).filter((c) => c.kind === 'usage_adjustment')).toHaveLength(1);

  // Cancel on August 10th: usage of August 1st–10th is billed with the cancel.
  await h.advanceTo('2042-08-09T00:00:00.000Z');
  await send(h, [energy('cust-usage', '2042-08-08T00:00:00Z', '300')]);
  await h.advanceTo('2042-08-10T00:00:00.000Z');
  const canceled = await h.req('POST', `/v1/subscriptions/${id}/cancel`, { effective: 'now', proration: 'none' });
  expect(canceled.status).toBe(200);
  await h.settle();
  // August 1st to the cancel: 300 kWh → 200 × 0.20 = 40.00; no transit samples → the commit alone, 100.00.
  const august = usageCharges(await h.charges(id)).filter((c) => c.start === '2042-08-01T00:00:00.000Z');
  expect(august.map((c) => [c.kind, c.amount])).toEqual([['usage', '40.00'], ['usage', '100.00']]);
  // It ends at the cancel, a moment after 2042-08-10T00:00:00Z on the workflow clock.
  expect(august.every((c) => c.end > '2042-08-10T00:00:00.000Z' && c.end < '2042-08-10T00:01:00.000Z')).toBe(true);
  const commitOnly = (await h.charges(id)).find((c) => c.kind === 'usage' && c.start === '2042-08-01T00:00:00.000Z' && c.amount === '100.00');
  expect(commitOnly?.description).toMatch(/100 Mbps$/);
  const transitBreakdown = await h.db.asSuperuser(async (c) =>
    (await c.query(`SELECT result FROM usage_ratings WHERE subscription_id = $1 AND charge_key = 'transit' AND period_start = '2042-08-01T00:00:00Z'`, [id])).rows[0],
  );
  expect(transitBreakdown.result.groups).toEqual([{ group: {}, quantity: '100', amount: '100' }]);
}, 180_000);
