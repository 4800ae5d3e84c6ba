import { randomUUID } from 'node:crypto';
import { inTenantTransaction } from '../../../db/tenant-transaction';
import type { MetricAggregation } from '../../../domain/catalog/metric';
import { aggregateUsage, usageSeries } from '../../../services/metering/usage-aggregation';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTestTenant, type TestTenant } from '../../support/tenants';
import { expectedPeak, expectedSimple, expectedTimeWeighted, normalised, plain, type Expected } from './expected-usage';
import { insertEvents, insertSampleDays, metric, seeded, usOf, type FixtureEvent, type FixtureSampleDay } from './usage-fixtures';

/**
 * Hourly and daily buckets on a New York wall clock across both 2031 DST
 * changes (9 March: 02:00 EST → 03:00 EDT; 2 November: 02:00 EDT → 01:00
 * EST). The edges are written out here by hand; each bucket must equal the
 * aggregation of its own range, computed independently.
 */
let db: TestDatabase;
let tenant: TestTenant;
const ACCOUNT = randomUUID();
const ZONE = 'America/New_York';
const events: FixtureEvent[] = [];

// Local midnights of 8–11 March: a 24 h, a 23 h and a 24 h day.
const MARCH_DAYS = ['2031-03-08T05:00:00Z', '2031-03-09T05:00:00Z', '2031-03-10T04:00:00Z', '2031-03-11T04:00:00Z'];
// 2 November local, by the hour: 00:00 EDT, 01:00 EDT, 01:00 EST (again), 02:00 EST … 23:00 EST, then midnight: 25 buckets.
const NOVEMBER_HOURS = Array.from({ length: 26 }, (_, i) => new Date(Date.parse('2031-11-02T04:00:00Z') + i * 3_600_000).toISOString().replace('.000', ''));

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTestTenant(db.dataSource, 'usage-series');
  const rng = seeded(3110);
  let n = 0;
  const add = (atUs: number, value: string, region: string) =>
    events.push({ eventId: `s-${String(++n).padStart(5, '0')}`, accountId: ACCOUNT, subscriptionId: null, code: 'kw', atUs, value, properties: { region, user: `u${n % 7}` } });
  for (const edges of [MARCH_DAYS, NOVEMBER_HOURS]) {
    const first = usOf(edges[0]!);
    const last = usOf(edges.at(-1)!);
    // Random readings from a day before to a day after, and one exactly on and one just before each edge.
    for (let i = 0; i < 600; i++) add(first - 86_400_000_000 + Math.floor(rng() * (last - first + 2 * 86_400_000_000)), (rng() * 50).toFixed(3), rng() < 0.5 ? 'ams1' : 'fra1');
    for (const edge of edges) {
      add(usOf(edge), '40.5', 'ams1');
      add(usOf(edge) - 1, '0.25', 'fra1');
    }
  }
  await insertEvents(db.dataSource, tenant.id, events);
});

afterAll(async () => {
  await db.drop();
});

const inTenant = <T>(work: Parameters<typeof inTenantTransaction<T>>[2]) => inTenantTransaction(db.dataSource, tenant.id, work);

const AGGREGATIONS: Array<[string, MetricAggregation]> = [
  ['count', { type: 'count' }],
  ['sum', { type: 'sum', property: 'value' }],
  ['max', { type: 'max', property: 'value' }],
  ['latest', { type: 'latest', property: 'value' }],
  ['unique_count', { type: 'unique_count', property: 'user' }],
  ['time_weighted', { type: 'time_weighted', property: 'value', unit: 'hour' }],
  ['peak', { type: 'peak', property: 'value', window_minutes: 15 }],
];

function expectedFor(aggregation: MetricAggregation, fromUs: number, toUs: number, groupBy: string[]): Expected[] {
  const sel = { accountId: ACCOUNT, code: 'kw', fromUs, toUs, filters: [], groupBy };
  if (aggregation.type === 'time_weighted') return expectedTimeWeighted(events, sel, 'value');
  if (aggregation.type === 'peak') return expectedPeak(events, sel, 'value', aggregation.window_minutes);
  return expectedSimple(events, sel, aggregation);
}

describe.each([
  ['day', 'across the spring-forward day', MARCH_DAYS],
  ['hour', 'across the fall-back night', NOVEMBER_HOURS],
] as const)('%s buckets %s', (size, _label, edges) => {
  const from = new Date(edges[0]!);
  const to = new Date(edges.at(-1)!);

  it('start and end at the local wall-clock edges', async () => {
    const [series] = await inTenant((tx) => usageSeries(tx, { tenantId: tenant.id, accountId: ACCOUNT, metric: metric('c', 'kw', { type: 'count' }), from, to }, size, ZONE));
    expect(series!.buckets.map((b) => b.start.toISOString().replace('.000', ''))).toEqual(edges.slice(0, -1));
    expect(series!.buckets.map((b) => b.end.toISOString().replace('.000', ''))).toEqual(edges.slice(1));
  });

  it.each(AGGREGATIONS)('%s: each bucket is the aggregation of its own range, per group', async (_name, aggregation) => {
    for (const groupBy of [[], ['region']]) {
      const m = metric('m', 'kw', aggregation, { groupBy });
      const series = await inTenant((tx) => usageSeries(tx, { tenantId: tenant.id, accountId: ACCOUNT, metric: m, from, to }, size, ZONE));
      // Expected: per bucket, per group, from the in-memory rules; then pivoted into the series shape.
      const groups = new Map<string, { group: Record<string, string | null>; buckets: Array<{ quantity: string; events: number }> }>();
      edges.slice(0, -1).forEach((edge, i) => {
        for (const e of normalised(expectedFor(aggregation, usOf(edge), usOf(edges[i + 1]!), groupBy), groupBy)) {
          const id = JSON.stringify(e.group);
          if (!groups.has(id)) groups.set(id, { group: e.group, buckets: edges.slice(0, -1).map(() => ({ quantity: '0', events: 0 })) });
          groups.get(id)!.buckets[i] = { quantity: e.quantity, events: e.events };
        }
      });
      const expected = [...groups.values()].sort((a, b) => String(a.group.region).localeCompare(String(b.group.region)));
      expect(series.map((s) => ({ group: s.group, buckets: s.buckets.map((b) => ({ quantity: b.quantity.toFixed(), events: b.events })) }))).toEqual(expected);
      expect(expected.flatMap((g) => g.buckets).filter((b) => b.events > 0).length).toBeGreaterThan(edges.length / 2);
    }
  });
});

it('sum and count buckets add up to the period total; an account without usage has one group of empty buckets', async () => {
  const from = new Date(NOVEMBER_HOURS[0]!);
  const to = new Date(NOVEMBER_HOURS.at(-1)!);
  const m = metric('sum', 'kw', { type: 'sum', property: 'value' });
  const [series] = await inTenant((tx) => usageSeries(tx, { tenantId: tenant.id, accountId: ACCOUNT, metric: m, from, to }, 'hour', ZONE));
  const [total] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: ACCOUNT, metric: m, from, to }));
  expect(series!.buckets.reduce((s, b) => s.plus(b.quantity), total!.quantity.minus(total!.quantity)).toFixed()).toBe(total!.quantity.toFixed());
  expect(series!.buckets.reduce((s, b) => s + b.events, 0)).toBe(total!.events);
  const none = await inTenant((tx) => usageSeries(tx, { tenantId: tenant.id, accountId: randomUUID(), metric: m, from, to }, 'hour', ZONE));
  expect(plain(none[0]!.buckets.map((b) => ({ group: {}, quantity: b.quantity, events: b.events })))).toEqual(Array.from({ length: 25 }, () => ({ group: {}, quantity: '0', events: 0 })));
  expect(none).toHaveLength(1);
});

it('percentile buckets: each day is the percentile of its own slots', async () => {
  const account = randomUUID();
  const rng = seeded(5);
  const rows: FixtureSampleDay[] = [];
  // UTC days 7–11 March cover the New York days 8–10.
  for (let d = 7; d <= 11; d++) {
    const rates = Array.from({ length: 288 }, () => (rng() < 0.05 ? null : Math.floor(rng() * 1e9)));
    rows.push({ accountId: account, subscriptionId: null, code: 'bw', property: 'traffic', slotMinutes: 5, series: { port: 'ae1' }, day: `2031-03-${String(d).padStart(2, '0')}`, inSum: rates.map((r) => r ?? 0), inCount: rates.map((r) => (r === null ? 0 : 1)), outSum: rates.map(() => 7), outCount: rates.map(() => 1) });
  }
  await insertSampleDays(db.dataSource, tenant.id, rows);
  const m = metric('p95', 'bw', { type: 'percentile', property: 'traffic', percentile: '95', window_minutes: 5 });
  const [series] = await inTenant((tx) => usageSeries(tx, { tenantId: tenant.id, accountId: account, metric: m, from: new Date(MARCH_DAYS[0]!), to: new Date(MARCH_DAYS.at(-1)!) }, 'day', ZONE));
  for (const bucket of series!.buckets) {
    const [own] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: account, metric: m, from: bucket.start, to: bucket.end }));
    expect({ q: bucket.quantity.toFixed(), events: bucket.events }).toEqual({ q: own!.quantity.toFixed(), events: own!.events });
  }
  // The short day has 276 slots, some unknown.
  expect(series!.buckets.map((b) => b.events).every((n, i) => n > 200 && n <= (i === 1 ? 276 : 288))).toBe(true);
});
