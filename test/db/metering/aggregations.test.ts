import { randomUUID } from 'node:crypto';
import { inTenantTransaction } from '../../../db/tenant-transaction';
import type { MetricAggregation, MetricFilter } from '../../../domain/catalog/metric';
import { RackrateError } from '../../../lib/errors';
import { aggregateUsage, aggregateUsageForAccounts, aggregateUsageForSubscriptions, loadMetric } from '../../../services/metering/usage-aggregation';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTestTenant, type TestTenant } from '../../support/tenants';
import { expectedPeak, expectedSimple, expectedTimeWeighted, normalised, plain, type ExpectedSelection } from './expected-usage';
import { insertEvents, metric, seeded, type FixtureEvent } from './usage-fixtures';

/**
 * Every aggregation on real PostgreSQL against the same rules computed in
 * memory (expected-usage.ts) over seeded random events: filters, group-by,
 * subscription vs account attribution, [from, to) boundaries, the
 * time-weighted carry-in, peak windows, the latest tie-break, bulk forms
 * and tenant isolation.
 */
let db: TestDatabase;
let tenant: TestTenant;
let other: TestTenant;
const A1 = randomUUID();
const A2 = randomUUID();
const A3 = randomUUID(); // no usage at all
const S1 = randomUUID();
const S2 = randomUUID();
const FROM = new Date('2031-01-01T00:00:00Z');
const TO = new Date('2031-02-01T00:00:00Z');
const T0 = FROM.getTime() * 1000;
const T1 = TO.getTime() * 1000;
const DAY_US = 86_400_000_000;
const events: FixtureEvent[] = [];

function generate(): void {
  const rng = seeded(20310101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const decimal = () => (rng() * 1000).toFixed(Math.floor(rng() * 5));
  let n = 0;
  const add = (e: Omit<FixtureEvent, 'eventId'> & { eventId?: string }) => events.push({ eventId: `ev-${String(++n).padStart(5, '0')}`, ...e });
  for (const account of [A1, A2]) {
    for (let i = 0; i < 1200; i++) {
      // Three days either side of the period, to the microsecond.
      const atUs = T0 - 3 * DAY_US + Math.floor(rng() * (T1 - T0 + 6 * DAY_US));
      const properties: Record<string, unknown> = { user: `u${Math.floor(rng() * 40)}`, rack: 1 + Math.floor(rng() * 5) };
      const region = pick(['ams1', 'fra1', 'lon1', null]);
      if (region) properties.region = region;
      const tier = pick(['gold', 'silver', null]);
      if (tier) properties.meta = { tier };
      properties.bytes = pick([Math.floor(rng() * 1e6), Number((rng() * 100).toFixed(3)), '12.5', 'n/a']);
      add({ accountId: account, subscriptionId: account === A1 ? pick([S1, S2, null]) : null, code: 'api', atUs, value: rng() < 0.1 ? null : decimal(), properties });
    }
  }
  // On the boundaries: `from` counts, `to` does not.
  add({ accountId: A1, subscriptionId: S1, code: 'api', atUs: T0, value: '7', properties: { region: 'ams1', user: 'edge' } });
  add({ accountId: A1, subscriptionId: S1, code: 'api', atUs: T1, value: '999999', properties: { region: 'ams1', user: 'late' } });
  // The latest reading of the period, twice at the same microsecond: the greater id in byte order ("a" > "B") wins.
  add({ eventId: 'tie-B', accountId: A1, subscriptionId: S1, code: 'api', atUs: T1 - 1, value: '111', properties: { region: 'fra1' } });
  add({ eventId: 'tie-a', accountId: A1, subscriptionId: S1, code: 'api', atUs: T1 - 1, value: '222', properties: { region: 'fra1' } });

  // A gauge (storage GB) read at irregular times from 10 days before the period.
  for (const account of [A1, A2]) {
    for (let i = 0; i < 300; i++) {
      const atUs = T0 - 10 * DAY_US + Math.floor(rng() * (T1 - T0 + 12 * DAY_US));
      add({ accountId: account, subscriptionId: account === A1 ? pick([S1, S2]) : null, code: 'storage', atUs, value: decimal(), properties: { region: pick(['ams1', 'fra1']) } });
    }
  }
  add({ accountId: A1, subscriptionId: S1, code: 'storage', atUs: T0, value: '50', properties: { region: 'ams1' } });
  add({ eventId: 'zz-same-instant-1', accountId: A1, subscriptionId: S1, code: 'storage', atUs: T0 + 5 * DAY_US, value: '1', properties: { region: 'ams1' } });
  add({ eventId: 'zz-same-instant-2', accountId: A1, subscriptionId: S1, code: 'storage', atUs: T0 + 5 * DAY_US, value: '2', properties: { region: 'ams1' } });
  // Only a reading before the period: it holds for the whole period.
  add({ accountId: A1, subscriptionId: S2, code: 'storage', atUs: T0 - 40 * DAY_US, value: '3.25', properties: { region: 'lon1' } });

  // Power in kW, often several readings per 15-minute window.
  for (let i = 0; i < 2000; i++) {
    const atUs = T0 - DAY_US + Math.floor(rng() * (T1 - T0 + 2 * DAY_US));
    add({ accountId: A1, subscriptionId: pick([S1, S2]), code: 'power', atUs, value: (rng() * 20).toFixed(2), properties: { region: pick(['ams1', 'fra1']) } });
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTestTenant(db.dataSource, 'usage-agg');
  other = await createTestTenant(db.dataSource, 'usage-agg-other');
  generate();
  await insertEvents(db.dataSource, tenant.id, events);
  // Another tenant with the same account id and codes: never seen by the first.
  const foreign = events.filter((e) => e.accountId === A1).map((e) => ({ ...e, value: e.value === null ? null : '1000000' }));
  await insertEvents(db.dataSource, other.id, foreign);
});

afterAll(async () => {
  await db.drop();
});

const inTenant = <T>(work: Parameters<typeof inTenantTransaction<T>>[2], tenantId = tenant.id) => inTenantTransaction(db.dataSource, tenantId, work);

interface Selection {
  label: string;
  subscriptionId?: string;
  metricFilters?: MetricFilter[];
  filters?: MetricFilter[];
  groupBy?: string[];
  metricGroupBy?: string[];
}

const SELECTIONS: Selection[] = [
  { label: 'the whole account' },
  { label: 'one subscription', subscriptionId: S1 },
  {
    label: 'a metric filter (eq) and a request filter (not_in, nested)',
    metricFilters: [{ property: 'region', operator: 'eq', values: ['ams1'] }],
    filters: [{ property: 'meta.tier', operator: 'not_in', values: ['silver'] }],
  },
  { label: 'neq (an absent property passes)', filters: [{ property: 'region', operator: 'neq', values: ['fra1'] }] },
  { label: 'in, on a number property compared as text', filters: [{ property: 'rack', operator: 'in', values: ['2', '3'] }] },
  { label: 'group by a property and a nested one', groupBy: ['region', 'meta.tier'] },
  { label: "the metric's group_by, one subscription", metricGroupBy: ['region'], subscriptionId: S2 },
];

const SIMPLE: Array<[string, MetricAggregation]> = [
  ['count', { type: 'count' }],
  ['sum of value', { type: 'sum', property: 'value' }],
  ['sum of a property (JSON numbers and decimal strings)', { type: 'sum', property: 'bytes' }],
  ['max', { type: 'max', property: 'value' }],
  ['latest', { type: 'latest', property: 'value' }],
  ['unique_count of a property', { type: 'unique_count', property: 'user' }],
  ['unique_count of a nested property', { type: 'unique_count', property: 'meta.tier' }],
  ['unique_count of value (numbers, 1.50 = 1.5)', { type: 'unique_count', property: 'value' }],
];

function run(code: string, aggregation: MetricAggregation, s: Selection) {
  const m = metric(`m-${aggregation.type}`, code, aggregation, { filters: s.metricFilters ?? [], groupBy: s.metricGroupBy ?? [] });
  const groupBy = s.groupBy ?? m.groupBy;
  const expectedSel: ExpectedSelection = {
    accountId: A1,
    ...(s.subscriptionId ? { subscriptionId: s.subscriptionId } : {}),
    code,
    fromUs: T0,
    toUs: T1,
    filters: [...m.filters, ...(s.filters ?? [])],
    groupBy,
  };
  const actual = () => inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A1, subscriptionId: s.subscriptionId, metric: m, from: FROM, to: TO, filters: s.filters, groupBy: s.groupBy }));
  return { expectedSel, actual, groupBy };
}

describe.each(SIMPLE)('%s', (_name, aggregation) => {
  it.each(SELECTIONS.map((s) => [s.label, s] as const))('over %s', async (_label, s) => {
    const { expectedSel, actual, groupBy } = run('api', aggregation, s);
    const expected = normalised(expectedSimple(events, expectedSel, aggregation), groupBy);
    expect(expected.some((e) => e.events > 0)).toBe(true);
    expect(plain(await actual())).toEqual(expected);
  });
});

it.each(SELECTIONS.map((s) => [s.label, s] as const))('time_weighted (unit-hours, with carry-in) over %s', async (_label, s) => {
  const { expectedSel, actual, groupBy } = run('storage', { type: 'time_weighted', property: 'value', unit: 'hour' }, s);
  const expected = normalised(expectedTimeWeighted(events, expectedSel, 'value'), groupBy);
  expect(plain(await actual())).toEqual(expected);
});

it.each([
  ['15-minute windows', 15],
  ['7-minute windows (restarting at each UTC midnight)', 7],
  ['1-minute windows', 1],
])('peak over %s', async (_label, windowMinutes) => {
  for (const s of [SELECTIONS[0]!, SELECTIONS[1]!, { label: 'by region', groupBy: ['region'] }]) {
    const { expectedSel, actual, groupBy } = run('power', { type: 'peak', property: 'value', window_minutes: windowMinutes }, s);
    const expected = normalised(expectedPeak(events, expectedSel, 'value', windowMinutes), groupBy);
    expect(plain(await actual())).toEqual(expected);
  }
});

it('a selection boundary event: at `from` counted, at `to` not', async () => {
  const m = metric('edge', 'api', { type: 'unique_count', property: 'user' }, { filters: [{ property: 'user', operator: 'in', values: ['edge', 'late'] }] });
  const [total] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A1, metric: m, from: FROM, to: TO }));
  expect(plain([total!])).toEqual([{ group: {}, quantity: '1', events: 1 }]);
  // The same event in the next period.
  const [next] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A1, metric: m, from: TO, to: new Date('2031-03-01T00:00:00Z') }));
  expect(plain([next!])).toEqual([{ group: {}, quantity: '1', events: 1 }]);
});

it('latest breaks a tie at the same instant by the greatest event id in byte order', async () => {
  const m = metric('last', 'api', { type: 'latest', property: 'value' }, { filters: [{ property: 'region', operator: 'eq', values: ['fra1'] }] });
  const [latest] = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A1, subscriptionId: S1, metric: m, from: FROM, to: TO }));
  // "tie-a" (0x61) sorts after "tie-B" (0x42) in byte order; a locale collation would say the opposite.
  expect(latest!.quantity.toFixed()).toBe('222');
});

it('time_weighted: readings at the same instant hold by the greatest id, and a group with only a carry-in holds all period', async () => {
  const m = metric('gb', 'storage', { type: 'time_weighted', property: 'value', unit: 'hour' }, { groupBy: ['region'] });
  const result = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A1, subscriptionId: S2, metric: m, from: FROM, to: TO }));
  const lon = result.find((r) => r.group.region === 'lon1');
  expect(lon && { q: lon.quantity.toFixed(), events: lon.events }).toEqual({ q: (3.25 * 31 * 24).toString(), events: 0 });
  // Only the carried-in reading, over an empty period: nothing.
  const empty = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A1, subscriptionId: S2, metric: m, from: FROM, to: FROM }));
  expect(plain(empty).find((r) => r.group.region === 'lon1')).toEqual({ group: { region: 'lon1' }, quantity: '0', events: 0 });
});

it('no usage: one zero entry without group-by, no entries with it', async () => {
  for (const [name, aggregation] of [...SIMPLE, ['peak', { type: 'peak', property: 'value', window_minutes: 15 }] as const, ['tw', { type: 'time_weighted', property: 'value', unit: 'hour' }] as const]) {
    const m = metric(`none-${name}`, 'api', aggregation);
    const flat = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A3, metric: m, from: FROM, to: TO }));
    expect(plain(flat)).toEqual([{ group: {}, quantity: '0', events: 0 }]);
    const grouped = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A3, metric: m, from: FROM, to: TO, groupBy: ['region'] }));
    expect(grouped).toEqual([]);
  }
});

describe('bulk, one statement for many accounts or subscriptions', () => {
  const CASES: Array<[string, MetricAggregation, string]> = [
    ['sum', { type: 'sum', property: 'value' }, 'api'],
    ['latest', { type: 'latest', property: 'value' }, 'api'],
    ['time_weighted', { type: 'time_weighted', property: 'value', unit: 'hour' }, 'storage'],
    ['peak', { type: 'peak', property: 'value', window_minutes: 15 }, 'power'],
  ];
  it.each(CASES)('%s by account equals each account on its own', async (_name, aggregation, code) => {
    for (const groupBy of [[], ['region']]) {
      const m = metric('bulk', code, aggregation, { groupBy });
      const bulk = await inTenant((tx) => aggregateUsageForAccounts(tx, { tenantId: tenant.id, metric: m, from: FROM, to: TO, accountIds: [A1, A2, A3] }));
      expect([...bulk.keys()].sort()).toEqual([A1, A2, A3].sort());
      for (const account of [A1, A2, A3]) {
        const single = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: account, metric: m, from: FROM, to: TO }));
        expect(plain(bulk.get(account)!)).toEqual(plain(single));
      }
      // Without a list: the accounts with usage.
      const all = await inTenant((tx) => aggregateUsageForAccounts(tx, { tenantId: tenant.id, metric: m, from: FROM, to: TO }));
      const withUsage = [A1, A2].filter((a) => events.some((e) => e.accountId === a && e.code === code && e.atUs >= T0 && e.atUs < T1));
      expect([...all.keys()].sort()).toEqual(withUsage.sort());
    }
  });
  it.each(CASES)('%s by subscription equals each subscription on its own', async (_name, aggregation, code) => {
    const m = metric('bulk', code, aggregation, { groupBy: ['region'] });
    const bulk = await inTenant((tx) => aggregateUsageForSubscriptions(tx, { tenantId: tenant.id, metric: m, from: FROM, to: TO }));
    expect([...bulk.keys()].sort()).toEqual([S1, S2].sort());
    for (const sub of [S1, S2]) {
      const single = await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A1, subscriptionId: sub, metric: m, from: FROM, to: TO }));
      expect(plain(bulk.get(sub)!)).toEqual(plain(single));
    }
  });
});

describe('tenants', () => {
  it("another tenant's events under the same account id and code are invisible, even when asked for by tenant id", async () => {
    const m = metric('sum', 'api', { type: 'sum', property: 'value' });
    const expected = normalised(expectedSimple(events, { accountId: A1, code: 'api', fromUs: T0, toUs: T1, filters: [], groupBy: [] }, m.aggregation), []);
    expect(plain(await inTenant((tx) => aggregateUsage(tx, { tenantId: tenant.id, accountId: A1, metric: m, from: FROM, to: TO })))).toEqual(expected);
    // Bound to the first tenant but naming the other: row-level security still hides its rows.
    const spoofed = await inTenant((tx) => aggregateUsage(tx, { tenantId: other.id, accountId: A1, metric: m, from: FROM, to: TO }));
    expect(plain(spoofed)).toEqual([{ group: {}, quantity: '0', events: 0 }]);
    const theirs = await inTenant((tx) => aggregateUsage(tx, { tenantId: other.id, accountId: A1, metric: m, from: FROM, to: TO }), other.id);
    expect(theirs[0]!.quantity.toFixed()).toBe(String(1_000_000 * expected[0]!.events));
  });
});

describe('loadMetric', () => {
  it('reads a billable metric by code, and says not_found naming the code', async () => {
    await inTenant((tx) =>
      tx.query(
        `INSERT INTO billable_metrics (tenant_id, id, code, name, event_name, aggregation, filters, group_by, unit_label, status, created_at, updated_at, version)
         VALUES ($1, gen_random_uuid(), 'gb-hours', 'Storage', 'storage', $2, $3, ARRAY['region'], 'GB-h', 'archived', now(), now(), 1)`,
        [tenant.id, JSON.stringify({ type: 'time_weighted', property: 'value', unit: 'hour' }), JSON.stringify([{ property: 'region', operator: 'eq', values: ['ams1'] }])],
      ),
    );
    const loaded = await inTenant((tx) => loadMetric(tx, tenant.id, 'gb-hours'));
    expect(loaded).toMatchObject({
      code: 'gb-hours',
      eventName: 'storage',
      aggregation: { type: 'time_weighted', property: 'value', unit: 'hour' },
      filters: [{ property: 'region', operator: 'eq', values: ['ams1'] }],
      groupBy: ['region'],
      unitLabel: 'GB-h',
    });
    const missing = await inTenant((tx) => loadMetric(tx, tenant.id, 'nope')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RackrateError);
    expect(missing).toMatchObject({ code: 'not_found', message: expect.stringContaining('nope') });
    // The other tenant does not see it.
    await expect(inTenant((tx) => loadMetric(tx, other.id, 'gb-hours'), other.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
