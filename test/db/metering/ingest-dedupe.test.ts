import { inTenantTransaction } from '../../../db/tenant-transaction';
import { Decimal } from '../../../domain/money/decimal';
import { ensureUsagePartitions } from '../../../services/metering/event-partitions';
import { ingestEvents, type IngestOutcome } from '../../../services/metering/ingest';
import { expectCreated } from '../../support/catalog-fixtures';
import { useApiTest } from '../../support/http';

/**
 * The ingest use case on real PostgreSQL at volume: ids are counted once
 * however often and however concurrently they are sent, and totals computed
 * here from the events sent match what is stored.
 */
const ctx = useApiTest('ingest-dedupe');
const CUSTOMERS = 200;

beforeAll(async () => {
  const post = (path: string, body: unknown) => expectCreated(ctx.api.request('POST', path, { key: ctx.tenant.adminKey, body }));
  await post('/v1/billable_metrics', { code: 'api-calls', name: 'API calls', event_name: 'api.call', aggregation: { type: 'count' } });
  await post('/v1/billable_metrics', { code: 'transit-gb', name: 'Transit', event_name: 'interface.bytes', aggregation: { type: 'sum', property: 'gb' } });
  await post('/v1/billable_metrics', { code: 'null-named', name: 'Named NULL', event_name: 'NULL', aggregation: { type: 'sum', property: 'value' } });
  for (let i = 0; i < CUSTOMERS; i++) await post('/v1/accounts', { name: `Customer ${i}`, currency: 'USD', external_id: `C-${i}` });
}, 120_000);

async function ingest(events: unknown[], now = new Date()): Promise<IngestOutcome> {
  await ensureUsagePartitions(ctx.db.dataSource, now);
  return inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => ingestEvents(tx, { tenantId: ctx.tenant.id, now, events }));
}

/** A small deterministic generator, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sent {
  id: string;
  customer: string;
  code: string;
  timestamp: string;
  properties?: { gb: string };
}

it('replaying 100,000 events twice leaves every count and sum unchanged', async () => {
  const random = prng(42);
  const now = Date.now();
  const batches: Sent[][] = [];
  let next = 0;
  for (let b = 0; b < 10; b++) {
    const batch: Sent[] = [];
    for (let i = 0; i < 10_000; i++) {
      // One in twenty is a copy of an earlier id (of this batch or an earlier one) with other contents.
      const copy = next > 0 && random() < 0.05;
      const id = copy ? `r-${Math.floor(random() * next)}` : `r-${next++}`;
      const customer = `C-${Math.floor(random() * CUSTOMERS)}`;
      const timestamp = new Date(now - Math.floor(random() * 30 * 86_400_000)).toISOString();
      if (random() < 0.5) batch.push({ id, customer, code: 'api.call', timestamp });
      else batch.push({ id, customer, code: 'interface.bytes', timestamp, properties: { gb: (random() * 1000).toFixed(3) } });
    }
    batches.push(batch);
  }

  // What must be stored: the first copy of each id, in sending order.
  const firstCopies = new Map<string, Sent>();
  for (const batch of batches) for (const e of batch) if (!firstCopies.has(e.id)) firstCopies.set(e.id, e);
  const expected = new Map<string, { n: number; gb: Decimal }>();
  for (const e of firstCopies.values()) {
    const key = `${e.customer} ${e.code}`;
    const total = expected.get(key) ?? { n: 0, gb: new Decimal(0) };
    total.n += 1;
    if (e.properties) total.gb = total.gb.plus(e.properties.gb);
    expected.set(key, total);
  }
  const totals = async () => {
    const rows = await ctx.db.asSuperuser(async (c) =>
      (await c.query(
        `SELECT a.external_id AS customer, e.code, count(*)::int AS n, coalesce(sum((e.properties->>'gb')::numeric), 0)::text AS gb
           FROM usage_events e JOIN accounts a ON a.tenant_id = e.tenant_id AND a.id = e.account_id
          WHERE e.tenant_id = $1 AND e.event_id LIKE 'r-%' GROUP BY 1, 2`,
        [ctx.tenant.id],
      )).rows as Array<{ customer: string; code: string; n: number; gb: string }>,
    );
    return new Map(rows.map((r) => [`${r.customer} ${r.code}`, { n: r.n, gb: new Decimal(r.gb).toFixed() }]));
  };
  const expectedTotals = new Map([...expected].map(([k, v]) => [k, { n: v.n, gb: v.gb.toFixed() }]));

  let accepted = 0;
  let duplicates = 0;
  for (const batch of batches) {
    const outcome = await ingest(batch);
    expect(outcome.rejected).toBe(0);
    accepted += outcome.accepted;
    duplicates += outcome.duplicates;
  }
  expect(accepted).toBe(firstCopies.size);
  expect(duplicates).toBe(100_000 - firstCopies.size);
  expect(await totals()).toEqual(expectedTotals);

  for (const batch of batches) {
    const outcome = await ingest(batch);
    expect([outcome.accepted, outcome.duplicates, outcome.rejected]).toEqual([0, 10_000, 0]);
  }
  expect(await totals()).toEqual(expectedTotals);
  const keys = await ctx.db.asSuperuser(async (c) => (await c.query(`SELECT count(*)::int AS n FROM usage_event_ids WHERE event_id LIKE 'r-%'`)).rows[0].n);
  expect(keys).toBe(firstCopies.size);
}, 180_000);

it('concurrent batches sharing ids (in opposite orders) store each once, without deadlock', async () => {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const events = Array.from({ length: 5_000 }, (_, i) => ({ id: `c-${i}`, customer: `C-${i % CUSTOMERS}`, code: 'api.call', timestamp: at }));
  const outcomes = await Promise.all([ingest(events), ingest([...events].reverse()), ingest(events.slice(2_000, 3_000))]);
  expect(outcomes.reduce((n, o) => n + o.accepted, 0)).toBe(5_000);
  expect(outcomes.reduce((n, o) => n + o.duplicates, 0)).toBe(6_000);
  const stored = await ctx.db.asSuperuser(async (c) => (await c.query(`SELECT count(*)::int AS n FROM usage_events WHERE event_id LIKE 'c-%'`)).rows[0].n);
  expect(stored).toBe(5_000);
});

it('stores ids, codes, values and properties exactly, whatever characters they hold', async () => {
  const at = new Date(Date.now() - 60_000).toISOString();
  const odd = [
    { id: 'quote " and backslash \\ and comma , and {braces}', code: 'NULL', value: '-12.5', properties: { text: 'say "hi" \\ {x}, y', 'key "q"': ['a', null], emoji: '😀' } },
    { id: 'NULL', code: 'api.call', properties: {} },
    { id: ' spaced ', code: 'NULL', value: 0.000001, properties: { nested: { deep: [1, 2.5, true] } } },
    { id: 'ünïcødé 😀', code: 'api.call' },
  ].map((e) => ({ customer: 'C-1', timestamp: at, ...e }));
  const outcome = await ingest(odd);
  expect(outcome.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
  const rows = await ctx.db.asSuperuser(async (c) =>
    (await c.query(`SELECT event_id, code, value::text AS value, properties FROM usage_events WHERE event_id = ANY($1) ORDER BY event_id`, [odd.map((e) => e.id)])).rows,
  );
  const expected = odd
    .map((e) => ({ event_id: e.id, code: e.code, value: e.value === undefined ? null : String(e.value === 0.000001 ? '0.000001' : e.value), properties: e.properties ?? {} }))
    .sort((a, b) => (a.event_id < b.event_id ? -1 : 1));
  expect(rows).toEqual(expected);
});
