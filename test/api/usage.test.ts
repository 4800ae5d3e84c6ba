import { randomUUID } from 'node:crypto';
import { Decimal } from '../../domain/money/decimal';
import { fixedClock } from '../../lib/clock';
import { requester } from '../support/catalog-fixtures';
import { useApiTest } from '../support/http';
import { createAccount, insertEvents, insertSampleDay, insertSubscription, seedUsageCatalog, SLOTS_PER_DAY } from '../db/metering/thresholds-fixtures';

/**
 * The usage API on real PostgreSQL with the API's clock fixed at
 * 2026-11-20 12:00 UTC: totals, series, samples with the percentile line,
 * and the estimate of the current period, against values computed here.
 */
const NOW = new Date('2026-11-20T12:00:00Z');
const ctx = useApiTest('usage-api', { clock: fixedClock(NOW) });
const req = requester(ctx);
const NOVEMBER = { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' };
const BURST_PERIOD = { start: '2026-11-10T00:00:00.000Z', end: '2026-12-10T00:00:00.000Z' };
let accountId: string;
let meteredId: string;
let burstableId: string;

const transit = (subscriptionId: string | null, at: string, gb: number, port: string, region = 'ams1') => ({
  accountId, subscriptionId, code: 'interface.bytes', at, properties: { gb, port, region },
});

beforeAll(async () => {
  const key = ctx.tenant.adminKey;
  await seedUsageCatalog(ctx.api, key);
  // Tokyo: the account's November is [Oct 31 15:00Z, Nov 30 15:00Z).
  accountId = await createAccount(ctx.api, key, { timezone: 'Asia/Tokyo' });
  meteredId = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'metered', period: NOVEMBER });
  burstableId = await insertSubscription(ctx.db.dataSource, ctx.tenant.id, { accountId, plan: 'burstable', period: BURST_PERIOD });
  await insertEvents(ctx.db.dataSource, ctx.tenant.id, [
    transit(meteredId, '2026-11-02T10:00:00Z', 1200, 'xe-0/0/1'),
    transit(meteredId, '2026-11-02T10:30:00Z', 800, 'xe-0/0/2', 'fra1'),
    transit(meteredId, '2026-11-19T23:00:00Z', 1000.5, 'xe-0/0/1'),
    // Unattributed: the account's usage, no subscription's.
    transit(null, '2026-11-05T00:00:00Z', 40, 'xe-0/0/9'),
    // Tokyo's November but UTC's October, and the reverse.
    transit(null, '2026-10-31T16:00:00Z', 7, 'xe-0/0/9'),
    transit(null, '2026-11-30T16:00:00Z', 9, 'xe-0/0/9'),
  ]);
});

const groups = (res: { body: { groups: Array<{ group: unknown; quantity: string; events: number }> } }) => res.body.groups.map((g) => [g.group, g.quantity, g.events]);

describe('GET /v1/usage', () => {
  it("defaults to the subscription's current period", async () => {
    const res = await req('GET', `/v1/usage?subscription_id=${meteredId}&metric=transit-gb`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'usage', account_id: accountId, subscription_id: meteredId, metric: 'transit-gb', aggregation: 'sum', unit: 'GB',
      from: NOVEMBER.start, to: NOVEMBER.end, group_by: [],
    });
    expect(groups(res)).toEqual([[{}, '3000.5', 3]]);
  });

  it("defaults to the account's calendar month in its time zone, unattributed usage included", async () => {
    const res = await req('GET', `/v1/usage?account_id=${accountId}&metric=transit-gb`);
    expect(res.body).toMatchObject({ from: '2026-10-31T15:00:00.000Z', to: '2026-11-30T15:00:00.000Z' });
    expect(groups(res)).toEqual([[{}, String(1200 + 800 + 1000.5 + 40 + 7), 5]]);
  });

  it('groups and filters by event properties', async () => {
    const byPort = await req('GET', `/v1/usage?subscription_id=${meteredId}&metric=transit-gb&group_by=port`);
    expect(groups(byPort)).toEqual([[{ port: 'xe-0/0/1' }, '2200.5', 2], [{ port: 'xe-0/0/2' }, '800', 1]]);
    const one = await req('GET', `/v1/usage?subscription_id=${meteredId}&metric=transit-gb&filters=port:xe-0/0/1`);
    expect(groups(one)).toEqual([[{}, '2200.5', 2]]);
    const either = await req('GET', `/v1/usage?account_id=${accountId}&metric=transit-gb&filters=port:xe-0/0/2,port:xe-0/0/9,region:fra1&group_by=region,port`);
    expect(groups(either)).toEqual([[{ region: 'fra1', port: 'xe-0/0/2' }, '800', 1]]);
    const window = await req('GET', `/v1/usage?account_id=${accountId}&metric=transit-gb&from=2026-11-02T10:00:00Z&to=2026-11-02T10:30:00Z`);
    expect(groups(window)).toEqual([[{}, '1200', 1]]);
  });

  it('names every bad query field', async () => {
    const fields = async (query: string) => {
      const res = await req('GET', `/v1/usage?${query}`);
      expect(res.status).toBe(400);
      return (res.body.errors as Array<{ in: string; field: string; code: string }>).map((e) => `${e.in} ${e.field} ${e.code}`);
    };
    expect(await fields('')).toEqual(['query metric required', 'query account_id invalid']);
    expect(await fields(`account_id=${accountId}&metric=Transit&from=2026-11-01T00:00:00Z&group_by=a,,b&filters=port&colour=red`)).toEqual(
      expect.arrayContaining(['query metric invalid_format', 'query to invalid', 'query group_by invalid_format', 'query filters invalid_format', 'query colour unknown_field']),
    );
    expect(await fields(`account_id=${accountId}&metric=transit-gb&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z`)).toEqual(['query to invalid']);
    expect(await fields(`account_id=${randomUUID()}&metric=nope`)).toEqual(['query account_id unknown', 'query metric unknown']);
    const other = await createAccount(ctx.api, ctx.tenant.adminKey);
    expect(await fields(`account_id=${other}&subscription_id=${meteredId}&metric=transit-gb`)).toEqual(['query subscription_id not_of_account']);
  });
});

describe('GET /v1/usage/series', () => {
  it("buckets by day on the account's wall clock, every bucket listed", async () => {
    const res = await req('GET', `/v1/usage/series?subscription_id=${meteredId}&metric=transit-gb&from=2026-11-01T15:00:00Z&to=2026-11-04T15:00:00Z`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'usage_series', bucket: 'day', timezone: 'Asia/Tokyo', unit: 'GB' });
    expect(res.body.groups).toEqual([{
      group: {},
      buckets: [
        { start: '2026-11-01T15:00:00.000Z', end: '2026-11-02T15:00:00.000Z', quantity: '2000', events: 2 },
        { start: '2026-11-02T15:00:00.000Z', end: '2026-11-03T15:00:00.000Z', quantity: '0', events: 0 },
        { start: '2026-11-03T15:00:00.000Z', end: '2026-11-04T15:00:00.000Z', quantity: '0', events: 0 },
      ],
    }]);
  });

  it('buckets by hour in another time zone, by group', async () => {
    const res = await req('GET', `/v1/usage/series?subscription_id=${meteredId}&metric=transit-gb&bucket=hour&timezone=Asia/Kolkata&group_by=port&from=2026-11-02T09:30:00Z&to=2026-11-02T11:30:00Z`);
    expect(res.body.groups).toEqual([
      { group: { port: 'xe-0/0/1' }, buckets: [
        { start: '2026-11-02T09:30:00.000Z', end: '2026-11-02T10:30:00.000Z', quantity: '1200', events: 1 },
        { start: '2026-11-02T10:30:00.000Z', end: '2026-11-02T11:30:00.000Z', quantity: '0', events: 0 },
      ] },
      { group: { port: 'xe-0/0/2' }, buckets: [
        { start: '2026-11-02T09:30:00.000Z', end: '2026-11-02T10:30:00.000Z', quantity: '0', events: 0 },
        { start: '2026-11-02T10:30:00.000Z', end: '2026-11-02T11:30:00.000Z', quantity: '800', events: 1 },
      ] },
    ]);
  });

  it('refuses more buckets than one answer holds, saying what to do', async () => {
    const res = await req('GET', `/v1/usage/series?account_id=${accountId}&metric=transit-gb&bucket=hour&from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'query', field: 'to', code: 'range_too_large', message: expect.stringContaining('use bucket=day') })]);
    const badZone = await req('GET', `/v1/usage/series?account_id=${accountId}&metric=transit-gb&bucket=week&timezone=Mars/Olympus`);
    expect((badZone.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['bucket', 'timezone']);
  });
});

// Port xe-0/0/1 on Nov 10: inbound 0.25 … 72 Mbps, outbound twice that; the other ports: a flat 10 Mbps both ways.
const rising = Array.from({ length: SLOTS_PER_DAY }, (_, i) => (i + 1) * 250_000);
const flat = Array.from({ length: SLOTS_PER_DAY }, () => 10_000_000);

describe('GET /v1/usage/samples', () => {
  const day = (port: string, inRates: number[], outRates: number[]) => ({
    accountId, subscriptionId: burstableId, code: 'interface.rate', property: 'traffic', series: { port }, day: '2026-11-10', in: inRates, out: outRates,
  });
  const oneDay = 'from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z';

  beforeAll(async () => {
    await insertSampleDay(ctx.db.dataSource, ctx.tenant.id, day('xe-0/0/1', rising, rising.map((r) => r * 2)));
    await insertSampleDay(ctx.db.dataSource, ctx.tenant.id, day('xe-0/0/2', flat, flat));
  });

  it("pools the ports and draws the 95th by the subscription's charge convention", async () => {
    const res = await req('GET', `/v1/usage/samples?subscription_id=${burstableId}&metric=port-bps&${oneDay}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'usage_samples', slot_minutes: 5, percentile: '95', method: 'rrdtool', direction: 'in', missing_samples: 'zero', convention: 'charge' });
    const [pool] = res.body.groups;
    expect(pool.ports).toEqual(['xe-0/0/1', 'xe-0/0/2']);
    expect(pool.samples).toHaveLength(SLOTS_PER_DAY);
    expect(pool.samples[0]).toEqual({ start: '2026-11-10T00:00:00.000Z', in: 250_000 + 10_000_000, out: 500_000 + 10_000_000 });
    const pooledIn = rising.map((r) => r + 10_000_000).sort((a, b) => a - b);
    const pooledOut = rising.map((r) => 2 * r + 10_000_000).sort((a, b) => a - b);
    const rrd = (sorted: number[]) => sorted[Math.round(0.95 * (sorted.length - 1))];
    expect(pool.percentile_bps).toEqual({ in: rrd(pooledIn), out: rrd(pooledOut), billed: rrd(pooledIn) });
    expect({ known: pool.known_slots, expected: pool.expected_slots }).toEqual({ known: SLOTS_PER_DAY, expected: SLOTS_PER_DAY });
  });

  it('uses the default convention for an account, per port when grouped', async () => {
    const res = await req('GET', `/v1/usage/samples?account_id=${accountId}&metric=port-bps&group_by=port&${oneDay}`);
    expect(res.body).toMatchObject({ method: 'nearest_rank', direction: 'max_of_in_out', missing_samples: 'drop', convention: 'default' });
    const nearest = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(0.95 * values.length) - 1];
    expect(res.body.groups.map((g: { group: unknown; percentile_bps: unknown }) => [g.group, g.percentile_bps])).toEqual([
      [{ port: 'xe-0/0/1' }, { in: nearest(rising), out: nearest(rising.map((r) => r * 2)), billed: nearest(rising.map((r) => r * 2)) }],
      [{ port: 'xe-0/0/2' }, { in: 10_000_000, out: 10_000_000, billed: 10_000_000 }],
    ]);
  });

  it('counts unknown slots and refuses wide ranges, non-percentile metrics and oversized answers', async () => {
    // The subscription's period (30 days) by default: 8,640 slots, 288 known.
    const period = await req('GET', `/v1/usage/samples?subscription_id=${burstableId}&metric=port-bps&filters=port:xe-0/0/2`);
    expect(period.body.groups[0]).toMatchObject({ known_slots: SLOTS_PER_DAY, expected_slots: 30 * SLOTS_PER_DAY });
    expect(period.body.groups[0].samples[SLOTS_PER_DAY]).toEqual({ start: '2026-11-11T00:00:00.000Z', in: null, out: null });
    const wide = await req('GET', `/v1/usage/samples?account_id=${accountId}&metric=port-bps&from=2026-10-01T00:00:00Z&to=2026-11-15T00:00:00Z`);
    expect(wide.body.errors).toEqual([expect.objectContaining({ field: 'to', code: 'range_too_large' })]);
    const sum = await req('GET', `/v1/usage/samples?account_id=${accountId}&metric=transit-gb`);
    expect(sum.body.errors).toEqual([expect.objectContaining({ field: 'metric', code: 'not_percentile' })]);
    for (let p = 3; p <= 12; p++) await insertSampleDay(ctx.db.dataSource, ctx.tenant.id, day(`xe-0/0/${p}`, flat, flat));
    const many = await req('GET', `/v1/usage/samples?account_id=${accountId}&metric=port-bps&group_by=port&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z`);
    expect(many.status).toBe(422);
    expect(many.body.code).toBe('usage_result_too_large');
  });
});

describe('usage estimates', () => {
  beforeAll(async () => {
    const charge = (subscriptionId: string, kind: string, amount: string, start: string, end = start) => [
      ctx.tenant.id, randomUUID(), `${subscriptionId}/${kind}/${start}`, subscriptionId, accountId, accountId, 'USD', kind, `${kind} line`, start, end, amount,
    ];
    await ctx.db.asSuperuser(async (c) => {
      for (const row of [
        charge(meteredId, 'recurring', '1200.00', NOVEMBER.start, NOVEMBER.end),
        charge(meteredId, 'one_time', '500.00', '2026-11-03T00:00:00Z'),
        charge(meteredId, 'discount', '-120.00', NOVEMBER.start, NOVEMBER.end),
        // October's fee and last period's usage belong to other invoices.
        charge(meteredId, 'recurring', '1200.00', '2026-10-01T00:00:00Z', NOVEMBER.start),
        charge(meteredId, 'usage', '33.00', '2026-10-01T00:00:00Z', NOVEMBER.start),
      ]) {
        await c.query(
          `INSERT INTO subscription_charges (tenant_id, id, line_key, subscription_id, account_id, billing_account_id, currency, kind, description,
             period_start, period_end, quantity, amount, revision, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, 1, now())`,
          row,
        );
      }
    });
  });

  it("a subscription's: recorded fixed charges plus usage rated to now", async () => {
    const res = await req('GET', `/v1/subscriptions/${meteredId}/usage/estimate`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'usage_estimate', account_id: accountId, subscription_id: meteredId, as_of: NOW.toISOString() });
    expect(res.body.subscriptions).toEqual([{ id: meteredId, currency: 'USD', period: NOVEMBER }]);
    // 3,000.5 GB by now, 1,000 included, 0.05 per GB: 100.025 → 100.03.
    expect(res.body.lines.map((l: { kind: string; amount: string }) => [l.kind, l.amount])).toEqual([
      ['recurring', '1200.00'], ['one_time', '500.00'], ['discount', '-120.00'], ['usage', '100.03'],
    ]);
    expect(res.body.lines[3]).toMatchObject({ metric: 'transit-gb', quantity: '3000.5', item_code: 'metered', charge_key: 'transit', period: { start: NOVEMBER.start, end: NOW.toISOString() } });
    expect(res.body.totals).toEqual([{ currency: 'USD', amount: '1680.03' }]);
  });

  it("an account's: every subscription it pays for, each line naming its subscription", async () => {
    const res = await req('GET', `/v1/accounts/${accountId}/usage/estimate`);
    expect(res.status).toBe(200);
    const ids = [meteredId, burstableId].sort();
    expect(res.body.subscriptions.map((s: { id: string }) => s.id)).toEqual(ids);
    const burst = res.body.lines.filter((l: { subscription_id: string }) => l.subscription_id === burstableId);
    // The pool by now: the rising port and 11 flat 10 Mbps ports on Nov 10, nothing since. rrdtool counts the
    // unknown slots of Nov 10 00:00 to now (10.5 days, 3,024 slots) as zero and takes index round(0.95 × 3,023).
    const slots = 10.5 * SLOTS_PER_DAY;
    const pooled = [...rising.map((r) => r + 11 * 10_000_000), ...Array.from({ length: slots - SLOTS_PER_DAY }, () => 0)].sort((a, b) => a - b);
    const billedMbps = new Decimal(pooled[Math.round(0.95 * (slots - 1))]!).dividedBy(1_000_000);
    expect(billedMbps.toFixed()).toBe('144.25');
    const amount = new Decimal('200.00').plus(billedMbps.minus(100).times('3.00'));
    expect(burst.map((l: { kind: string; amount: string; metric: string }) => [l.kind, l.metric, l.amount])).toEqual([['usage', 'port-bps', amount.toFixed(2)]]);
    expect(res.body.lines).toHaveLength(5);
    expect(res.body.totals).toEqual([{ currency: 'USD', amount: amount.plus('1680.03').toFixed(2) }]);
    const missing = await req('GET', `/v1/accounts/${randomUUID()}/usage/estimate`);
    expect(missing.status).toBe(404);
  });
});
