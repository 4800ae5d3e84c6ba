import type { EntityManager } from 'typeorm';
import type { Attribution } from '../../domain/metering/event-attribution';
import type { NormalizedEvent } from '../../domain/metering/event-rules';

/**
 * Writes a batch's accepted events: record each id in usage_event_ids,
 * insert into usage_events the events whose ids were new, and queue their
 * accounts for the threshold check when they have active thresholds; one
 * statement, answering the ids that were already stored.
 *
 * Most batches are all new, so the statement is first tried as plain
 * inserts inside a savepoint; only if an id is already stored (a unique
 * violation: a replay, or a concurrent batch that committed it first) does
 * it roll back to the savepoint and run the careful form, which skips stored
 * ids with ON CONFLICT DO NOTHING. The careful form costs about a fifth more
 * database time per event (speculative insertion, the join on new ids), a
 * replay pays for both.
 *
 * COPY is refused on tables with row-level security, so the rows travel as
 * array parameters read with unnest. The arrays are written as PostgreSQL
 * literals here and the properties as one JSON array: the values are known
 * safe (uuids, codes, timestamps and decimals checked by event-rules.ts), so
 * only ids need escaping and no JSON needs any, which costs a fraction of
 * the generic parameter encoder on 10,000 rows. received_at is the
 * database's clock, the same for the whole batch.
 */
export interface WriteRow {
  event: NormalizedEvent;
  attribution: Attribution;
}

const INPUT = `
WITH input AS (
  SELECT * FROM ROWS FROM (unnest($2::text[]), unnest($3::uuid[]), unnest($4::uuid[]), unnest($5::text[]),
                           unnest($6::timestamptz[]), unnest($7::numeric[]), jsonb_array_elements($8::jsonb))
      AS t(event_id, account_id, subscription_id, code, occurred_at, value, properties)
)`;

// Every account with stored events, once the tenant has any active threshold:
// a parent's budget covers its children's subscriptions, so the drain maps a
// queued account to every threshold it can move. DO UPDATE, not DO NOTHING,
// so an ingest racing a drain waits for it and re-queues (threshold-queue.ts).
const QUEUE = `
queued AS (
  INSERT INTO usage_threshold_queue (tenant_id, account_id, enqueued_at)
  SELECT DISTINCT $1::uuid, s.account_id, statement_timestamp() FROM stored s
   WHERE EXISTS (SELECT 1 FROM usage_thresholds t WHERE t.tenant_id = $1 AND t.status = 'active')
   ORDER BY 2
  ON CONFLICT (tenant_id, account_id) DO UPDATE SET enqueued_at = LEAST(usage_threshold_queue.enqueued_at, EXCLUDED.enqueued_at)
)`;

const EVENT_COLUMNS = 'tenant_id, event_id, account_id, subscription_id, code, occurred_at, value, properties, received_at';

const OPTIMISTIC_SQL = `${INPUT}, keys AS (
  INSERT INTO usage_event_ids (tenant_id, event_id, occurred_at, received_at)
  SELECT $1, event_id, occurred_at, statement_timestamp() FROM input
), stored AS (
  INSERT INTO usage_events (${EVENT_COLUMNS})
  SELECT $1, event_id, account_id, subscription_id, code, occurred_at, value, properties, statement_timestamp() FROM input
  RETURNING account_id
), ${QUEUE}
SELECT NULL::text AS event_id WHERE false`;

const CAREFUL_SQL = `${INPUT}, fresh AS (
  INSERT INTO usage_event_ids (tenant_id, event_id, occurred_at, received_at)
  SELECT $1, event_id, occurred_at, statement_timestamp() FROM input
  ON CONFLICT DO NOTHING
  RETURNING event_id
), stored AS (
  INSERT INTO usage_events (${EVENT_COLUMNS})
  SELECT $1, i.event_id, i.account_id, i.subscription_id, i.code, i.occurred_at, i.value, i.properties, statement_timestamp()
    FROM input i JOIN fresh f ON f.event_id = i.event_id
  RETURNING account_id
), ${QUEUE}
SELECT i.event_id FROM input i WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.event_id = i.event_id)`;

function isStoredIdConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.driverError?.code ?? e.code;
  const constraint = e.driverError?.constraint ?? e.constraint;
  return code === '23505' && constraint === 'usage_event_ids_pkey';
}

/** `{"a","b",NULL}` for values with no `"` or `\` (quoted, so that no value reads as NULL). */
function plainArray(values: ReadonlyArray<string | null>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    out += (i === 0 ? '' : ',') + (value === null || value === undefined ? 'NULL' : `"${value}"`);
  }
  return `${out}}`;
}

/** `{"a","b \"c\""}`: any text. */
function escapedArray(values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const quoted = value.includes('"') || value.includes('\\') ? value.replace(/["\\]/g, '\\$&') : value;
    out += `${i === 0 ? '' : ','}"${quoted}"`;
  }
  return `${out}}`;
}

/** Writes `rows` (sorted by id by the caller); returns the ids that were already stored. */
export async function writeEvents(tx: EntityManager, tenantId: string, rows: readonly WriteRow[]): Promise<Set<string>> {
  const n = rows.length;
  const ids = new Array<string>(n);
  const accounts = new Array<string>(n);
  const subscriptions = new Array<string | null>(n);
  const codes = new Array<string>(n);
  const times = new Array<string>(n);
  const values = new Array<string | null>(n);
  const properties = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const { event, attribution } = rows[i]!;
    ids[i] = event.id;
    accounts[i] = attribution.accountId;
    subscriptions[i] = attribution.subscriptionId;
    codes[i] = event.code;
    times[i] = event.occurredAt;
    values[i] = event.value;
    properties[i] = event.propertiesJson;
  }
  const params = [
    tenantId,
    escapedArray(ids),
    plainArray(accounts),
    plainArray(subscriptions),
    plainArray(codes),
    plainArray(times),
    plainArray(values),
    `[${properties.join(',')}]`,
  ];
  await tx.query('SAVEPOINT ingest_write');
  try {
    await tx.query(OPTIMISTIC_SQL, params);
    await tx.query('RELEASE SAVEPOINT ingest_write');
    return new Set();
  } catch (error) {
    if (!isStoredIdConflict(error)) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT ingest_write');
  }
  const existing = (await tx.query(CAREFUL_SQL, params)) as Array<{ event_id: string }>;
  return new Set(existing.map((r) => r.event_id));
}
