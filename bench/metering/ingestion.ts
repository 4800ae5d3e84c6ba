import { acceptedMonths } from '../../services/metering/event-partitions';
import { checkpoint, type MeteringDatabase } from './database';
import { COPY_EVENTS, COPY_IDS, generateEvents } from './events';
import { copyRows, sendBatches, type BatchOutcome } from './ingest';
import type { MeteringOptions } from './options';
import type { MeteringFixture } from './seed';
import { EVENT_MIX } from './seed';
import { cpuPerOperation, summarise, timed, type CpuUse, type LatencySummary } from './stats';

/**
 * Benchmark 1: N events through POST /v1/events/batch (the API in its own
 * process, `concurrency` requests in flight from this one), beside a raw
 * COPY of the same rows into the same table in the same run.
 *
 * Order: generate the events (bodies and COPY rows, untimed), make sure the
 * months' partitions exist, warm the API up with a few small batches, then
 * empty the tables, COPY the rows into usage_events (the baseline the issue
 * names), then their ids into usage_event_ids (a second figure: the API
 * writes both tables), check, empty them again (TRUNCATE: the same
 * partitions and indexes, empty, so both runs start from the same state),
 * send through the API, check. A CHECKPOINT before each run keeps one run's
 * dirty pages out of the other's time.
 */
export const INGEST_GOALS = { eventsPerSecond: 50_000, ratioOfCopy: 0.4 } as const;

export interface IngestionResult {
  events: number;
  batch_size: number;
  batches: number;
  /** Batch requests in flight at once. */
  concurrency: number;
  customers: number;
  event_codes: string[];
  json_megabytes: number;
  generation_seconds: number;
  rackrate: {
    events_per_second: number;
    seconds: number;
    batch_latency: LatencySummary;
    accepted: number;
    duplicates: number;
    rejected: number;
    failed_requests: number;
    cpu: CpuUse;
    /** CPU µs per event: the API process, PostgreSQL, and this load generator (`bench`). */
    cpu_us_per_event: ReturnType<typeof cpuPerOperation>;
  };
  baseline: {
    what: string;
    events_per_second: number;
    seconds: number;
    rows: number;
    /** CPU over both COPYs (events, then ids). */
    cpu: CpuUse;
    /** CPU µs per event over both COPYs. */
    cpu_us_per_event: ReturnType<typeof cpuPerOperation>;
  };
  /** Not a goal: COPY of the events and then of their ids into usage_event_ids, the two tables the API writes. */
  baseline_with_ids: { what: string; events_per_second: number; seconds: number; ids_seconds: number; rows: number };
  /** Rackrate events/s over the events-and-ids COPY rate. */
  ratio_of_copy_with_ids: number;
  /** Rackrate events/s over COPY rows/s. */
  ratio_of_copy: number;
  goals: { events_per_second: number; ratio_of_copy: number };
  meets_goal: { events_per_second: boolean; ratio_of_copy: boolean };
  checks: IngestChecks & { copy_rows: number; ok: boolean; problems: string[] };
}

export interface IngestChecks {
  usage_events_rows: number;
  usage_event_ids_rows: number;
  value_sum_matches: boolean;
}

const WARMUP_BATCHES = 3;
const WARMUP_BATCH_SIZE = 1_000;

async function emptyEventTables(db: MeteringDatabase): Promise<void> {
  await db.superuser.query('TRUNCATE usage_events, usage_event_ids, usage_threshold_queue');
  await checkpoint(db);
}

async function countStored(db: MeteringDatabase, tenantId: string, valueThousandths: number): Promise<IngestChecks> {
  const { rows } = await db.superuser.query<{ events: string; ids: string; thousandths: string | null }>(
    `SELECT (SELECT count(*) FROM usage_events WHERE tenant_id = $1) AS events,
            (SELECT count(*) FROM usage_event_ids WHERE tenant_id = $1) AS ids,
            (SELECT (sum(value) * 1000)::text FROM usage_events WHERE tenant_id = $1) AS thousandths`,
    [tenantId],
  );
  const row = rows[0]!;
  return {
    usage_events_rows: Number(row.events),
    usage_event_ids_rows: Number(row.ids),
    value_sum_matches: row.thousandths !== null && Number(row.thousandths) === valueThousandths,
  };
}

export async function runIngestion(
  db: MeteringDatabase,
  fixture: MeteringFixture,
  api: { url: string; cpuSeconds: () => Promise<number> },
  options: MeteringOptions,
  log: (line: string) => void,
): Promise<IngestionResult> {
  const { events, batchSize, concurrency, ingestCustomers } = options;
  const now = new Date();
  const genStart = performance.now();
  const generated = generateEvents({ events, batchSize, customers: ingestCustomers, accountIds: fixture.accountIds, tenantId: fixture.tenantId, now });
  const generationSeconds = (performance.now() - genStart) / 1000;
  log(`metering: ingestion, generated ${events} events in ${generated.bodies.length} batches (${(generated.jsonBytes / 1e6).toFixed(0)} MB of JSON) in ${generationSeconds.toFixed(1)} s`);

  // The months a request at `now` may write into, as the API ensures them (a no-op for it afterwards).
  await db.superuser.query(`SELECT rackrate_ensure_usage_partition(m) FROM unnest($1::date[]) AS m`, [acceptedMonths(now)]);

  const warmup = generateEvents({ events: WARMUP_BATCHES * WARMUP_BATCH_SIZE, batchSize: WARMUP_BATCH_SIZE, customers: ingestCustomers, accountIds: fixture.accountIds, tenantId: fixture.tenantId, now, seed: 7 });
  const warm = await sendBatches(api.url, fixture.ingestKey, warmup.bodies, 1);
  if (warm.failures.length > 0 || warm.accepted !== warmup.events) {
    throw new Error(`metering: the warm-up batches were not all accepted: ${JSON.stringify({ accepted: warm.accepted, rejected: warm.rejectedSamples, failures: warm.failures })}`);
  }

  await emptyEventTables(db);
  log(`metering: baseline, COPY of the same ${events} rows into usage_events, then their ids into usage_event_ids (superuser)…`);
  // A pooled connection: its backend outlives the measurement, so its CPU is counted (an exited backend's may not be yet).
  const copyClient = await db.superuser.connect();
  const copy = await timed(() => db.postmasterPid(), () =>
    copyRows(copyClient, [{ target: COPY_EVENTS, chunks: generated.copyChunks }, { target: COPY_IDS, chunks: generated.idChunks }]),
  ).finally(() => copyClient.release());
  const [copyEvents, copyIds] = copy.value as [{ seconds: number; rows: number }, { seconds: number; rows: number }];
  const copyRate = events / copyEvents.seconds;
  const copyBothRate = events / (copyEvents.seconds + copyIds.seconds);
  const copyChecks = await countStored(db, fixture.tenantId, generated.valueThousandths);
  log(`  ${Math.round(copyRate)} rows/s into usage_events (${copyEvents.seconds.toFixed(2)} s, ${copyEvents.rows} rows); with the ids ${Math.round(copyBothRate)} rows/s (+${copyIds.seconds.toFixed(2)} s)`);

  await emptyEventTables(db);
  log(`metering: rackrate, ${generated.bodies.length} batches of ${batchSize} through POST /v1/events/batch, ${concurrency} in flight…`);
  const progressEvery = Math.max(1, Math.floor(generated.bodies.length / 10));
  const started = performance.now();
  const sent = await timed(
    () => db.postmasterPid(),
    () =>
      sendBatches(api.url, fixture.ingestKey, generated.bodies, concurrency, (done, o: BatchOutcome) => {
        if (done % progressEvery === 0 || done === generated.bodies.length) {
          log(`  ${done}/${generated.bodies.length} batches, ${o.accepted} accepted, ${Math.round(o.accepted / ((performance.now() - started) / 1000))} events/s so far`);
        }
      }),
    api.cpuSeconds,
  );
  const outcome = sent.value;
  const rate = events / outcome.seconds;
  const stored = await countStored(db, fixture.tenantId, generated.valueThousandths);
  log(`  ${Math.round(rate)} events/s (${outcome.seconds.toFixed(2)} s), ${(rate / copyRate).toFixed(3)} of COPY`);

  const problems: string[] = [];
  if (copyEvents.rows !== events || copyChecks.usage_events_rows !== events || copyChecks.usage_event_ids_rows !== events || !copyChecks.value_sum_matches) {
    problems.push(`the COPY baseline stored ${copyChecks.usage_events_rows} events and ${copyChecks.usage_event_ids_rows} ids of ${events} (value sum matches: ${copyChecks.value_sum_matches})`);
  }
  if (outcome.failures.length > 0) problems.push(`${outcome.failures.length} batch requests failed, e.g. ${JSON.stringify(outcome.failures[0])}`);
  if (outcome.accepted !== events) problems.push(`${outcome.accepted} of ${events} events accepted (${outcome.duplicates} duplicates, ${outcome.rejected} rejected, e.g. ${JSON.stringify(outcome.rejectedSamples[0] ?? null)})`);
  if (stored.usage_events_rows !== events) problems.push(`usage_events holds ${stored.usage_events_rows} rows, not ${events}`);
  if (stored.usage_event_ids_rows !== events) problems.push(`usage_event_ids holds ${stored.usage_event_ids_rows} rows, not ${events}`);
  if (!stored.value_sum_matches) problems.push('the stored values do not add up to the values sent');

  const ratio = rate / copyRate;
  return {
    events,
    batch_size: batchSize,
    batches: generated.bodies.length,
    concurrency,
    customers: ingestCustomers,
    event_codes: EVENT_MIX.map((m) => m.code),
    json_megabytes: Number((generated.jsonBytes / 1e6).toFixed(1)),
    generation_seconds: Number(generationSeconds.toFixed(2)),
    rackrate: {
      events_per_second: Math.round(rate),
      seconds: Number(outcome.seconds.toFixed(3)),
      batch_latency: summarise(outcome.latenciesMs),
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected,
      failed_requests: outcome.failures.length,
      cpu: sent.cpu,
      cpu_us_per_event: cpuPerOperation(sent.cpu, events),
    },
    baseline: {
      what: 'COPY usage_events (…) FROM STDIN of the same rows, one statement, superuser connection (pg-copy-streams)',
      events_per_second: Math.round(copyRate),
      seconds: Number(copyEvents.seconds.toFixed(3)),
      rows: copyEvents.rows,
      cpu: copy.cpu,
      cpu_us_per_event: cpuPerOperation(copy.cpu, events),
    },
    baseline_with_ids: {
      what: 'the COPY above, then COPY usage_event_ids (…) FROM STDIN of the same ids on the same connection',
      events_per_second: Math.round(copyBothRate),
      seconds: Number((copyEvents.seconds + copyIds.seconds).toFixed(3)),
      ids_seconds: Number(copyIds.seconds.toFixed(3)),
      rows: copyIds.rows,
    },
    ratio_of_copy: Number(ratio.toFixed(3)),
    ratio_of_copy_with_ids: Number((rate / copyBothRate).toFixed(3)),
    goals: { events_per_second: INGEST_GOALS.eventsPerSecond, ratio_of_copy: INGEST_GOALS.ratioOfCopy },
    meets_goal: { events_per_second: rate >= INGEST_GOALS.eventsPerSecond, ratio_of_copy: ratio >= INGEST_GOALS.ratioOfCopy },
    checks: { ...stored, copy_rows: copyEvents.rows, ok: problems.length === 0, problems },
  };
}
