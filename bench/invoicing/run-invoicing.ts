import type { BillRunSummary } from '../../workflows/invoicing/bill-run';
import { checkpoint } from '../metering/database';
import { perOperation, snapshot, spent, type CpuPerOperation, type CpuSpent } from '../subscriptions/measure';
import type { WorkerSettings } from '../subscriptions/protocol';
import { readBaseline, writeBaseline, type BaselineFigures, type WriteBaseline } from './baseline';
import { billRunResult, billRunTimings, startBillRun, type BillRunTimings } from './bill-run';
import { checkBillRun, type BillRunChecks } from './checks';
import { readStatements, resetStatements, type StatementSummary } from './database';
import { generateEvents, generateSamples } from './datasets';
import { invoicingEnvironment, type InvoicingEnvironment } from './environment';
import { runKillTest, type KillTestResult } from './kill-bill-run';
import { readInvoicingOptions, type InvoicingOptions } from './options';
import { lastMonth, seedInvoicingFixture } from './seed';

/**
 * The invoicing benchmark (issue 6): one bill run of the production
 * workflow over a seeded month, on embedded PostgreSQL and a Temporal dev
 * server of its own, with one billing worker process; beside what
 * PostgreSQL alone takes for the same reads and writes, in the same run.
 * `--kill` runs the kill-the-worker test instead. bench/README.md explains
 * the design and the figures.
 */
export const GOAL_SECONDS = 300;

export interface InvoicingBenchResult {
  name: string;
  options: InvoicingOptions;
  servers: { temporal: string; postgres: string };
  worker: WorkerSettings | null;
  seeding: {
    seconds: number;
    accounts: number;
    billing_accounts: number;
    children: number;
    fixed_charges: number;
    events: number;
    sample_rows: number;
    month: { from: string; to: string };
    steps: Record<string, Record<string, number>>;
  };
  bill_run: {
    as_of: string;
    invoices: number;
    invoices_per_second: number;
    accounts_per_second: number;
    timings: BillRunTimings;
    summary: Omit<BillRunSummary, 'failed'> & { failed: number; first_failures: BillRunSummary['failed'] };
    cpu: CpuSpent;
    cpu_ms_per_invoice: CpuPerOperation;
    statements: StatementSummary;
  } | null;
  baseline: (BaselineFigures & { write: WriteBaseline; total_seconds: number; ratio: number | null }) | null;
  goal: { seconds: number; meets_goal: boolean } | null;
  checks: BillRunChecks | null;
  kill_test: KillTestResult | null;
  /** Every check passed (the benchmark's, or the kill test's). */
  checks_ok: boolean;
  total_seconds: number;
}

export interface InvoicingBench {
  run(): Promise<InvoicingBenchResult>;
  stop(): Promise<void>;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export function invoicingBench(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): InvoicingBench {
  const options = readInvoicingOptions(env, argv);
  const handle = invoicingEnvironment(options.kill ? 'invoicing-kill' : 'invoicing', log);
  return {
    stop: () => handle.stop(),
    async run() {
      const started = performance.now();
      try {
        log(`invoicing: ${JSON.stringify(options)}; starting embedded PostgreSQL and a Temporal dev server…`);
        const environment = await handle.start(log);
        const postgres = (await environment.db.superuser.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v ?? 'unknown';
        const servers = { temporal: environment.temporal.version, postgres };
        if (options.kill) {
          const killTest = await runKillTest(environment, options, log);
          return {
            name: `kill the worker during bill runs (${options.accounts} accounts per run)`, options, servers, worker: null, seeding: killTest.seeding,
            bill_run: null, baseline: null, goal: null, checks: null, kill_test: killTest, checks_ok: killTest.ok,
            total_seconds: round((performance.now() - started) / 1000, 1),
          };
        }
        return await benchmark(environment, options, servers, log, started);
      } finally {
        await handle.stop();
      }
    },
  };
}

async function seedMonth(environment: InvoicingEnvironment, options: InvoicingOptions, log: (line: string) => void) {
  const { db } = environment;
  const month = lastMonth(new Date());
  const seedStarted = performance.now();
  const fixture = await seedInvoicingFixture(db.dataSource, { accounts: options.accounts, month, slug: 'bench-invoicing', percentile: options.percentile });
  const steps: Record<string, Record<string, number>> = { rows: { seconds: round((performance.now() - seedStarted) / 1000) } };
  log(`invoicing: seeded ${fixture.accountIds.length} accounts (${fixture.billingAccountIds.length} billing), subscriptions and fixed charges in ${steps.rows!.seconds} s`);
  const owners = fixture.accountIds.map((accountId, i) => ({ tenantId: fixture.tenantId, accountId, subscriptionId: fixture.subscriptionIds[i]! }));
  steps.events = await generateEvents(db, { owners, events: options.events, month, rebuildIndex: true });
  log(`invoicing: ${options.events} events in ${JSON.stringify(steps.events)}`);
  if (options.percentile) {
    steps.samples = await generateSamples(db, { owners, month });
    log(`invoicing: samples for ${owners.length} ports in ${JSON.stringify(steps.samples)}`);
  }
  await checkpoint(db);
  const days = Math.round((month.to.getTime() - month.from.getTime()) / 86_400_000);
  return {
    fixture,
    seeding: {
      seconds: round((performance.now() - seedStarted) / 1000),
      accounts: fixture.accountIds.length,
      billing_accounts: fixture.billingAccountIds.length,
      children: fixture.accountIds.length - fixture.billingAccountIds.length,
      fixed_charges: fixture.accountIds.length * 3,
      events: options.events,
      sample_rows: options.percentile ? owners.length * days : 0,
      month: { from: month.from.toISOString(), to: month.to.toISOString() },
      steps,
    },
  };
}

async function benchmark(
  environment: InvoicingEnvironment,
  options: InvoicingOptions,
  servers: InvoicingBenchResult['servers'],
  log: (line: string) => void,
  started: number,
): Promise<InvoicingBenchResult> {
  const { db, client, pids } = environment;
  const { fixture, seeding } = await seedMonth(environment, options, log);
  const billDate = fixture.month.to;

  log('invoicing: baseline, the bare GROUP BY over the month and the bare 95th…');
  const reads = await readBaseline(db, fixture, options.percentile);
  log(`  aggregation ${reads.aggregation_seconds} s (${reads.aggregation_groups} groups), percentile ${reads.percentile_seconds ?? '-'} s`);

  const worker = await environment.startWorker();
  const settings = await worker.ready;
  await resetStatements(db);
  log(`invoicing: bill run for ${fixture.billingAccountIds.length} billing accounts as of ${billDate.toISOString()}…`);
  const before = await snapshot(worker, pids);
  const handle = await startBillRun(client, fixture.tenantId, billDate);
  const progress = setInterval(() => {
    void db.superuser
      .query<{ drafts: string; final: string }>(`SELECT count(*) FILTER (WHERE status = 'draft') AS drafts, count(*) FILTER (WHERE number IS NOT NULL) AS final FROM invoices WHERE tenant_id = $1`, [fixture.tenantId])
      .then((r) => log(`  ${round((performance.now() - before.atMs) / 1000, 0)} s: ${r.rows[0]?.drafts} drafts, ${r.rows[0]?.final} finalised`), () => undefined);
  }, 15_000);
  let summary: BillRunSummary;
  try {
    summary = await billRunResult(handle);
  } finally {
    clearInterval(progress);
  }
  const after = await snapshot(worker, pids);
  const statements = await readStatements(db);
  const timings = await billRunTimings(handle);
  await worker.stop();
  const invoices = summary.finalized + summary.skipped;
  log(`  ${timings.seconds} s (drafting ${timings.drafting_seconds} s, finalising ${timings.finalising_seconds} s): ${round(invoices / timings.seconds)} invoices/s`);

  const checks = await checkBillRun(db, fixture, billDate);
  log(`invoicing: checks ${checks.ok ? 'passed' : `FAILED: ${JSON.stringify(checks)}`}`);
  // A failure here must not lose the run's figures.
  const write = await writeBaseline(db, fixture.tenantId).catch((error: unknown) => {
    log(`invoicing: the write baseline failed: ${String(error)}`);
    return { seconds: 0, invoices: 0, lines: 0, claims: 0 };
  });
  const baselineTotal = round(reads.aggregation_seconds + (reads.percentile_seconds ?? 0) + write.seconds);
  log(`  bare write of ${write.invoices} invoices, ${write.lines} lines, ${write.claims} claims: ${write.seconds} s`);
  const { failed, ...rest } = summary;
  return {
    name: `bill run: ${options.accounts} accounts, 3 fixed + 5 usage charges each, ${options.events} events (Temporal dev server)`,
    options,
    servers,
    worker: settings,
    seeding,
    bill_run: {
      as_of: billDate.toISOString(),
      invoices,
      invoices_per_second: round(invoices / timings.seconds),
      accounts_per_second: round(fixture.accountIds.length / timings.seconds),
      timings,
      summary: { ...rest, failed: failed.length, first_failures: failed.slice(0, 5) },
      cpu: spent(before, after),
      cpu_ms_per_invoice: perOperation(spent(before, after), Math.max(1, invoices)),
      statements,
    },
    baseline: { ...reads, write, total_seconds: baselineTotal, ratio: baselineTotal > 0 ? round(timings.seconds / baselineTotal, 1) : null },
    goal: { seconds: GOAL_SECONDS, meets_goal: timings.seconds < GOAL_SECONDS },
    checks,
    kill_test: null,
    checks_ok: checks.ok && failed.length === 0,
    total_seconds: round((performance.now() - started) / 1000, 1),
  };
}
