import type { EntityManager } from 'typeorm';
import { foldSamples, slotsPerDay, type Sample, type SeriesDelta } from '../../domain/metering/sample-fold';

/**
 * Adds a batch's rate samples to the percentile rollup, inside the ingest
 * transaction, so a sample is in usage_samples exactly when its event is in
 * usage_events.
 *
 * The batch is summed per series, day and slot first (sample-fold.ts), in
 * key order. A series-day touching a few slots (a live feed: one per port
 * per batch) travels as those slots; one touching many (an agent catching
 * up) as whole day arrays of deltas. Then
 * 1. the day rows that do not exist yet are inserted holding the deltas (a
 *    sparse series its first slot only); ON CONFLICT DO NOTHING, so a row a
 *    concurrent batch created first is treated as existing;
 * 2. the rows that existed are locked, in key order: with step 1 (also in
 *    key order) this keeps two batches touching the same ports from
 *    deadlocking, and neither loses the other's samples;
 * 3. the deltas are added: a sparse series slot by slot in place
 *    (`in_sum[slot] = in_sum[slot] + delta`), one UPDATE per "round" r
 *    carrying every series' r-th slot; a dense one element-wise, at once.
 * A live feed thus writes each row once per batch, and never sends whole
 * day arrays (4 × 288 numbers for 5-minute slots).
 */
const DENSE_FROM_SLOTS = 5;

const KEY_COLUMNS = 'account_id, subscription_id, code, property, series, slot_minutes, day';
const KEY_TYPES = '$2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::date[]';
const SLOT_TYPES = '$9::int[], $10::float8[], $11::int[], $12::float8[], $13::int[]';
const SLOT_COLUMNS = 'slot, in_sum, in_count, out_sum, out_count';
/** Whole-day delta arrays as literals, NULL for a sparse series. */
const DAY_TYPES = '$14::text[], $15::text[], $16::text[], $17::text[]';
const DAY_COLUMNS = 'day_in_sum, day_in_count, day_out_sum, day_out_count';
/** A stored row `s` is the series-day `k` (of the tenant $1). */
const SAME_KEY = `s.account_id = k.account_id AND s.subscription_id = k.subscription_id AND s.code = k.code
   AND s.property = k.property AND s.series = k.series::jsonb AND s.slot_minutes = k.slot_minutes AND s.day = k.day`;

/** A new row's array: the whole day sent, or zeros but for the (1-based) first slot. */
const initial = (type: string, day: string, value: string) =>
  `coalesce(k.${day}::${type}[], array_fill(0::${type}, ARRAY[k.slot - 1]) || k.${value}::${type} || array_fill(0::${type}, ARRAY[1440 / k.slot_minutes - k.slot]))`;

/** Step 1: answers the (1-based) positions of the series whose rows it created. */
const INSERT_NEW_SQL = `
WITH k AS (
  SELECT * FROM unnest(${KEY_TYPES}, ${SLOT_TYPES}, ${DAY_TYPES}) WITH ORDINALITY AS k(${KEY_COLUMNS}, ${SLOT_COLUMNS}, ${DAY_COLUMNS}, n)
), inserted AS (
  INSERT INTO usage_samples (tenant_id, ${KEY_COLUMNS}, in_sum, in_count, out_sum, out_count, updated_at)
  SELECT $1, k.account_id, k.subscription_id, k.code, k.property, k.series::jsonb, k.slot_minutes, k.day,
         ${initial('float8', 'day_in_sum', 'in_sum')}, ${initial('int', 'day_in_count', 'in_count')},
         ${initial('float8', 'day_out_sum', 'out_sum')}, ${initial('int', 'day_out_count', 'out_count')}, statement_timestamp()
    -- Ordered before the arrays are built, so the sort stays small.
    FROM (SELECT * FROM k ORDER BY n OFFSET 0) k
  ON CONFLICT (tenant_id, account_id, code, property, slot_minutes, subscription_id, series, day) DO NOTHING
  RETURNING ${KEY_COLUMNS}
)
SELECT k.n FROM k JOIN inserted s ON ${SAME_KEY}`;

/** Step 2: FOR UPDATE above the sort, so rows are locked in key order. */
const LOCK_SQL = `
SELECT 1 FROM usage_samples s JOIN unnest(${KEY_TYPES}) WITH ORDINALITY AS k(${KEY_COLUMNS}, n)
    ON s.tenant_id = $1 AND ${SAME_KEY}
 ORDER BY k.n FOR UPDATE OF s`;

const ADD_SLOTS_SQL = `
UPDATE usage_samples AS s
   SET in_sum[k.slot] = s.in_sum[k.slot] + k.in_sum,
       in_count[k.slot] = s.in_count[k.slot] + k.in_count,
       out_sum[k.slot] = s.out_sum[k.slot] + k.out_sum,
       out_count[k.slot] = s.out_count[k.slot] + k.out_count,
       updated_at = statement_timestamp()
  FROM unnest(${KEY_TYPES}, ${SLOT_TYPES}) AS k(${KEY_COLUMNS}, ${SLOT_COLUMNS})
 WHERE s.tenant_id = $1 AND ${SAME_KEY}`;

const plus = (column: string, type: string) =>
  `${column} = (SELECT array_agg(a + b ORDER BY i) FROM unnest(s.${column}, k.${column}::${type}[]) WITH ORDINALITY AS u(a, b, i))`;

const ADD_DAYS_SQL = `
UPDATE usage_samples AS s
   SET ${plus('in_sum', 'float8')}, ${plus('in_count', 'int')}, ${plus('out_sum', 'float8')}, ${plus('out_count', 'int')},
       updated_at = statement_timestamp()
  FROM unnest(${KEY_TYPES}, $9::text[], $10::text[], $11::text[], $12::text[]) AS k(${KEY_COLUMNS}, in_sum, in_count, out_sum, out_count)
 WHERE s.tenant_id = $1 AND ${SAME_KEY}`;

const isDense = (s: SeriesDelta) => s.slots.length >= DENSE_FROM_SLOTS;

function keyColumns(series: readonly SeriesDelta[]): unknown[][] {
  return [
    series.map((s) => s.accountId),
    series.map((s) => s.subscriptionId),
    series.map((s) => s.code),
    series.map((s) => s.property),
    series.map((s) => s.series),
    series.map((s) => s.slotMinutes),
    series.map((s) => s.day),
  ];
}

/** Each series' r-th touched slot (PostgreSQL arrays count from 1). */
function slotColumns(series: readonly SeriesDelta[], round: number): unknown[][] {
  const slots = series.map((s) => s.slots[round]!);
  return [
    slots.map((d) => d.slot + 1),
    slots.map((d) => d.inSum),
    slots.map((d) => d.inCount),
    slots.map((d) => d.outSum),
    slots.map((d) => d.outCount),
  ];
}

/** A dense series' whole-day delta arrays as literals; nulls for a sparse one. */
function dayColumns(series: readonly SeriesDelta[]): Array<Array<string | null>> {
  const columns: Array<Array<string | null>> = [[], [], [], []];
  for (const s of series) {
    if (!isDense(s)) {
      for (const column of columns) column.push(null);
      continue;
    }
    const day = [0, 1, 2, 3].map(() => new Array<number>(slotsPerDay(s.slotMinutes)).fill(0));
    for (const d of s.slots) {
      day[0]![d.slot] = d.inSum;
      day[1]![d.slot] = d.inCount;
      day[2]![d.slot] = d.outSum;
      day[3]![d.slot] = d.outCount;
    }
    day.forEach((values, i) => columns[i]!.push(`{${values.join(',')}}`));
  }
  return columns;
}

/** Folds `samples` into usage_samples; returns how many series-days were touched. */
export async function foldIntoRollup(tx: EntityManager, tenantId: string, samples: readonly Sample[]): Promise<number> {
  if (samples.length === 0) return 0;
  const series = foldSamples(samples);
  const keys = keyColumns(series);
  const rows = (await tx.query(INSERT_NEW_SQL, [tenantId, ...keys, ...slotColumns(series, 0), ...dayColumns(series)])) as Array<{ n: string }>;
  const created = new Set(rows.map((r) => series[Number(r.n) - 1]));
  if (created.size < series.length) await tx.query(LOCK_SQL, [tenantId, ...keys]);

  const denseExisting = series.filter((s) => isDense(s) && !created.has(s));
  if (denseExisting.length > 0) await tx.query(ADD_DAYS_SQL, [tenantId, ...keyColumns(denseExisting), ...dayColumns(denseExisting)]);
  // A created sparse row already holds its first slot.
  for (let round = 0; round < DENSE_FROM_SLOTS - 1; round++) {
    const inRound = series.filter((s) => !isDense(s) && s.slots.length > round && (round > 0 || !created.has(s)));
    if (inRound.length > 0) await tx.query(ADD_SLOTS_SQL, [tenantId, ...keyColumns(inRound), ...slotColumns(inRound, round)]);
  }
  return series.length;
}
