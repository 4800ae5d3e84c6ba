import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../../../db/tenant-transaction';
import type { MetricAggregation, MetricFilter } from '../../../domain/catalog/metric';
import type { MetricDefinition } from '../../../services/metering/metric-definition';

/**
 * Usage fixtures written straight into the metering tables with SQL (as
 * the ingest path would leave them), so the read-side tests depend on the
 * schema only, not on the ingest code.
 */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export interface FixtureEvent {
  eventId: string;
  accountId: string;
  subscriptionId: string | null;
  code: string;
  /** Epoch microseconds. */
  atUs: number;
  value: string | null;
  properties: Record<string, unknown>;
}

/** RFC 3339 with microseconds, UTC. */
export function isoMicros(atUs: number): string {
  const ms = Math.floor(atUs / 1000);
  const micros = atUs - ms * 1000;
  return new Date(ms).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

/** Epoch microseconds of an RFC 3339 UTC time, keeping digits past the millisecond. */
export function usOf(iso: string): number {
  const micros = /\.\d{3}(\d{1,3})Z$/.exec(iso)?.[1] ?? '';
  return Date.parse(iso) * 1000 + (micros === '' ? 0 : Number(micros.padEnd(3, '0')));
}

/** Creates the months' partitions (outside the writing transaction, as ingest does). */
export async function ensurePartitions(dataSource: DataSource, atUs: number[]): Promise<void> {
  const months = new Set(atUs.map((us) => new Date(Math.floor(us / 1000)).toISOString().slice(0, 7)));
  for (const month of months) await dataSource.query('SELECT rackrate_ensure_usage_partition($1::date)', [`${month}-01`]);
}

export async function insertEvents(dataSource: DataSource, tenantId: string, events: FixtureEvent[]): Promise<void> {
  await ensurePartitions(dataSource, events.map((e) => e.atUs));
  await inTenantTransaction(dataSource, tenantId, (tx) =>
    tx.query(
      `INSERT INTO usage_events (tenant_id, event_id, account_id, subscription_id, code, occurred_at, value, properties, received_at)
       SELECT $1, u.* , statement_timestamp()
         FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::numeric[], $8::jsonb[]) AS u`,
      [
        tenantId,
        events.map((e) => e.eventId),
        events.map((e) => e.accountId),
        events.map((e) => e.subscriptionId),
        events.map((e) => e.code),
        events.map((e) => isoMicros(e.atUs)),
        events.map((e) => e.value),
        events.map((e) => JSON.stringify(e.properties)),
      ],
    ),
  );
}

export interface FixtureSampleDay {
  accountId: string;
  subscriptionId: string | null;
  code: string;
  property: string;
  slotMinutes: number;
  series: Record<string, string>;
  /** YYYY-MM-DD (UTC). */
  day: string;
  inSum: number[];
  inCount: number[];
  outSum: number[];
  outCount: number[];
}

export async function insertSampleDays(dataSource: DataSource, tenantId: string, rows: FixtureSampleDay[]): Promise<void> {
  await inTenantTransaction(dataSource, tenantId, async (tx) => {
    for (const r of rows) {
      await tx.query(
        `INSERT INTO usage_samples (tenant_id, account_id, subscription_id, code, property, series, slot_minutes, day,
                                    in_sum, in_count, out_sum, out_count, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::date, $9::float8[], $10::int[], $11::float8[], $12::int[], statement_timestamp())`,
        [tenantId, r.accountId, r.subscriptionId ?? NIL_UUID, r.code, r.property, JSON.stringify(r.series), r.slotMinutes, r.day, r.inSum, r.inCount, r.outSum, r.outCount],
      );
    }
  });
}

export function metric(code: string, eventName: string, aggregation: MetricAggregation, options: { filters?: MetricFilter[]; groupBy?: string[] } = {}): MetricDefinition {
  return { id: `00000000-0000-7000-8000-${code.padStart(12, '0').slice(-12).replace(/[^0-9a-f]/g, '0')}`, code, eventName, aggregation, filters: options.filters ?? [], groupBy: options.groupBy ?? [], unitLabel: null };
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
