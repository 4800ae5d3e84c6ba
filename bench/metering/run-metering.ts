import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAggregation, type AggregationResult } from './aggregation';
import { startApiProcess } from './api-process';
import { startMeteringDatabase } from './database';
import { PORTS_PER_ACCOUNT } from './datasets';
import { runIngestion, type IngestionResult } from './ingestion';
import { readMeteringOptions, type MeteringOptions } from './options';
import { runPercentile, type PercentileResult } from './percentile';
import { seedMeteringFixture } from './seed';

/**
 * The metering benchmarks (issue 5), in order, on one embedded PostgreSQL in
 * a temp directory of its own with one tenant: ingestion through the API
 * (in a child process) beside a raw COPY; then, with the API stopped,
 * aggregation of a generated month of events beside bare SQL; then the 95th
 * percentile of a generated month of port samples beside percentile_disc.
 * Dataset generation is timed apart from every measurement.
 * bench/README.md explains the design and the figures.
 */
export interface MeteringBenchResult {
  name: string;
  options: MeteringOptions;
  postgres: string;
  seeding: { seconds: number; accounts: number };
  ingestion: IngestionResult;
  aggregation: AggregationResult;
  percentile: PercentileResult;
  /** Every goal of the issue met. */
  meets_goals: boolean;
  /** Every check passed: no row lost, every Rackrate figure equal to its baseline's. */
  checks_ok: boolean;
  total_seconds: number;
}

export interface MeteringBench {
  run(): Promise<MeteringBenchResult>;
  /** Stops the API process and PostgreSQL and removes the directory; safe at any time and more than once. */
  stop(): Promise<void>;
}

export function meteringBench(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): MeteringBench {
  // Its own temp directory: PostgreSQL run as root needs every directory above its cluster to be traversable.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rackrate-bench-metering-'));
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error: unknown) => log(`metering: cleanup failed: ${String(error)}`));
      }
    })());
  return {
    stop,
    async run() {
      try {
        return await measureAll(readMeteringOptions(env), dataDir, log, (cleanup) => cleanups.push(cleanup));
      } finally {
        await stop();
      }
    },
  };
}

async function measureAll(options: MeteringOptions, dataDir: string, log: (line: string) => void, onStop: (cleanup: () => Promise<void>) => void): Promise<MeteringBenchResult> {
  const started = performance.now();
  log(`metering: starting embedded PostgreSQL (${JSON.stringify(options)})…`);
  const db = await startMeteringDatabase(dataDir, onStop);

  const accounts = Math.max(options.ingestCustomers, options.aggCustomers, Math.ceil(options.ports / PORTS_PER_ACCOUNT));
  const seedStarted = performance.now();
  const fixture = await seedMeteringFixture(db.dataSource, accounts);
  const seeding = { seconds: Number(((performance.now() - seedStarted) / 1000).toFixed(2)), accounts };
  log(`metering: seeded a tenant, 4 metrics, an ingest key and ${accounts} accounts in ${seeding.seconds} s`);

  const api = startApiProcess(db.appUrl);
  onStop(() => api.stop());
  const { url } = await api.ready;
  const ingestion = await runIngestion(db, fixture, { url, cpuSeconds: () => api.cpuSeconds() }, options, log);
  // The reads run in this process; the idle API would only hold memory and connections.
  await api.stop();

  const aggregation = await runAggregation(db, fixture, options, log);
  const percentile = await runPercentile(db, fixture, options, log);
  const meetsGoals =
    ingestion.meets_goal.events_per_second && ingestion.meets_goal.ratio_of_copy && aggregation.bulk.meets_goal && aggregation.single_customer.meets_goal && percentile.meets_goal;
  return {
    name: 'usage metering: ingestion, aggregation and 95th percentile (embedded PostgreSQL)',
    options,
    postgres: db.version,
    seeding,
    ingestion,
    aggregation,
    percentile,
    meets_goals: meetsGoals,
    checks_ok: ingestion.checks.ok && aggregation.checks.ok && percentile.checks.ok,
    total_seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}
