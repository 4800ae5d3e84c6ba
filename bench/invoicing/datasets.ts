import type { PoolClient } from 'pg';
import type { MeteringDatabase } from '../metering/database';
import { USAGE, type Month } from './seed';

/**
 * The billed month's usage, generated in PostgreSQL over a superuser
 * connection (row-level security would check every row) in two slices in
 * parallel, like bench/metering/datasets.ts, except that every event and
 * sample is attributed to a subscription (the bill run rates per
 * subscription) and several tenants can share one call (the kill test bills
 * a tenant per run).
 *
 * Events: with `rebuildIndex`, the month's partition (made by Rackrate's
 * own function) is detached, its index dropped, filled, indexed again with
 * the parent's definition, attached back and VACUUM ANALYZEd: the table and
 * index ingestion leaves, in a third of the time. Rows are in time order,
 * the subscription and the code picked by two hashes of the row number: 50 % api.call,
 * 20 % storage.gb, 15 % power.kw, 15 % ip.seen (up to 64 distinct addresses
 * per subscription); received 30 s after they occurred. usage_event_ids
 * (ingest's duplicate check) is not filled: nothing in a bill run reads it.
 *
 * Samples: one port per subscription, a row of 288 five-minute slots per
 * day, rates 50 … 450 Mbit/s in and 30 … 330 out (so most ports burst over
 * the 100 Mbit/s commit), one poll per slot, stored the day after.
 */
const SLICES = 2;

export interface UsageOwner {
  tenantId: string;
  accountId: string;
  subscriptionId: string;
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

function timer(steps: Record<string, number>) {
  return async (name: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    steps[name] = Number(((performance.now() - started) / 1000).toFixed(2));
  };
}

export async function generateEvents(db: MeteringDatabase, input: { owners: readonly UsageOwner[]; events: number; month: Month; rebuildIndex: boolean }): Promise<Record<string, number>> {
  const { owners, events, month } = input;
  const steps: Record<string, number> = {};
  const step = timer(steps);
  const su = db.superuser;
  await su.query('SELECT rackrate_ensure_usage_partition($1::date)', [isoDate(month.from)]);
  const partition = `usage_events_y${month.from.getUTCFullYear()}m${String(month.from.getUTCMonth() + 1).padStart(2, '0')}`;
  const bound = (await su.query<{ bound: string }>(`SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE oid = $1::regclass`, [partition])).rows[0]!.bound;
  const parentIndexes = (await su.query<{ def: string }>(`SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'usage_events'::regclass`)).rows;
  if (input.rebuildIndex) {
    await su.query(`ALTER TABLE usage_events DETACH PARTITION ${partition}`);
    for (const { name } of (await su.query<{ name: string }>(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = $1::regclass`, [partition])).rows) {
      await su.query(`DROP INDEX ${name}`);
    }
  }
  const secondsPerEvent = (month.to.getTime() - month.from.getTime()) / 1000 / events;
  // Events already there (an earlier tenant of the kill test) keep their ids.
  const offset = Number((await su.query<{ n: string }>(`SELECT count(*) AS n FROM ${partition}`)).rows[0]!.n);
  await step('insert', () =>
    inSlices(db, events, (client, first, last) =>
      client.query(
        `INSERT INTO ${partition} (tenant_id, event_id, account_id, subscription_id, code, occurred_at, value, properties, received_at)
         SELECT ($1::uuid[])[o], 'bill-' || ($9::bigint + g), ($2::uuid[])[o], ($3::uuid[])[o],
                CASE WHEN c < 10 THEN '${USAGE.calls.event}' WHEN c < 14 THEN '${USAGE.storage.event}'
                     WHEN c < 17 THEN '${USAGE.power.event}' ELSE '${USAGE.addresses.event}' END,
                $4::timestamptz + make_interval(secs => g * $5::float8),
                (1 + (g * 48271) % 100000) * 0.001,
                CASE WHEN c >= 17 THEN jsonb_build_object('${USAGE.addresses.property}', '10.0.' || (g * 7 % 8) || '.' || (g * 13 % 8))
                     ELSE '{"region":"ams1"}'::jsonb END,
                $4::timestamptz + make_interval(secs => g * $5::float8 + 30)
           FROM generate_series($6::bigint, $7::bigint) AS g, -- Two independent hashes of the row number: the owner, and the code (out of 20).
                LATERAL (SELECT 1 + (hashint8extended(g, 1) & 2147483647) % $8 AS o, (hashint8extended(g, 2) & 2147483647) % 20 AS c) AS pick`,
        [owners.map((o) => o.tenantId), owners.map((o) => o.accountId), owners.map((o) => o.subscriptionId), month.from, secondsPerEvent, first, last, owners.length, offset],
      ),
    ),
  );
  if (input.rebuildIndex) {
    await step('index', async () => {
      const client = await su.connect();
      try {
        await client.query(`SET maintenance_work_mem = '512MB'`);
        for (const { def } of parentIndexes) await client.query(`CREATE INDEX ON ${partition}${def.slice(def.indexOf(' USING '))}`);
      } finally {
        client.release();
      }
    });
    await step('attach', () => su.query(`ALTER TABLE usage_events ATTACH PARTITION ${partition} ${bound}`));
  }
  // Hint bits, the visibility map and statistics: the state autovacuum leaves a closed month in.
  await step('vacuum_analyze', () => su.query(`VACUUM ANALYZE ${partition}`));
  return steps;
}

export async function generateSamples(db: MeteringDatabase, input: { owners: readonly UsageOwner[]; month: Month }): Promise<Record<string, number>> {
  const { owners, month } = input;
  const days = Math.round((month.to.getTime() - month.from.getTime()) / 86_400_000);
  const steps: Record<string, number> = {};
  const step = timer(steps);
  const slot = (expr: string) => `ARRAY(SELECT ${expr} FROM generate_series(0::bigint, 287) AS s)`;
  await step('insert', () =>
    inSlices(db, owners.length, (client, first, last) =>
      client.query(
        `INSERT INTO usage_samples (tenant_id, account_id, subscription_id, code, property, series, slot_minutes, day,
                                    in_sum, in_count, out_sum, out_count, updated_at)
         SELECT ($1::uuid[])[p + 1], ($2::uuid[])[p + 1], ($3::uuid[])[p + 1], $4, $5, '{"port":"xe-0/0/0"}'::jsonb, 5, $6::date + d::int,
                ${slot(`(50000000 + (p * 7919 + d * 104729 + s * 15485863) % 400000000)::float8`)}, array_fill(1, ARRAY[288]),
                ${slot(`(30000000 + (p * 6007 + d * 99991 + s * 32452843) % 300000000)::float8`)}, array_fill(1, ARRAY[288]),
                ($6::date + d::int + 1)::timestamptz
           FROM generate_series($7::bigint, $8::bigint) AS p, generate_series(0::bigint, $9::bigint - 1) AS d`,
        [owners.map((o) => o.tenantId), owners.map((o) => o.accountId), owners.map((o) => o.subscriptionId), USAGE.transit.event, USAGE.transit.property,
          isoDate(month.from), first, last, days],
      ),
    ),
  );
  await step('vacuum_analyze', () => db.superuser.query('VACUUM ANALYZE usage_samples'));
  return steps;
}
