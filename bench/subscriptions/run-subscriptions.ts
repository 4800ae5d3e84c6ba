import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../../db/data-source';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../lib/net/free-port';
import { ensureSearchAttributes } from '../../lib/temporal/search-attribute-registration';
import { spent, snapshot, type CpuSpent, type ProcessPids } from './measure';
import { createSubscriptions, noopBurst, waitForRevision, type Milestones } from './phases';
import type { WorkerSettings } from './protocol';
import { startForRenewalAt } from './schedule';
import { seedSubscriptionFixture } from './seed';
import { startBenchTemporal } from './temporal-server';
import { startWorkerProcess, type WorkerProcess } from './worker-process';
import { readSubscriptionOptions, type SubscriptionOptions } from './options';
import { buildSubscriptionResult, type LeadTime, type SubscriptionBenchResult } from './result';
import { checkRenewals } from './checks';

/**
 * The subscription benchmark (issue 4), in order: embedded PostgreSQL and
 * a Temporal dev server of its own; seeding; the no-op baseline (its own
 * worker process); then the real billing worker in a fresh process, a
 * warm-up batch of subscriptions that only paces the lead time, the
 * measured creation, and the renewal burst: every subscription's first
 * period ends at one instant, and the clock runs from that instant until
 * the database shows the last renewal. bench/README.md explains the design.
 */
export interface SubscriptionBench {
  run(): Promise<SubscriptionBenchResult>;
  /** Stops the workers, Temporal and PostgreSQL; safe at any time and more than once. */
  stop(): Promise<void>;
}

const POLL_MS = 200;
const STALL_MS = 120_000;

export function subscriptionBench(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): SubscriptionBench {
  // Its own temp directory: PostgreSQL run as root needs every directory above its cluster to be traversable.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rackrate-bench-subscriptions-'));
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error: unknown) => log(`subscriptions: cleanup failed: ${String(error)}`));
      }
    })());
  return {
    stop,
    async run() {
      try {
        return await measureAll(readSubscriptionOptions(env), dataDir, log, (cleanup) => cleanups.push(cleanup));
      } finally {
        await stop();
      }
    },
  };
}

function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function startWorker(worker: WorkerProcess, onStop: (cleanup: () => Promise<void>) => void): Promise<WorkerSettings> {
  onStop(() => worker.stop());
  return worker.ready;
}

const seconds = (fromMs: number, toMs: number) => Number(((toMs - fromMs) / 1000).toFixed(2));

/**
 * From the end of the warm-up to the renewal instant: creation and every
 * activation must be done by then, or late activations renew at once and
 * spoil the burst (the run then fails); a late instant only costs idle time.
 * Two predictions from the warm-up, the larger one with a 30% margin: its
 * pace once past the cold start, and the CPU it took (every process of
 * ours) spread over the host's cores, because on a small host creation and
 * activation compete for the same CPUs, which the warm-up alone does not show.
 */
function leadTime(count: number, warmup: number, milestones: Milestones, cpu: CpuSpent): LeadTime {
  const pace = (warmup - Math.ceil(warmup / 2)) / (Math.max(1, milestones.all - milestones.half) / 1000);
  const parts = [cpu.worker_cpu_seconds, cpu.temporal_cpu_seconds, cpu.postgres_cpu_seconds, cpu.load_generator_cpu_seconds];
  const cpuSeconds = parts.every((p) => p !== null) ? (parts as number[]).reduce((a, b) => a + b, 0) : null;
  const byPace = count / pace;
  const byCpu = cpuSeconds === null ? 0 : (count * cpuSeconds) / warmup / os.availableParallelism();
  return { seconds: Math.ceil(Math.max(byPace, byCpu) * 1.3 + 15), pace, byPaceSeconds: Math.round(byPace), byCpuSeconds: cpuSeconds === null ? null : Math.round(byCpu) };
}

async function measureAll(
  options: SubscriptionOptions,
  dataDir: string,
  log: (line: string) => void,
  onStop: (cleanup: () => Promise<void>) => void,
): Promise<SubscriptionBenchResult> {
  const { count, concurrency } = options;
  log(`subscriptions: ${count} subscriptions, ${concurrency} creating at a time; starting embedded PostgreSQL and a Temporal dev server…`);
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger: createLogger('silent', 'bench') });
  onStop(() => postgres.stop());
  const dataSource: DataSource = createDataSource({ url: postgres.appUrl, poolSize: concurrency + 2, applicationName: 'rackrate-bench' });
  onStop(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
  await migrate(dataSource);
  const temporal = await startBenchTemporal(dataDir);
  onStop(() => temporal.stop());
  const connection = await Connection.connect({ address: temporal.address });
  onStop(() => connection.close());
  await ensureSearchAttributes(connection, 'default');
  const client = new Client({ connection, namespace: 'default' });
  const pids: ProcessPids = { temporal: temporal.pid, postgres: () => postmasterPid(dataDir) };

  // Seeding: set-up, timed apart from everything measured.
  const warmup = options.warmup;
  const seedStart = performance.now();
  const fixture = await seedSubscriptionFixture(dataSource, warmup + count);
  const seedingSeconds = seconds(seedStart, performance.now());
  const warmupAccounts = fixture.accountIds.slice(0, warmup);
  const accounts = fixture.accountIds.slice(warmup);
  log(`subscriptions: seeded a tenant, a plan and ${fixture.accountIds.length} accounts in ${seedingSeconds} s`);

  // Baseline: the no-op workflow, on the same server, with a worker process of its own.
  const noopWorker = startWorkerProcess('noop', { temporalAddress: temporal.address });
  const noopSettings = await startWorker(noopWorker, onStop);
  log(`subscriptions: baseline, ${warmup} no-op workflows to warm up, then ${count} started and awaited…`);
  await noopBurst(client, `warmup-${randomUUID()}`, warmup, concurrency);
  const noopBefore = await snapshot(noopWorker, pids);
  const { startsDoneAtMs } = await noopBurst(client, randomUUID(), count, concurrency);
  const noopAfter = await snapshot(noopWorker, pids);
  await noopWorker.stop();
  const noop = { seconds: seconds(noopBefore.atMs, noopAfter.atMs), startSeconds: seconds(noopBefore.atMs, startsDoneAtMs), cpu: spent(noopBefore, noopAfter) };
  log(`  ${(count / noop.seconds).toFixed(0)} no-op workflows/s, worker ${noop.cpu.worker_cpu_seconds} CPU s`);

  const billingWorker = startWorkerProcess('billing', { temporalAddress: temporal.address, databaseUrl: postgres.appUrl });
  const billingSettings = await startWorker(billingWorker, onStop);

  // Warm-up: subscriptions starting now (they renew in a month, not here). How long they take to be
  // created and activated (the worker stores each first period) paces the lead time.
  log(`subscriptions: warm-up, ${warmup} subscriptions starting now…`);
  const warmupBefore = await snapshot(billingWorker, pids);
  await createSubscriptions(dataSource, client, fixture.tenantId, warmupAccounts, null, concurrency);
  const warmedUp = await waitForRevision(dataSource, fixture.tenantId, 1, warmup, { pollMs: POLL_MS, stallMs: STALL_MS, log, label: 'warm-up activated' });
  const warmupAfter = await snapshot(billingWorker, pids);
  const lead = leadTime(count, warmup, warmedUp, spent(warmupBefore, warmupAfter));
  const leadSeconds = options.leadSeconds ?? lead.seconds;
  const due = new Date(Math.ceil((Date.now() + leadSeconds * 1000) / 1000) * 1000);
  const startAt = startForRenewalAt(due);
  if (startAt === null) {
    throw new Error(
      `subscriptions: a monthly anniversary period cannot end on ${due.toISOString()} (the previous month has no such day); ` +
        'run the subscription benchmark on another day',
    );
  }

  // Creation: one month before the renewal instant, so every first period ends at `due`.
  log(`subscriptions: creating ${count} (start_at ${startAt.toISOString()}, renewal due ${due.toISOString()}, in ${leadSeconds} s)…`);
  const createBefore = await snapshot(billingWorker, pids);
  await createSubscriptions(dataSource, client, fixture.tenantId, accounts, startAt, concurrency);
  const createdAtMs = performance.now();
  const activated = await waitForRevision(dataSource, fixture.tenantId, 1, warmup + count, { pollMs: POLL_MS, stallMs: STALL_MS, log, label: 'activated' });
  const createAfter = await snapshot(billingWorker, pids);
  const creation = {
    seconds: seconds(createBefore.atMs, createdAtMs),
    activatedSeconds: seconds(createBefore.atMs, activated.all),
    cpu: spent(createBefore, createAfter),
  };
  log(`  ${(count / creation.seconds).toFixed(0)} subscriptions created/s; all activated after ${creation.activatedSeconds} s`);
  // Activations that finished after the instant renewed at once: the burst is then not clean, and says so.
  const timing: Array<{ on_time: string; early: string }> = await inTenantTransaction(dataSource, fixture.tenantId, (tx) =>
    tx.query(
      `SELECT count(*) FILTER (WHERE revision = 1 AND current_period_end = $2) AS on_time, count(*) FILTER (WHERE revision >= 2) AS early
         FROM subscriptions WHERE tenant_id = $1`,
      [fixture.tenantId, due],
    ),
  );
  const renewedEarly = Number(timing[0]?.early);
  if (Number(timing[0]?.on_time) + renewedEarly !== count) {
    throw new Error(`subscriptions: only ${timing[0]?.on_time} of ${count} first periods end at ${due.toISOString()}`);
  }
  const untilDue = due.getTime() - Date.now();
  const overlapped = untilDue <= 0 || renewedEarly > 0;
  if (overlapped) {
    log(`subscriptions: WARNING creation and activation ran ${(-untilDue / 1000).toFixed(1)} s past the renewal instant (${renewedEarly} renewed during activation); raise BENCH_SUBSCRIPTIONS_LEAD_SECONDS`);
  } else log(`subscriptions: waiting ${(untilDue / 1000).toFixed(1)} s for the renewal instant…`);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, untilDue)));
  // The due instant on the performance clock the milestones use.
  const dueAtMs = due.getTime() - performance.timeOrigin;
  const renewBefore = await snapshot(billingWorker, pids);
  const renewed = await waitForRevision(dataSource, fixture.tenantId, 2, count, { pollMs: POLL_MS, stallMs: STALL_MS, log, label: 'renewed' });
  const renewAfter = await snapshot(billingWorker, pids);
  const renewal = {
    seconds: seconds(dueAtMs, renewed.all),
    firstSeconds: seconds(dueAtMs, renewed.first),
    halfSeconds: seconds(dueAtMs, renewed.half),
    p90Seconds: seconds(dueAtMs, renewed.p90),
    cpu: spent(renewBefore, renewAfter),
  };
  log(`  ${(count / renewal.seconds).toFixed(0)} renewals/s, worker ${renewal.cpu.worker_cpu_seconds} CPU s`);
  const checks = await checkRenewals(dataSource, fixture.tenantId, due, count);
  if (!checks.ok) log(`subscriptions: WARNING the renewals' rows do not add up: ${JSON.stringify(checks)}`);
  const versionRows: Array<{ server_version: string }> = await dataSource.query('SHOW server_version');

  return buildSubscriptionResult({
    options, seedingSeconds, lead, leadSeconds, startAt, due, overlapped, renewedEarly, noop, creation, renewal, checks,
    workers: { billing: billingSettings, noop: noopSettings },
    temporalVersion: temporal.version,
    postgresVersion: versionRows[0]?.server_version ?? 'unknown',
  });
}
