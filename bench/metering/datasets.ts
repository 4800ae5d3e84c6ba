import type { PoolClient } from 'pg';
import type { MeteringDatabase } from './database';
import { EVENT_MIX, METRICS } from './seed';

/**
 * The aggregation and percentile datasets, generated in PostgreSQL with
 * `INSERT … SELECT generate_series` over a superuser connection (row-level
 * security would otherwise check every row), in two slices in parallel (one
 * per core), into the real tables.
 *
 * Events: a month's partition is created by Rackrate's own function, then
 * detached, its indexes dropped, filled, indexed again with the parent's
 * index definitions and attached back: the same table, partition, policies
 * and indexes as ingestion leaves, built in about a third of the time that
 * inserting 10 million rows through a random-order btree takes (33-45 s
 * against 140 s measured on the 2-core machine). The rows are in time order
 * (as ingestion writes them), so one customer's events are spread over the
 * whole partition; the sorted index build is more compact than one grown by
 * inserts, which favours single-customer reads slightly.
 */
const SLICES = 2;

export interface Month {
  from: Date;
  to: Date;
}

const utcMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 1));

/** The aggregation's month: six months before `now` (whole, closed, outside the late-event window). */
export function aggregationMonth(now: Date): Month {
  const from = utcMonth(now.getUTCFullYear(), now.getUTCMonth() - 6);
  return { from, to: utcMonth(from.getUTCFullYear(), from.getUTCMonth() + 1) };
}

/** The percentile's month: the latest 30-day month that ended at least a month before `now` (8,640 five-minute slots). */
export function percentileMonth(now: Date): Month {
  for (let back = 2; ; back++) {
    const from = utcMonth(now.getUTCFullYear(), now.getUTCMonth() - back);
    const to = utcMonth(from.getUTCFullYear(), from.getUTCMonth() + 1);
    if (to.getTime() - from.getTime() === 30 * 86_400_000) return { from, to };
  }
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

async function inSlices(db: MeteringDatabase, total: number, work: (client: PoolClient, first: number, last: number) => Promise<unknown>): Promise<void> {
  const size = Math.ceil(total / SLICES);
  await Promise.all(
    Array.from({ length: SLICES }, async (_, i) => {
      const first = i * size;
      const last = Math.min(total, first + size) - 1;
      if (last < first) return;
      const client = await db.superuser.connect();
      try {
        await work(client, first, last);
      } finally {
        client.release();
      }
    }),
  );
}

/**
 * `events` events over the month for `accountIds`: customer by a hash of the row number (about
 * events / accounts each), codes by EVENT_MIX, values 0.001 … 100.000, a region property, one
 * event every month / events seconds. Returns the steps' seconds.
 */
export async function generateEventMonth(db: MeteringDatabase, input: { tenantId: string; accountIds: readonly string[]; events: number; month: Month }): Promise<Record<string, number>> {
  const { tenantId, accountIds, events, month } = input;
  const steps: Record<string, number> = {};
  const step = async (name: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    steps[name] = Number(((performance.now() - started) / 1000).toFixed(2));
  };
  const su = db.superuser;
  await su.query('SELECT rackrate_ensure_usage_partition($1::date)', [isoDate(month.from)]);
  const partition = `usage_events_y${month.from.getUTCFullYear()}m${String(month.from.getUTCMonth() + 1).padStart(2, '0')}`;
  const bound = (await su.query<{ bound: string }>(`SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE oid = $1::regclass`, [partition])).rows[0]!.bound;
  const parentIndexes = (await su.query<{ def: string }>(`SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'usage_events'::regclass`)).rows;
  await su.query(`ALTER TABLE usage_events DETACH PARTITION ${partition}`);
  for (const { name } of (await su.query<{ name: string }>(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = $1::regclass`, [partition])).rows) {
    await su.query(`DROP INDEX ${name}`);
  }

  // CASE over cumulative weights picks the code: weights out of their total, by a hash of the row number.
  const weightTotal = EVENT_MIX.reduce((sum, m) => sum + m.weight, 0);
  let cumulative = 0;
  const codeCase = `CASE ${EVENT_MIX.map((m) => `WHEN (g * 40503) % ${weightTotal} < ${(cumulative += m.weight)} THEN '${m.code}'`).join(' ')} END`;
  const secondsPerEvent = (month.to.getTime() - month.from.getTime()) / 1000 / events;
  await step('insert', () =>
    inSlices(db, events, (client, first, last) =>
      client.query(
        `INSERT INTO ${partition} (tenant_id, event_id, account_id, subscription_id, code, occurred_at, value, properties, received_at)
         SELECT $1::uuid, 'agg-' || g, ($2::uuid[])[1 + ((g * 2654435761) % 4294967296) % $3], NULL, ${codeCase},
                $4::timestamptz + make_interval(secs => g * $5::float8),
                (1 + (g * 48271) % 100000) * 0.001,
                CASE WHEN g % 3 = 0 THEN '{"region":"fra1"}'::jsonb ELSE '{"region":"ams1"}'::jsonb END,
                $4::timestamptz + make_interval(secs => g * $5::float8 + 30)
           FROM generate_series($6::bigint, $7::bigint) AS g`,
        [tenantId, accountIds, accountIds.length, month.from, secondsPerEvent, first, last],
      ),
    ),
  );
  await step('index', async () => {
    const client = await su.connect();
    try {
      await client.query(`SET maintenance_work_mem = '512MB'`);
      for (const { def } of parentIndexes) {
        const using = def.slice(def.indexOf(' USING '));
        await client.query(`CREATE INDEX ON ${partition}${using}`);
      }
    } finally {
      client.release();
    }
  });
  await step('attach', () => su.query(`ALTER TABLE usage_events ATTACH PARTITION ${partition} ${bound}`));
  // Hint bits and the visibility map set, statistics fresh: the state autovacuum leaves a closed month in.
  await step('vacuum_analyze', () => su.query(`VACUUM ANALYZE ${partition}`));
  return steps;
}

/** Ports per account in the percentile dataset (a customer's uplinks). */
export const PORTS_PER_ACCOUNT = 5;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * A 30-day month of 5-minute samples for `ports` ports in usage_samples (30 rows of 288 slots per
 * port, in and out): port p belongs to account p / PORTS_PER_ACCOUNT, series
 * {"port": "xe-0/0/<p % 5>", "region": "ams1"}, rates 50 … 450 Mbit/s in and 30 … 330 out, one
 * poll per slot; one port-day in 20 misses every 97th slot (count 0: an unknown slot).
 */
export async function generateSampleMonth(db: MeteringDatabase, input: { tenantId: string; accountIds: readonly string[]; ports: number; month: Month }): Promise<Record<string, number>> {
  const { tenantId, accountIds, ports, month } = input;
  const days = Math.round((month.to.getTime() - month.from.getTime()) / 86_400_000);
  const steps: Record<string, number> = {};
  let started = performance.now();
  // The order within a day's array needs no ORDER BY: both sides of the comparison read the same stored arrays.
  const slot = (expr: string) => `ARRAY(SELECT ${expr} FROM generate_series(0::bigint, 287) AS s)`;
  const gap = `((p + d) % 20 = 0 AND s % 97 = 0)`;
  const gapCounts = `{${Array.from({ length: 288 }, (_, s) => (s % 97 === 0 ? 0 : 1)).join(',')}}`;
  await inSlices(db, ports, (client, first, last) =>
    client.query(
      `INSERT INTO usage_samples (tenant_id, account_id, subscription_id, code, property, series, slot_minutes, day,
                                  in_sum, in_count, out_sum, out_count, updated_at)
       SELECT $1::uuid, ($2::uuid[])[1 + p / ${PORTS_PER_ACCOUNT}], '${NIL_UUID}', $3, $4,
              jsonb_build_object('port', 'xe-0/0/' || (p % ${PORTS_PER_ACCOUNT}), 'region', 'ams1'), 5, $5::date + d::int,
              ${slot(`CASE WHEN ${gap} THEN 0 ELSE (50000000 + (p * 7919 + d * 104729 + s * 15485863) % 400000000)::float8 END`)},
              CASE WHEN (p + d) % 20 = 0 THEN $9::int[] ELSE array_fill(1, ARRAY[288]) END,
              ${slot(`CASE WHEN ${gap} THEN 0 ELSE (30000000 + (p * 6007 + d * 99991 + s * 32452843) % 300000000)::float8 END`)},
              CASE WHEN (p + d) % 20 = 0 THEN $9::int[] ELSE array_fill(1, ARRAY[288]) END,
              now()
         FROM generate_series($6::bigint, $7::bigint) AS p, generate_series(0::bigint, $8::bigint - 1) AS d`,
      [tenantId, accountIds, METRICS.transit.eventName, METRICS.transit.property, isoDate(month.from), first, last, days, gapCounts],
    ),
  );
  steps.insert = Number(((performance.now() - started) / 1000).toFixed(2));
  started = performance.now();
  await db.superuser.query('VACUUM ANALYZE usage_samples');
  steps.vacuum_analyze = Number(((performance.now() - started) / 1000).toFixed(2));
  return steps;
}
