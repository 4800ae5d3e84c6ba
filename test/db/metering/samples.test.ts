import { randomUUID } from 'node:crypto';
import { inTenantTransaction } from '../../../db/tenant-transaction';
import type { MetricFilter } from '../../../domain/catalog/metric';
import type { BandwidthInput } from '../../../domain/pricing/inputs';
import { priceModelSchema, rate } from '../../../domain/pricing/price-model';
import { aggregateUsage, aggregateUsageForAccounts, aggregateUsageForSubscriptions, readPortSamples, sampleSeries, usageRatingInputs } from '../../../services/metering/usage-aggregation';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTestTenant, type TestTenant } from '../../support/tenants';
import { insertSampleDays, metric, seeded, type FixtureSampleDay } from './usage-fixtures';

/**
 * The 95th percentile from the sample rollup, on the worked examples of
 * docs/pricing.md ("percentile"): which slots a period has, the rate of a
 * slot (sum ÷ count, half up), unknown slots, pools, attribution, filters
 * and group-by on the series, bulk reads and tenant isolation.
 */
let db: TestDatabase;
let tenant: TestTenant;
let other: TestTenant;
const MBPS = 1_000_000;
const P95 = metric('p95', 'bandwidth', { type: 'percentile', property: 'traffic', percentile: '95', window_minutes: 5 });

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTestTenant(db.dataSource, 'usage-samples');
  other = await createTestTenant(db.dataSource, 'usage-samples-other');
});

afterAll(async () => {
  await db.drop();
});

const inTenant = <T>(work: Parameters<typeof inTenantTransaction<T>>[2], tenantId = tenant.id) => inTenantTransaction(db.dataSource, tenantId, work);

interface PortFixture {
  accountId: string;
  subscriptionId?: string | null;
  series: Record<string, string>;
  /** First slot's instant; must be a slot edge. */
  start: Date;
  in: Array<number | null>;
  out: Array<number | null>;
  /** Filler for the rest of the first and last UTC day (outside the period): must never be read. */
  outside?: number;
}

/** One sample per known slot, laid out in UTC-day rows of 288 five-minute slots. */
function dayRows(p: PortFixture): FixtureSampleDay[] {
  const firstSlot = p.start.getTime() / 300_000;
  const firstDay = Math.floor(firstSlot / 288);
  const lastDay = Math.floor((firstSlot + p.in.length - 1) / 288);
  const rows: FixtureSampleDay[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const row: FixtureSampleDay = {
      accountId: p.accountId, subscriptionId: p.subscriptionId ?? null, code: 'bandwidth', property: 'traffic', slotMinutes: 5, series: p.series,
      day: new Date(day * 86_400_000).toISOString().slice(0, 10), inSum: [], inCount: [], outSum: [], outCount: [],
    };
    for (let s = 0; s < 288; s++) {
      const i = day * 288 + s - firstSlot;
      const inside = i >= 0 && i < p.in.length;
      const vin = inside ? p.in[i]! : (p.outside ?? null);
      const vout = inside ? p.out[i]! : (p.outside ?? null);
      row.inSum.push(vin ?? 0);
      row.inCount.push(vin === null ? 0 : 1);
      row.outSum.push(vout ?? 0);
      row.outCount.push(vout === null ? 0 : 1);
    }
    rows.push(row);
  }
  return rows;
}

function shuffle<T>(xs: T[], rng: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const APRIL = new Date('2031-04-01T00:00:00Z'); // 30 days: 8,640 slots
const MAY = new Date('2031-05-01T00:00:00Z'); // 31 days: 8,928 slots
const JUNE = new Date('2031-06-01T00:00:00Z');

function percentileConfig(extra: Record<string, unknown>) {
  return priceModelSchema.parse({ model: 'percentile', commit_mbps: '0', commit_price: '0', burst_price: '1', ...extra });
}

async function rated(accountId: string, from: Date, to: Date, config: Record<string, unknown>) {
  const [group] = await inTenant((tx) => usageRatingInputs(tx, { tenantId: tenant.id, accountId, metric: P95, from, to }, 'percentile', 'UTC'));
  return rate(percentileConfig(config), group!.input).details!;
}

describe('the worked example: a 1 Gbps port committed at 200 Mbps', () => {
  const account = randomUUID();
  beforeAll(async () => {
    const rates = shuffle([...Array<number>(8207).fill(100 * MBPS), 237.5 * MBPS, ...Array<number>(432).fill(900 * MBPS)], seeded(1));
    await insertSampleDays(db.dataSource, tenant.id, dayRows({ accountId: account, series: { port: 'xe-0/0/1' }, start: APRIL, in: rates, out: rates.map(() => 10 * MBPS), outside: 5000 * MBPS }));
  });

  it('the usage figure is 237.5 Mbps over 8,640 known slots (nearest rank, index 8207)', async () => {
    const [total] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: account, metric: P95, from: APRIL, to: MAY }));
    expect({ bits: total!.quantity.toFixed(), events: total!.events }).toEqual({ bits: '237500000', events: 8640 });
  });

  it('rated with the documented plan: 500.00 commit + 150.00 burst', async () => {
    const [group] = await inTenant((tx) => usageRatingInputs(tx, { tenantId: tenant.id, accountId: account, metric: P95, from: APRIL, to: MAY }, 'percentile', 'UTC'));
    const input = group!.input as BandwidthInput;
    expect(input.ports.map((p) => [p.portId, p.in.length, p.out.length])).toEqual([['xe-0/0/1', 8640, 8640]]);
    const rating = rate(
      priceModelSchema.parse({ model: 'percentile', commit_mbps: '200', commit_price: '2.50', burst_price: '4.00', port_speed_mbps: '1000', expected_slots: 8640 }),
      input,
    );
    expect(rating.amount.toFixed(2)).toBe('650.00');
    expect(rating.details).toMatchObject({ rank_index: 8207, slots_discarded: 432, samples_known: 8640, p95_mbps: '237.5', data_completeness_percent: '100' });
  });
});

describe("each method's index (samples 1 … n Mbps shuffled)", () => {
  const april = randomUUID();
  const may = randomUUID();
  beforeAll(async () => {
    for (const [account, start, n] of [[april, APRIL, 8640], [may, MAY, 8928]] as const) {
      const rates = shuffle(Array.from({ length: n }, (_, i) => (i + 1) * MBPS), seeded(n));
      await insertSampleDays(db.dataSource, tenant.id, dayRows({ accountId: account, series: { port: 'ae0' }, start, in: rates, out: rates.map(() => 0), outside: 1 }));
    }
  });

  it.each([
    ['nearest_rank', 8207, '8208', 8481, '8482'],
    ['rrdtool', 8207, '8208', 8481, '8482'],
    ['librenms_legacy', 8207, '8208', 8481, '8482'],
    ['librenms', 8206, '8207', 8480, '8481'],
    ['cacti', 8207, '8208', 8480, '8481'],
  ])('%s: index %d (%s Mbps) in 30 days, %d (%s Mbps) in 31', async (method, index30, mbps30, index31, mbps31) => {
    expect(await rated(april, APRIL, MAY, { method, direction: 'in' })).toMatchObject({ rank_index: index30, p95_mbps: mbps30, samples_ranked: 8640 });
    expect(await rated(may, MAY, JUNE, { method, direction: 'in' })).toMatchObject({ rank_index: index31, p95_mbps: mbps31, samples_ranked: 8928 });
  });

  it('the usage figure uses nearest rank: 8,208 Mbps and 8,482 Mbps', async () => {
    const [a] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: april, metric: P95, from: APRIL, to: MAY }));
    const [b] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: may, metric: P95, from: MAY, to: JUNE }));
    expect([a!.quantity.toFixed(), b!.quantity.toFixed()]).toEqual([String(8208 * MBPS), String(8482 * MBPS)]);
  });
});

describe('unknown slots (10 % gaps, known rates 1 … 7,776 Mbps)', () => {
  const account = randomUUID();
  beforeAll(async () => {
    const rates = shuffle([...Array.from({ length: 7776 }, (_, i) => (i + 1) * MBPS), ...Array<null>(864).fill(null)], seeded(7));
    await insertSampleDays(db.dataSource, tenant.id, dayRows({ accountId: account, series: { port: 'gap' }, start: APRIL, in: rates, out: rates.map((r) => (r === null ? null : 0)) }));
  });

  it('are dropped and counted: 7,388 Mbps over 7,776 known slots', async () => {
    const [total] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: account, metric: P95, from: APRIL, to: MAY }));
    expect({ bits: total!.quantity.toFixed(), events: total!.events }).toEqual({ bits: String(7388 * MBPS), events: 7776 });
  });

  it.each([
    ['nearest_rank', 'drop', '7388'],
    ['nearest_rank', 'zero', '7344'],
    ['rrdtool', undefined, '7344'],
    ['rrdtool_nan', undefined, '7387'],
  ])('reach the model as nulls: %s with %s bills %s Mbps, 90 %% complete', async (method, missing, mbps) => {
    const details = await rated(account, APRIL, MAY, { method, direction: 'in', expected_slots: 8640, ...(missing ? { missing_samples: missing } : {}) });
    expect(details).toMatchObject({ p95_mbps: mbps, samples_known: 7776, samples_unknown: 864, data_completeness_percent: '90' });
  });
});

describe('slots of a period', () => {
  it('two samples in one slot are averaged, half up to a whole bit/s', async () => {
    const account = randomUUID();
    const day = dayRows({ accountId: account, series: { port: 'avg' }, start: JUNE, in: Array<number>(288).fill(0), out: Array<number>(288).fill(0) })[0]!;
    const cases: Array<[number, number, number | null]> = [[2003, 2, 1002], [2002, 2, 1001], [10, 3, 3], [11, 3, 4], [5, 2, 3], [0, 0, null], [7, 1, 7]];
    cases.forEach(([sum, count], i) => {
      day.inSum[i] = sum;
      day.inCount[i] = count;
    });
    await insertSampleDays(db.dataSource, tenant.id, [day]);
    const [series] = await inTenant((tx) => sampleSeries(tx, { tenantId: tenant.id, accountId: account, metric: P95, from: JUNE, to: new Date(JUNE.getTime() + cases.length * 300_000) }));
    expect(series!.series.slots.map((s) => s.in)).toEqual(cases.map(([, , rate]) => rate));
    expect(series!.series.slots.map((s) => s.start.toISOString())).toEqual(cases.map((_, i) => new Date(JUNE.getTime() + i * 300_000).toISOString()));
  });

  it("only the slots starting in [from, to), from rows of several UTC days (a New York month, and a start between slot edges)", async () => {
    const account = randomUUID();
    const start = new Date('2031-03-31T00:00:00Z');
    const n = 288 * 33;
    await insertSampleDays(db.dataSource, tenant.id, dayRows({ accountId: account, series: { port: 'ny' }, start, in: Array.from({ length: n }, (_, i) => i), out: Array.from({ length: n }, (_, i) => 2 * i) }));
    const slotOf = (d: Date) => (d.getTime() - start.getTime()) / 300_000;
    for (const [from, to] of [
      [new Date('2031-04-01T04:00:00Z'), new Date('2031-05-01T04:00:00Z')],
      [new Date('2031-04-01T00:02:00Z'), new Date('2031-04-01T01:00:00Z')],
      [new Date('2031-04-30T23:50:00Z'), new Date('2031-05-01T00:07:30Z')],
    ] as const) {
      const [s] = await inTenant((tx) => sampleSeries(tx, { tenantId: tenant.id, accountId: account, metric: P95, from, to }));
      const first = Math.ceil(slotOf(from));
      const count = Math.ceil(slotOf(to)) - first;
      expect(s!.series.slots).toEqual(Array.from({ length: count }, (_, i) => ({ start: new Date(start.getTime() + (first + i) * 300_000), in: first + i, out: 2 * (first + i) })));
    }
  });
});

describe('pools, series, attribution', () => {
  const account = randomUUID();
  const S1 = randomUUID();
  // docs/pricing.md "Pools": three ports over 20 slots, direction in.
  const A = [500, 400, 100, 100, ...Array<number>(16).fill(100)];
  const B = [100, 100, 500, 400, ...Array<number>(16).fill(100)];
  const Cc = Array<number>(20).fill(50);
  const to = new Date(JUNE.getTime() + 20 * 300_000);
  beforeAll(async () => {
    const zero = Array<number>(20).fill(0);
    for (const [port, rates, region] of [['A', A, 'ams1'], ['B', B, 'ams1'], ['C', Cc, 'fra1']] as const) {
      await insertSampleDays(db.dataSource, tenant.id, dayRows({ accountId: account, subscriptionId: S1, series: { port, region }, start: JUNE, in: rates.map((r) => r * MBPS), out: zero, outside: 9000 * MBPS }));
    }
  });

  it('the pool of the documented example: 650 Mbps, not the 850 of the members', async () => {
    const details = await rated(account, JUNE, to, { direction: 'in' });
    expect(details).toMatchObject({ p95_mbps: '650', ports: 3, samples_ranked: 20 });
    const [total] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: account, metric: P95, from: JUNE, to }));
    expect(total!.quantity.toFixed()).toBe(String(650 * MBPS));
  });

  it('filters and group-by apply to the series properties', async () => {
    const ams: MetricFilter = { property: 'region', operator: 'eq', values: ['ams1'] };
    const [onlyAms] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: account, metric: P95, from: JUNE, to, filters: [ams] }));
    // A+B per slot: 600, 500, 600, 500, 200…; index 18 of 20 → 600.
    expect(onlyAms!.quantity.toFixed()).toBe(String(600 * MBPS));
    const byRegion = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: account, metric: P95, from: JUNE, to, groupBy: ['region'] }));
    expect(byRegion.map((g) => [g.group, g.quantity.toFixed(), g.events])).toEqual([
      [{ region: 'ams1' }, String(600 * MBPS), 20],
      [{ region: 'fra1' }, String(50 * MBPS), 20],
    ]);
    const series = await inTenant((tx) => sampleSeries(tx, { tenantId: tenant.id, accountId: account, metric: P95, from: JUNE, to, groupBy: ['region'] }));
    expect(series.map((g) => [g.group, g.series.ports, g.series.slots.slice(0, 4).map((s) => s.in! / MBPS)])).toEqual([
      [{ region: 'ams1' }, ['A', 'B'], [600, 500, 600, 500]],
      [{ region: 'fra1' }, ['C'], [50, 50, 50, 50]],
    ]);
  });

  // As test/unit/pricing/percentile.test.ts: A and B only (with C the remaining highest would be 650).
  it('a slot unknown for one member is unknown for the pool (dropped: 600 Mbps over 19 slots)', async () => {
    const gap = randomUUID();
    const zero = Array<number>(20).fill(0);
    for (const [port, rates] of [['A', [null, ...A.slice(1)]], ['B', B]] as const) {
      await insertSampleDays(db.dataSource, tenant.id, dayRows({ accountId: gap, series: { port }, start: JUNE, in: rates.map((r) => (r === null ? null : r * MBPS)), out: zero }));
    }
    expect(await rated(gap, JUNE, to, { direction: 'in' })).toMatchObject({ p95_mbps: '600', samples_known: 19 });
    const [series] = await inTenant((tx) => sampleSeries(tx, { tenantId: tenant.id, accountId: gap, metric: P95, from: JUNE, to }));
    expect(series!.series.slots.slice(0, 3).map((s) => s.in)).toEqual([null, 500 * MBPS, 600 * MBPS]);
  });

  it('for the account, one series under two subscriptions is one port (samples averaged); for a subscription only its own', async () => {
    const split = randomUUID();
    const S2 = randomUUID();
    const day = (subscriptionId: string | null, rate: number) => dayRows({ accountId: split, subscriptionId, series: { port: 'xe-1' }, start: JUNE, in: [rate], out: [0] });
    await insertSampleDays(db.dataSource, tenant.id, [...day(S2, 1000), ...day(null, 3001)]);
    const window = { from: JUNE, to: new Date(JUNE.getTime() + 300_000) };
    const [whole] = await inTenant((tx) => sampleSeries(tx, { tenantId: tenant.id, accountId: split, metric: P95, ...window }));
    expect(whole!.series).toMatchObject({ ports: ['xe-1'], slots: [{ in: 2001 }] });
    const [own] = await inTenant((tx) => sampleSeries(tx, { tenantId: tenant.id, accountId: split, subscriptionId: S2, metric: P95, ...window }));
    expect(own!.series.slots).toMatchObject([{ in: 1000 }]);
  });

  it('two series naming the same port stay two members, told apart by their series text', async () => {
    const twice = randomUUID();
    for (const series of [{ port: 'xe-9' }, { port: 'xe-9', vlan: '10' }] as Array<Record<string, string>>) {
      await insertSampleDays(db.dataSource, tenant.id, dayRows({ accountId: twice, series, start: JUNE, in: [5], out: [0] }));
    }
    const [group] = await inTenant((tx) => usageRatingInputs(tx, { tenantId: tenant.id, accountId: twice, metric: P95, from: JUNE, to: new Date(JUNE.getTime() + 300_000) }, 'percentile', 'UTC'));
    expect((group!.input as BandwidthInput).ports.map((p) => p.portId).sort()).toEqual(['{"port": "xe-9"}', '{"port": "xe-9", "vlan": "10"}'].sort());
  });
});

describe('bulk and tenants', () => {
  const accounts = [randomUUID(), randomUUID(), randomUUID()];
  const subs = [randomUUID(), randomUUID(), randomUUID()];
  beforeAll(async () => {
    const rng = seeded(99);
    // 3 accounts × 7 ports × 31 days = 651 rows: more than one FETCH of the cursor.
    for (const [a, account] of accounts.entries()) {
      for (let p = 0; p < 7; p++) {
        const rates = Array.from({ length: 8928 }, () => (rng() < 0.01 ? null : Math.floor(rng() * 1e9)));
        await insertSampleDays(db.dataSource, tenant.id, dayRows({ accountId: account, subscriptionId: subs[a]!, series: { port: `p${p}`, region: p % 2 ? 'ams1' : 'fra1' }, start: MAY, in: rates, out: rates.map((r) => (r === null ? null : Math.floor(r / 3))) }));
      }
    }
    await insertSampleDays(db.dataSource, other.id, dayRows({ accountId: accounts[0]!, series: { port: 'p0' }, start: MAY, in: [1e12], out: [1e12] }));
  });

  it('by account and by subscription equal each account on its own', async () => {
    for (const groupBy of [[], ['region']]) {
      const m = { ...P95, groupBy };
      const byAccount = await inTenant((tx) => aggregateUsageForAccounts(tx, { tenantId: tenant.id, metric: m, from: MAY, to: JUNE, accountIds: accounts }));
      const bySub = await inTenant((tx) => aggregateUsageForSubscriptions(tx, { tenantId: tenant.id, metric: m, from: MAY, to: JUNE, subscriptionIds: subs }));
      for (const [a, account] of accounts.entries()) {
        const single = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: account, metric: m, from: MAY, to: JUNE }));
        expect(single.length).toBe(groupBy.length === 0 ? 1 : 2);
        expect(single.every((g) => g.events > 8000 && g.quantity.greaterThan(0))).toBe(true);
        expect(byAccount.get(account)).toEqual(single);
        expect(bySub.get(subs[a]!)).toEqual(single);
      }
    }
  });

  it('streams every port once with all its slots', async () => {
    const seen: string[] = [];
    await inTenant(async (tx) => {
      for await (const port of readPortSamples(tx, { tenantId: tenant.id, metric: P95, from: MAY, to: JUNE, scope: { kind: 'accounts', accountIds: accounts }, filters: [], groupBy: [] })) {
        expect(port.samples.in.length).toBe(8928);
        seen.push(`${port.key}/${port.port}`);
      }
    });
    expect(seen.sort()).toEqual(accounts.flatMap((a) => Array.from({ length: 7 }, (_, p) => `${a}/p${p}`)).sort());
  });

  it("another tenant's samples for the same account are invisible", async () => {
    const [mine] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: accounts[0]!, metric: P95, from: MAY, to: JUNE }));
    // Seven ports below 1 Gbit/s each: the pool stays below 7 Gbit/s; the other tenant's one sample is 1 Tbit/s.
    expect(mine!.quantity.lessThan(7e9)).toBe(true);
    const spoofed = await inTenant((tx) => aggregateUsage(tx, { tenantId: other.id, accountId: accounts[0]!, metric: P95, from: MAY, to: JUNE }));
    expect(spoofed.map((g) => [g.quantity.toFixed(), g.events])).toEqual([['0', 0]]);
    const [theirs] = await inTenant((tx) => aggregateUsage(tx, { tenantId: other.id, accountId: accounts[0]!, metric: P95, from: MAY, to: JUNE }), other.id);
    expect([theirs!.quantity.toFixed(), theirs!.events]).toEqual(['1000000000000', 1]);
  });
});
