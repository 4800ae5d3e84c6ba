import { randomUUID } from 'node:crypto';
import { inTenantTransaction } from '../../../db/tenant-transaction';
import { Decimal } from '../../../domain/money/decimal';
import type { RatingInput } from '../../../domain/pricing/inputs';
import { priceModelSchema, rate } from '../../../domain/pricing/price-model';
import { usageRatingInputs, type MetricDefinition } from '../../../services/metering/usage-aggregation';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTestTenant, type TestTenant } from '../../support/tenants';
import { insertEvents, metric, usOf, type FixtureEvent } from './usage-fixtures';

/**
 * What a usage charge is rated on, by the input kind of its price model,
 * read from fixture events of one subscription in January 2031.
 */
let db: TestDatabase;
let tenant: TestTenant;
const ACCOUNT = randomUUID();
const SUB = randomUUID();
const OTHER_SUB = randomUUID();
const FROM = new Date('2031-01-01T00:00:00Z');
const TO = new Date('2031-02-01T00:00:00Z');

let n = 0;
const ev = (code: string, at: string, value: string | null, properties: Record<string, unknown> = {}, subscriptionId: string | null = SUB): FixtureEvent => ({
  eventId: `r-${String(++n).padStart(4, '0')}`, accountId: ACCOUNT, subscriptionId, code, atUs: usOf(at), value, properties,
});

const EVENTS: FixtureEvent[] = [
  // Card payments: percentage fees per transaction.
  ev('payment', '2031-01-03T10:00:00Z', '120.50', { region: 'ams1' }),
  ev('payment', '2031-01-02T09:00:00Z', '80', { region: 'fra1' }),
  ev('payment', '2031-01-05T00:00:00Z', '19.99', { region: 'ams1' }),
  ev('payment', '2031-01-04T00:00:00Z', null, { region: 'ams1' }), // no value: not a transaction
  ev('payment', '2031-02-01T00:00:00Z', '1000', { region: 'ams1' }), // next period
  ev('payment', '2031-01-06T00:00:00Z', '5', { region: 'ams1' }, OTHER_SUB), // another subscription
  // Remote hands: minutes per session, flags in properties.
  ev('hands', '2031-01-07T14:00:00Z', '45', { expedited: true }),
  ev('hands', '2031-01-08T23:30:00Z', '30.2', { after_hours: false, expedited: 'yes' }),
  ev('hands', '2031-01-09T08:00:00Z', '90', { after_hours: true }),
  // Bare metal: seconds provisioned (sum), and a provisioned-state gauge (time-weighted).
  ev('runtime', '2031-01-10T00:00:00Z', '3600.25'),
  ev('runtime', '2031-01-11T00:00:00Z', '7200'),
  ev('up', '2030-12-31T12:00:00Z', '1'), // carried into the period
  ev('up', '2031-01-01T05:30:00.000001Z', '0'),
  ev('up', '2031-01-20T00:00:00Z', '1'),
  ev('up', '2031-01-20T01:00:00Z', '0'),
  // Power readings for time-of-use and peak.
  ev('kw', '2031-01-15T10:01:00Z', '4'),
  ev('kw', '2031-01-15T10:14:59Z', '6'),
  ev('kw', '2031-01-15T10:15:00Z', '9'),
  ev('kw', '2031-01-14T23:59:00Z', '2'),
];

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await createTestTenant(db.dataSource, 'usage-inputs');
  await insertEvents(db.dataSource, tenant.id, EVENTS);
});

afterAll(async () => {
  await db.drop();
});

async function inputs(m: MetricDefinition, model: Parameters<typeof usageRatingInputs>[2], extra: { groupBy?: string[] } = {}) {
  return inTenantTransaction(db.dataSource, tenant.id, (tx) =>
    usageRatingInputs(tx, { tenantId: tenant.id, accountId: ACCOUNT, subscriptionId: SUB, metric: m, from: FROM, to: TO, ...extra }, model, 'Europe/Amsterdam'),
  );
}

const sumOf = (code: string) => metric(`sum-${code}`, code, { type: 'sum', property: 'value' });
const plainInput = (input: RatingInput) => JSON.parse(JSON.stringify(input)) as unknown;

it('quantity models get the aggregate', async () => {
  const [only] = await inputs(sumOf('payment'), 'graduated');
  expect(only!.quantity.toFixed()).toBe('220.49');
  expect(plainInput(only!.input)).toEqual({ kind: 'quantity', quantity: '220.49' });
});

it('percentage gets each transaction of the subscription in the period, in time order, per group', async () => {
  const [only] = await inputs(sumOf('payment'), 'percentage');
  expect(plainInput(only!.input)).toEqual({ kind: 'transactions', amounts: ['80', '120.5', '19.99'] });
  const grouped = await inputs(sumOf('payment'), 'percentage', { groupBy: ['region'] });
  expect(grouped.map((g) => [g.group, plainInput(g.input)])).toEqual([
    [{ region: 'ams1' }, { kind: 'transactions', amounts: ['120.5', '19.99'] }],
    [{ region: 'fra1' }, { kind: 'transactions', amounts: ['80'] }],
  ]);
  const rating = rate(priceModelSchema.parse({ model: 'percentage', percent: '2', fixed_fee: '0.30' }), only!.input);
  expect(rating.amount.toFixed()).toBe(new Decimal('220.49').times('0.02').plus('0.90').toFixed());
});

it('time_of_use gets every reading with its instant and the customer time zone', async () => {
  const [only] = await inputs(sumOf('kw'), 'time_of_use');
  expect(plainInput(only!.input)).toEqual({
    kind: 'readings',
    timezone: 'Europe/Amsterdam',
    readings: [
      { at: '2031-01-14T23:59:00.000Z', quantity: '2' },
      { at: '2031-01-15T10:01:00.000Z', quantity: '4' },
      { at: '2031-01-15T10:14:59.000Z', quantity: '6' },
      { at: '2031-01-15T10:15:00.000Z', quantity: '9' },
    ],
  });
});

it('remote_hands gets one session per event: whole minutes (a started minute counts), expedited only when true, after-hours only when a boolean', async () => {
  const [only] = await inputs(sumOf('hands'), 'remote_hands');
  expect(plainInput(only!.input)).toEqual({
    kind: 'sessions',
    timezone: 'Europe/Amsterdam',
    prepaidHours: '0',
    sessions: [
      { startedAt: '2031-01-07T14:00:00.000Z', minutes: 45, expedited: true },
      { startedAt: '2031-01-08T23:30:00.000Z', minutes: 31, expedited: false, afterHours: false },
      { startedAt: '2031-01-09T08:00:00.000Z', minutes: 90, expedited: false, afterHours: true },
    ],
  });
});

it('hourly_capped gets whole seconds: a sum metric rounded up, a time-weighted one from its exact unit-seconds', async () => {
  const [summed] = await inputs(sumOf('runtime'), 'hourly_capped');
  expect(plainInput(summed!.input)).toEqual({ kind: 'runtime', seconds: 10801 });
  // Up from the carry-in to 05:30:00.000001 (19,800.000001 s, so 19,801), and one hour on the 20th.
  const [gauge] = await inputs(metric('up', 'up', { type: 'time_weighted', property: 'value', unit: 'hour' }), 'hourly_capped');
  expect(plainInput(gauge!.input)).toEqual({ kind: 'runtime', seconds: 19801 + 3600 });
  expect(gauge!.quantity.toFixed()).toBe(new Decimal('23400.000001').dividedBy(3600).toFixed());
});

it('peak gets the average of each 15-minute window with readings, in time order', async () => {
  const [only] = await inputs(metric('peak', 'kw', { type: 'peak', property: 'value', window_minutes: 15 }), 'peak');
  expect(plainInput(only!.input)).toEqual({ kind: 'series', values: ['2', '5', '9'] });
  expect(only!.quantity.toFixed()).toBe('9');
});

it('power_circuit is not rated on usage', async () => {
  await expect(inputs(sumOf('kw'), 'power_circuit')).rejects.toThrow(/circuits/);
});
