import type { EntityManager } from 'typeorm';
import { PortSlots, slotsPerDay, slotWindow, windowDays, type SampleDay, type SlotWindow } from '../../domain/metering/sample-days';
import type { PortSamples } from '../../domain/pricing/inputs';
import type { MetricDefinition } from './metric-definition';
import { Base64ArrayReader } from './sample-read-binary';
import { filterSql, groupColumns, groupOf, scopeKey, scopeSql, SqlParams, type AggregationSpec } from './usage-query';

/**
 * Reads the percentile rollup (`usage_samples`) port by port, streaming:
 * rows come through a server-side cursor in batches, ordered so each port's
 * days are adjacent, and a port is handed on as soon as its last day is
 * read. Memory is one port's slot sums plus what the caller keeps.
 *
 * A port is one `series` (the event's string properties, e.g.
 * {"port":"xe-0/0/1","region":"ams1"}). Read for a whole account, the rows
 * of one series under different subscriptions are one port: their slot
 * sums and counts add up before the average. Filters and group-by apply to
 * the series' properties.
 *
 * The spec is an aggregation's; buckets do not apply (usage-series.ts slices the slots).
 */
export type SampleReadSpec = Omit<AggregationSpec, 'buckets'>;

export interface PortRead {
  /** The account or subscription a bulk read is keyed by; null for one account. */
  key: string | null;
  group: Record<string, string | null>;
  /** The series' JSON text (PostgreSQL's canonical jsonb form). */
  series: string;
  /** The series' `port` property when it is a string, else null. */
  port: string | null;
  samples: PortSamples;
}

/** Rows per FETCH: about 9 kB each for 5-minute slots (base64), so a batch stays under 5 MB. */
const BATCH_ROWS = 500;

let cursorCount = 0;

interface SampleRow {
  k?: string;
  series: string;
  day: number;
  /** Base64 of the binary array (PostgreSQL breaks the lines; Node's decoder skips the breaks). */
  in_sum: string;
  in_count: string | null;
  out_sum: string;
  out_count: string | null;
  [group: string]: unknown;
}

export function percentileShape(metric: MetricDefinition): { property: string; slotMinutes: number; percentile: string } {
  const aggregation = metric.aggregation;
  if (aggregation.type !== 'percentile') throw new Error(`metric ${metric.code} is a ${aggregation.type} metric, not a percentile one`);
  return { property: aggregation.property, slotMinutes: aggregation.window_minutes, percentile: aggregation.percentile };
}

const isoDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

function samplesSql(spec: SampleReadSpec, window: SlotWindow): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const { property, slotMinutes } = percentileShape(spec.metric);
  const key = scopeKey(spec.scope);
  const groups = groupColumns(params, 's.series', spec.groupBy);
  const { firstDay, lastDay } = windowDays(window);
  const where = [
    `s.tenant_id = ${params.add(spec.tenantId)}::uuid`,
    `s.code = ${params.add(spec.metric.eventName)}`,
    `s.property = ${params.add(property)}`,
    `s.slot_minutes = ${params.add(slotMinutes)}`,
    `s.day >= ${params.add(isoDay(firstDay))}::date`,
    `s.day <= ${params.add(isoDay(lastDay))}::date`,
    ...scopeSql(params, 's', spec.scope),
    ...spec.filters.map((f) => filterSql(params, 's.series', f)),
  ];
  // The inner query sorts rows holding only TOAST pointers to the arrays; they are read, turned
  // into binary arrays and base64 (a third smaller than bytea's hex) only as rows go out. A count
  // array of all ones (one poll per slot, the usual case) is not sent at all.
  const ones = `array_fill(1, ARRAY[${slotsPerDay(slotMinutes)}])`;
  const b64 = (column: string) => `encode(array_send(${column}), 'base64')`;
  const inner = [
    ...(key ? [`s.${key}::text COLLATE "C" AS k`] : []),
    ...groups.select,
    `s.series::text COLLATE "C" AS series`,
    `(s.day - DATE '1970-01-01') AS day`,
    's.in_sum, s.in_count, s.out_sum, s.out_count',
  ];
  const outer = [
    ...(key ? ['k'] : []),
    ...groups.names,
    'series',
    'day',
    `${b64('in_sum')} AS in_sum`,
    `CASE WHEN in_count = ${ones} THEN NULL ELSE ${b64('in_count')} END AS in_count`,
    `${b64('out_sum')} AS out_sum`,
    `CASE WHEN out_count = ${ones} THEN NULL ELSE ${b64('out_count')} END AS out_count`,
  ];
  // Each port's days adjacent (and each key's ports, for a bulk read).
  const order = key ? 'k, series, day' : 'series, day';
  const sql = `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM usage_samples s WHERE ${where.join(' AND ')} ORDER BY ${order}) s ORDER BY ${order}`;
  return { sql, params: params.values };
}

/** A row's arrays, decoded into the reader's reusable arrays: valid until the next row. */
function dayOf(row: SampleRow, reader: Base64ArrayReader): SampleDay {
  return {
    day: Number(row.day),
    inSum: reader.float8(row.in_sum, 'usage_samples.in_sum'),
    inCount: row.in_count === null ? null : reader.int4(row.in_count, 'usage_samples.in_count'),
    outSum: reader.float8(row.out_sum, 'usage_samples.out_sum'),
    outCount: row.out_count === null ? null : reader.int4(row.out_count, 'usage_samples.out_count'),
  };
}

function portProperty(series: string): string | null {
  const parsed: unknown = JSON.parse(series);
  const port = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).port : undefined;
  return typeof port === 'string' ? port : null;
}

/** Every port the spec covers, one at a time, each with its samples for the period's slots. */
export async function* readPortSamples(tx: EntityManager, spec: SampleReadSpec): AsyncGenerator<PortRead> {
  const { slotMinutes } = percentileShape(spec.metric);
  const window = slotWindow(spec.from, spec.to, slotMinutes);
  if (window.count === 0) return;
  const { sql, params } = samplesSql(spec, window);
  const slots = new PortSlots(window);
  const reader = new Base64ArrayReader();
  const cursor = `rackrate_samples_${++cursorCount}`;
  let current: { key: string | null; series: string; row: SampleRow } | null = null;
  const finish = (): PortRead => {
    const { key, series, row } = current!;
    const port = portProperty(series);
    return { key, group: groupOf(row, spec.groupBy), series, port, samples: slots.samples(port ?? series) };
  };
  await tx.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, params);
  const fetch = (): Promise<SampleRow[]> => tx.query(`FETCH FORWARD ${BATCH_ROWS} FROM ${cursor}`);
  // The next batch is asked for before this one is decoded, so PostgreSQL and this process work at once.
  let pending: Promise<SampleRow[]> | null = fetch();
  let failed = false;
  try {
    while (pending) {
      const rows: SampleRow[] = await pending;
      pending = rows.length === BATCH_ROWS ? fetch() : null;
      for (const row of rows) {
        const key = row.k ?? null;
        if (current && (current.key !== key || current.series !== row.series)) {
          yield finish();
          slots.reset();
        }
        if (!current || current.key !== key || current.series !== row.series) current = { key, series: row.series, row };
        slots.add(dayOf(row, reader));
      }
    }
    if (current) yield finish();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A consumer that stops early leaves a batch in flight: it must settle (or throw) before CLOSE.
    // After a failed FETCH the transaction is aborted and its rollback drops the cursor; closing would only mask the error.
    if (!failed) {
      if (pending) await pending;
      await tx.query(`CLOSE ${cursor}`);
    }
  }
}

/**
 * Gives each port of a pool a distinct id: its `port` property, or its series text when it has
 * none or when two series of the pool share one (the same port seen with other properties).
 */
export function distinctPortIds(ports: readonly PortRead[]): PortSamples[] {
  const seen = new Map<string, number>();
  for (const p of ports) if (p.port !== null) seen.set(p.port, (seen.get(p.port) ?? 0) + 1);
  return ports.map((p) => ({ ...p.samples, portId: p.port !== null && seen.get(p.port) === 1 ? p.port : p.series }));
}
