import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTIONS, runLoad, toMeasurement, type Measurement } from './load';
import { buildReport, compare, writeLatest, type BenchResult } from './report';
import { runRatingBenchmarks } from './rating/run-rating';
import { benchmarks, type Benchmark } from './scenarios';
import { startServerProcess, type ServerProcess } from './server-process';
import { subscriptionBench, type SubscriptionBench } from './subscriptions/run-subscriptions';
import type { SubscriptionBenchResult } from './subscriptions/result';
import { meteringBench, type MeteringBench, type MeteringBenchResult } from './metering/run-metering';
import { invoicingBench, type InvoicingBench, type InvoicingBenchResult } from './invoicing/run-invoicing';

/**
 * `npm run bench`: rating in process (bench/rating); then starts the servers
 * in a child process (bench/server.ts) and for each HTTP benchmark warms up
 * and measures the baseline, then warms up and measures Rackrate, so the two
 * alternate and share the host's noise; then usage metering (ingestion,
 * aggregation, 95th percentile) on its own PostgreSQL (bench/metering); then
 * the subscription renewal burst beside no-op workflows on its own Temporal
 * dev server (bench/subscriptions); then a bill run on its own Temporal dev
 * server, or the kill-the-worker test with --kill (bench/invoicing).
 * Progress goes to stderr; the JSON report goes to stdout and
 * bench/results/latest.json. Exits 1 when a measurement lost more than 0.1%
 * of its requests, when a metering check failed (rows lost, or a figure that
 * differs from its baseline's), or when the renewal burst overlapped creation
 * or its rows do not add up.
 */
const WARMUP_SECONDS = 2;
const BENCH_SOURCE_DIR = path.resolve(__dirname, '..', '..', 'bench');

const log = (line: string) => process.stderr.write(`${line}\n`);

function readDuration(env: NodeJS.ProcessEnv): number {
  const raw = env.BENCH_DURATION_SECONDS ?? '10';
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`BENCH_DURATION_SECONDS must be a whole number of seconds >= 1, not ${JSON.stringify(raw)}`);
  }
  return seconds;
}

async function measure(benchmark: Benchmark, label: string, baseUrl: string, seconds: number): Promise<Measurement> {
  const target = benchmark.target(baseUrl);
  log(`${benchmark.name} — ${label}: warm-up ${WARMUP_SECONDS} s, then ${seconds} s measured`);
  await runLoad(target, WARMUP_SECONDS);
  const m = toMeasurement(await runLoad(target, seconds));
  log(`  ${m.requests_per_second} req/s, p50 ${m.p50_ms} ms, p99 ${m.p99_ms} ms, ${m.errors} errors of ${m.requests}`);
  return m;
}

const GROUPS = ['rating', 'http', 'metering', 'subscriptions', 'invoicing'] as const;
type Group = (typeof GROUPS)[number];

/**
 * BENCH_ONLY names the groups to run, comma-separated (BENCH_ONLY=subscriptions,
 * BENCH_ONLY=rating,http) or `all`. Unset: rating, http and metering, about
 * five minutes; the subscription and invoicing families take many minutes, so
 * they run only when named. Group names given as arguments
 * (`npm run bench -- invoicing --accounts 300`) take the place of BENCH_ONLY;
 * flags are for the groups (bench/invoicing/options.ts).
 */
function readGroups(env: NodeJS.ProcessEnv, argv: readonly string[]): Record<Group, boolean> {
  // Words that are neither a flag nor a flag's number (`--accounts 300`).
  const isFlagValue = (arg: string, i: number) => /^[\d_]+$/.test(arg) && (argv[i - 1]?.startsWith('--') ?? false);
  const named = argv.filter((arg, i) => !arg.startsWith('--') && !isFlagValue(arg, i));
  const only = named.length > 0 ? named.join(',') : env.BENCH_ONLY;
  if (only === undefined || only === '') return { rating: true, http: true, metering: true, subscriptions: false, invoicing: false };
  if (only === 'all') return { rating: true, http: true, metering: true, subscriptions: true, invoicing: true };
  const names = only.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(GROUPS as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY must be all or name ${GROUPS.join(', ')} (comma-separated), not ${JSON.stringify(only)}`);
  }
  return {
    rating: names.includes('rating'),
    http: names.includes('http'),
    metering: names.includes('metering'),
    subscriptions: names.includes('subscriptions'),
    invoicing: names.includes('invoicing'),
  };
}

async function main(): Promise<number> {
  const durationSeconds = readDuration(process.env);
  const argv = process.argv.slice(2);
  const groups = readGroups(process.env, argv);
  const loadAverageBefore = os.loadavg()[0] ?? 0;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rackrate-bench-'));
  let server: ServerProcess | undefined;
  let subscriptions: SubscriptionBench | undefined;
  let metering: MeteringBench | undefined;
  let invoicing: InvoicingBench | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await server?.stop();
      await metering?.stop();
      await subscriptions?.stop();
      await invoicing?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the servers`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    // Rating first, before any server or database competes for the CPU.
    const rating = groups.rating ? runRatingBenchmarks(durationSeconds, WARMUP_SECONDS, log) : [];
    const results: BenchResult[] = [];
    let postgresVersion: string | null = null;
    if (groups.http) {
      log('starting embedded PostgreSQL, the Rackrate API and the baseline app…');
      server = startServerProcess(dataDir);
      const targets = await server.ready;
      postgresVersion = targets.postgresVersion;
      for (const benchmark of benchmarks(targets)) {
        const baseline = await measure(benchmark, 'baseline', targets.baselineUrl, durationSeconds);
        const rackrate = await measure(benchmark, 'rackrate', targets.rackrateUrl, durationSeconds);
        results.push(compare(benchmark.name, rackrate, baseline));
      }
    }
    // The metering and subscription families start their own PostgreSQL (and Temporal); the API servers must not compete with them.
    await server?.stop();
    let meteringResult: MeteringBenchResult | null = null;
    if (groups.metering) {
      metering = meteringBench(log);
      meteringResult = await metering.run();
    }
    let subscriptionResult: SubscriptionBenchResult | null = null;
    if (groups.subscriptions) {
      subscriptions = subscriptionBench(log);
      subscriptionResult = await subscriptions.run();
    }
    let invoicingResult: InvoicingBenchResult | null = null;
    if (groups.invoicing) {
      invoicing = invoicingBench(log, process.env, argv);
      invoicingResult = await invoicing.run();
    }
    const report = {
      ...buildReport({
        postgresVersion: postgresVersion ?? meteringResult?.postgres ?? subscriptionResult?.servers.postgres ?? invoicingResult?.servers.postgres ?? null,
        loadAverageBefore,
        durationSeconds,
        warmupSeconds: WARMUP_SECONDS,
        connections: CONNECTIONS,
        results,
        rating,
      }),
      /** bench/metering: ingestion beside COPY, aggregation beside bare SQL, the 95th percentile beside percentile_disc. */
      metering: meteringResult,
      /** bench/subscriptions: renewals/s beside no-op workflows/s on the same Temporal dev server. */
      subscriptions: subscriptionResult,
      /** bench/invoicing: a bill run beside bare SQL, or the kill-the-worker test (--kill). */
      invoicing: invoicingResult,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    log(`written to ${path.relative(process.cwd(), writeLatest(report, BENCH_SOURCE_DIR))}`);
    for (const line of report.errors.details) log(`errors: ${line}`);
    const spoiled = subscriptionResult !== null && (!subscriptionResult.checks.ok || subscriptionResult.design.creation_overran_renewal_instant);
    if (spoiled) log('errors: the subscription renewal burst did not run clean (see subscriptions.checks and subscriptions.design)');
    const meteringFailed = meteringResult !== null && !meteringResult.checks_ok;
    if (meteringFailed) log('errors: a metering check failed (see metering.*.checks)');
    const invoicingFailed = invoicingResult !== null && !invoicingResult.checks_ok;
    if (invoicingFailed) log('errors: an invoicing check failed (see invoicing.checks or invoicing.kill_test)');
    return report.errors.exceeded || spoiled || meteringFailed || invoicingFailed ? 1 : 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
