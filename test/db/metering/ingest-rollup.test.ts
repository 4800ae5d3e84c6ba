import { inTenantTransaction } from '../../../db/tenant-transaction';
import { ensureUsagePartitions } from '../../../services/metering/event-partitions';
import { ingestEvents, type IngestOutcome } from '../../../services/metering/ingest';
import { expectCreated } from '../../support/catalog-fixtures';
import { useApiTest } from '../../support/http';

/**
 * Rate samples folded into usage_samples by the ingest transaction, checked
 * against sums and counts worked out here: live-feed batches (a slot or two
 * per port), catch-up batches (many slots of a port-day at once), both on
 * new and on existing day rows, and batches running concurrently.
 */
const ctx = useApiTest('ingest-rollup');
const DAY = 86_400_000;

beforeAll(async () => {
  const post = (path: string, body: unknown) => expectCreated(ctx.api.request('POST', path, { key: ctx.tenant.adminKey, body }));
  await post('/v1/billable_metrics', { code: 'transit-95', name: 'Transit 95th', event_name: 'interface.rate', aggregation: { type: 'percentile', property: 'bps', percentile: '95' } });
  await post('/v1/billable_metrics', { code: 'power-peak', name: 'Power 15-min', event_name: 'pdu.rate', aggregation: { type: 'percentile', property: 'kw', percentile: '100', window_minutes: 15 } });
  for (const customer of ['C-0', 'C-1']) await post('/v1/accounts', { name: customer, currency: 'USD', external_id: customer });
}, 60_000);

async function ingest(events: unknown[]): Promise<IngestOutcome> {
  const now = new Date();
  await ensureUsagePartitions(ctx.db.dataSource, now);
  return inTenantTransaction(ctx.db.dataSource, ctx.tenant.id, (tx) => ingestEvents(tx, { tenantId: ctx.tenant.id, now, events }));
}

interface Row {
  customer: string;
  port: string;
  code: string;
  day: string;
  slot_minutes: number;
  in_sum: number[];
  in_count: number[];
  out_sum: number[];
  out_count: number[];
}

async function stored(): Promise<Map<string, Row>> {
  const rows = await ctx.db.asSuperuser(async (c) =>
    (await c.query(
      `SELECT a.external_id AS customer, s.series->>'port' AS port, s.code, to_char(s.day, 'YYYY-MM-DD') AS day, s.slot_minutes,
              s.in_sum, s.in_count, s.out_sum, s.out_count
         FROM usage_samples s JOIN accounts a ON a.tenant_id = s.tenant_id AND a.id = s.account_id WHERE s.tenant_id = $1`,
      [ctx.tenant.id],
    )).rows as Row[],
  );
  return new Map(rows.map((r) => [`${r.customer} ${r.port} ${r.code} ${r.day}`, r]));
}

/** What the rows must hold: every accepted sample, added up by hand. */
class Expected {
  readonly rows = new Map<string, Row>();
  add(customer: string, port: string, code: string, slotMinutes: number, at: number, rates: { in?: number; out?: number }): void {
    const day = new Date(Math.floor(at / DAY) * DAY).toISOString().slice(0, 10);
    const key = `${customer} ${port} ${code} ${day}`;
    const n = 1440 / slotMinutes;
    const row = this.rows.get(key) ?? { customer, port, code, day, slot_minutes: slotMinutes, in_sum: Array(n).fill(0), in_count: Array(n).fill(0), out_sum: Array(n).fill(0), out_count: Array(n).fill(0) };
    const slot = Math.floor((at % DAY) / (slotMinutes * 60_000));
    if (rates.in !== undefined) { row.in_sum[slot] += rates.in; row.in_count[slot] += 1; }
    if (rates.out !== undefined) { row.out_sum[slot] += rates.out; row.out_count[slot] += 1; }
    this.rows.set(key, row);
  }
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it('live-feed and catch-up batches, on new and existing day rows, add up to every sample sent', async () => {
  const random = prng(7);
  const expected = new Expected();
  const base = Math.floor((Date.now() - 3 * DAY) / DAY) * DAY;
  let next = 0;
  const event = (customer: string, port: string, at: number, rates: { in?: number; out?: number }, code = 'interface.rate') => {
    expected.add(customer, port, code, code === 'pdu.rate' ? 15 : 5, at, rates);
    return { id: `roll-${next++}`, customer, code, timestamp: new Date(at).toISOString(), properties: { port, [code === 'pdu.rate' ? 'kw' : 'bps']: rates } };
  };
  const rate = () => Math.floor(random() * 1e10);
  for (let b = 0; b < 12; b++) {
    const events: unknown[] = [];
    // Live feed: a sample for each of 30 ports in the batch's 5 minutes (1-2 slots per row).
    for (let p = 0; p < 30; p++) events.push(event(`C-${p % 2}`, `p${p}`, base + b * 300_000 + Math.floor(random() * 400_000), { in: rate(), out: rate() }));
    // Catch-up: one port's earlier hours, many slots of one row at once; every other batch a day row that exists already.
    const catchUpDay = base + (b % 2) * DAY;
    for (let i = 0; i < 40; i++) events.push(event('C-1', `backfill-${b % 3}`, catchUpDay + Math.floor(random() * DAY), random() < 0.2 ? { out: rate() } : { in: rate(), out: rate() }));
    // A 15-minute metric on the same ports' power.
    for (let i = 0; i < 8; i++) events.push(event('C-0', `pdu-${i % 2}`, base + Math.floor(random() * 2 * DAY), { in: Math.floor(random() * 5000) }, 'pdu.rate'));
    const outcome = await ingest(events);
    expect(outcome.accepted).toBe(events.length);
  }
  const rows = await stored();
  expect(new Set(rows.keys())).toEqual(new Set(expected.rows.keys()));
  for (const [key, row] of expected.rows) expect({ key, ...rows.get(key) }).toEqual({ key, ...row });
});

it('concurrent batches folding samples into the same ports lose none of them', async () => {
  const midnight = Math.floor((Date.now() - DAY) / DAY) * DAY;
  const batchOf = (tag: string, rate: number, perSlot: number) =>
    Array.from({ length: 50 * 20 * perSlot }, (_, i) => ({
      id: `${tag}-${i}`,
      customer: 'C-0',
      code: 'interface.rate',
      // 50 ports × the first 20 slots, `perSlot` samples in each.
      timestamp: new Date(midnight + (i % (20 * perSlot)) * (300_000 / perSlot)).toISOString(),
      properties: { port: `c${Math.floor(i / (20 * perSlot))}`, bps: { in: rate, out: rate * 2 } },
    }));
  // Dense (catch-up) and sparse (one slot per port) batches at once, on rows none of them has yet.
  const sparse = (tag: string, slot: number, rate: number) =>
    Array.from({ length: 50 }, (_, p) => ({ id: `${tag}-${p}`, customer: 'C-0', code: 'interface.rate', timestamp: new Date(midnight + slot * 300_000).toISOString(), properties: { port: `c${p}`, bps: { in: rate, out: rate * 2 } } }));
  const outcomes = await Promise.all([ingest(batchOf('ca', 1000, 2)), ingest(sparse('cs1', 3, 7)), ingest(batchOf('cb', 3, 1)), ingest(sparse('cs2', 3, 11)), ingest(batchOf('cc', 20, 2))]);
  expect(outcomes.map((o) => o.rejected)).toEqual([0, 0, 0, 0, 0]);
  const rows = await ctx.db.asSuperuser(async (c) =>
    (await c.query(
      `SELECT series->>'port' AS port, in_sum[1:20] AS in_sum, in_count[1:20] AS in_count, out_sum[1:20] AS out_sum, out_count[21:288] AS rest
         FROM usage_samples WHERE tenant_id = $1 AND series->>'port' LIKE 'c%' ORDER BY 1`,
      [ctx.tenant.id],
    )).rows as Array<{ port: string; in_sum: number[]; in_count: number[]; out_sum: number[]; rest: number[] }>,
  );
  expect(rows).toHaveLength(50);
  const inSum = Array.from({ length: 20 }, (_, slot) => 2 * 1000 + 3 + 2 * 20 + (slot === 3 ? 7 + 11 : 0));
  const inCount = Array.from({ length: 20 }, (_, slot) => 2 + 1 + 2 + (slot === 3 ? 2 : 0));
  for (const row of rows) {
    expect({ port: row.port, in_sum: row.in_sum, in_count: row.in_count, out_sum: row.out_sum }).toEqual({ port: row.port, in_sum: inSum, in_count: inCount, out_sum: inSum.map((v) => 2 * v) });
    expect(row.rest).toEqual(new Array(268).fill(0));
  }
});
