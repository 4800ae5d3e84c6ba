/**
 * The metering benchmark's knobs, from the environment, so a quick smoke run
 * is one line (bench/README.md): the sizes by default.
 */
export interface MeteringOptions {
  /** Events sent through POST /v1/events/batch (and COPYed for the baseline). */
  events: number;
  batchSize: number;
  /** Batch requests in flight at once. */
  concurrency: number;
  /** Customers the ingested events are spread over. */
  ingestCustomers: number;
  /** Events in the aggregation month, and the customers they belong to. */
  aggEvents: number;
  aggCustomers: number;
  /** Customers whose period total is read one at a time (p50/p99/max). */
  lookups: number;
  /** Ports with a month (30 days × 288 five-minute slots) of bandwidth samples. */
  ports: number;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  }
  return value;
}

export function readMeteringOptions(env: NodeJS.ProcessEnv): MeteringOptions {
  const events = wholeNumber(env, 'BENCH_METERING_EVENTS', 1_000_000, 1);
  const aggCustomers = wholeNumber(env, 'BENCH_METERING_AGG_CUSTOMERS', 10_000, 1);
  return {
    events,
    // 10,000 is the batch limit the API documents.
    batchSize: wholeNumber(env, 'BENCH_METERING_BATCH', 10_000, 1, 10_000),
    concurrency: wholeNumber(env, 'BENCH_METERING_CONCURRENCY', 4, 1, 16),
    ingestCustomers: wholeNumber(env, 'BENCH_METERING_CUSTOMERS', 1_000, 1),
    aggEvents: wholeNumber(env, 'BENCH_METERING_AGG_EVENTS', 10_000_000, 1),
    aggCustomers,
    lookups: wholeNumber(env, 'BENCH_METERING_LOOKUPS', 200, 1),
    ports: wholeNumber(env, 'BENCH_METERING_PORTS', 5_000, 1),
  };
}
