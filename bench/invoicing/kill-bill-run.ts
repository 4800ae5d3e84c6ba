import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { billRunWorkflowId, type BillRunSummary } from '../../workflows/invoicing/bill-run';
import type { WorkerProcess } from '../subscriptions/worker-process';
import { billRunResult, billRunTimings, startBillRun } from './bill-run';
import { checkBillRun, type BillRunChecks } from './checks';
import { generateEvents, generateSamples } from './datasets';
import type { InvoicingEnvironment } from './environment';
import type { InvoicingOptions } from './options';
import { lastMonth, seedInvoicingFixture, type InvoicingFixture } from './seed';

/**
 * Kill the worker at random points of a bill run (issue 6, "Done means"):
 * `killRuns` tenants, each with its own seeded month (a third of the
 * accounts children, 3 fixed and 5 usage charges each, grace period 0), are
 * billed one after the other by the production bill-run workflow while
 * this process SIGKILLs the billing worker over and over and starts a new
 * one. Kill points are uniform over the run's progress: before each run,
 * sorted targets are drawn uniformly in [0, 1) of the run's work (drafts
 * made + invoices finalised over twice the billing accounts, read every
 * 20 ms), and the worker is killed a random 0–250 ms after progress reaches
 * the next target, so kills land inside transactions, between them, in
 * listing activities and in workflow tasks. Afterwards every run is
 * checked like the benchmark (checks.ts): one invoice per billing account,
 * every charge on exactly one invoice, 8 lines per account, gapless
 * numbers, totals equal to lines.
 *
 * A killed worker's running activities are only retried once Temporal
 * declares them lost: after the workflow's heartbeat timeout of 2 minutes.
 * The workflow input has no way to shorten it, so after each restart this
 * test shortens the heartbeat timeout of the activities the dead worker was
 * running to 3 s with Temporal's UpdateActivityOptions (what an operator
 * would do with `temporal activity update-options`) and restores it once
 * each has been retried; recovery is the same code path, only sooner.
 * Where the server refuses, the test waits the full timeouts.
 */
export interface KillRun {
  tenant_id: string;
  accounts: number;
  billing_accounts: number;
  kills: number;
  /** Seconds since the run started and the progress (0–1) when each SIGKILL was sent. */
  kill_points: Array<{ at_seconds: number; progress: number }>;
  seconds: number;
  /** Activities that needed more than one attempt, from the run's history (a killed attempt is retried). */
  retried_activities: number;
  summary: Omit<BillRunSummary, 'failed'> & { failed: number };
  checks: BillRunChecks;
}

export interface KillTestResult {
  runs: KillRun[];
  kills: number;
  /** How a killed worker's activities were recovered: `update_activity_options` (3 s heartbeat timeout until retried) or `heartbeat_timeout` (the workflow's 2 minutes). */
  recovery: 'update_activity_options' | 'heartbeat_timeout';
  seeding: { seconds: number; accounts: number; billing_accounts: number; children: number; fixed_charges: number; events: number; sample_rows: number; month: { from: string; to: string }; steps: Record<string, Record<string, number>> };
  ok: boolean;
}

const SHORT_HEARTBEAT_SECONDS = 3;
const POLL_MS = 20;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function progressOf(environment: InvoicingEnvironment, fixture: InvoicingFixture): Promise<number> {
  const row = (
    await environment.db.superuser.query<{ made: string; final: string }>(
      `SELECT count(*) AS made, count(*) FILTER (WHERE number IS NOT NULL) AS final FROM invoices WHERE tenant_id = $1`,
      [fixture.tenantId],
    )
  ).rows[0]!;
  return (Number(row.made) + Number(row.final)) / (2 * fixture.billingAccountIds.length);
}

/** The run's activities that were running (on the worker just killed) and their attempt numbers. */
async function runningActivities(client: Client, workflowId: string): Promise<Map<string, number>> {
  const described = await client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
  const started = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
  return new Map((described.pendingActivities ?? []).filter((a) => a.state === started).map((a) => [a.activityId ?? '', a.attempt ?? 1]));
}

/**
 * Makes Temporal give up on the killed worker's activities in seconds: their heartbeat timeout is
 * shortened, and restored (restoreOriginal) as soon as each has moved on to its next attempt, because
 * the worker keeps heartbeating at the pace of the original timeout (the SDK throttles to 80 % of the
 * timeout it was given), so an attempt that started under the short one would time out again.
 * False when the server refuses the API.
 */
async function recoverSooner(client: Client, workflowId: string, lost: Map<string, number>, restart: () => Promise<void>): Promise<boolean> {
  const update = async (id: string, options: { short: boolean }) => {
    try {
      await client.workflowService.updateActivityOptions({
        namespace: 'default', execution: { workflowId }, identity: 'bench-kill-test', id,
        ...(options.short
          ? { activityOptions: { heartbeatTimeout: msToTs(SHORT_HEARTBEAT_SECONDS * 1000) }, updateMask: { paths: ['heartbeat_timeout'] } }
          : { restoreOriginal: true }),
      });
      return true;
    } catch (error) {
      // Completed or failed meanwhile: nothing to hurry.
      if (/not find pending activity|already completed|not found/i.test(String(error))) return true;
      throw error;
    }
  };
  try {
    for (const id of lost.keys()) await update(id, { short: true });
  } catch {
    await restart();
    return false;
  }
  await restart();
  const waiting = new Map(lost);
  while (waiting.size > 0) {
    const pending = await client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
    for (const [id, attempt] of waiting) {
      const now = (pending.pendingActivities ?? []).find((a) => a.activityId === id);
      if (now && (now.attempt ?? 1) <= attempt) continue;
      if (now) await update(id, { short: false });
      waiting.delete(id);
    }
    if (waiting.size > 0) await sleep(100);
  }
  return true;
}

async function killRun(
  environment: InvoicingEnvironment,
  fixture: InvoicingFixture,
  kills: number,
  log: (line: string) => void,
  recovery: { usable: boolean },
): Promise<KillRun> {
  const billDate = fixture.month.to;
  const targets = Array.from({ length: kills }, () => Math.random()).sort((a, b) => a - b);
  let worker: WorkerProcess = await environment.startWorker();
  const started = performance.now();
  const handle: WorkflowHandle = await startBillRun(environment.client, fixture.tenantId, billDate);
  const workflowId = billRunWorkflowId(fixture.tenantId, billDate.toISOString());
  let done = false;
  const result = billRunResult(handle).finally(() => {
    done = true;
  });
  const points: KillRun['kill_points'] = [];
  for (const target of targets) {
    while (!done && (await progressOf(environment, fixture)) < target) await sleep(POLL_MS);
    if (done) break;
    await sleep(Math.random() * 250);
    if (done) break;
    const progress = await progressOf(environment, fixture);
    process.kill(worker.pid!, 'SIGKILL');
    await worker.stop();
    points.push({ at_seconds: round((performance.now() - started) / 1000), progress: round(progress, 3) });
    const restart = async () => {
      worker = await environment.startWorker();
    };
    if (done) await restart();
    else if (recovery.usable) recovery.usable = await recoverSooner(environment.client, workflowId, await runningActivities(environment.client, workflowId), restart);
    else await restart();
  }
  const summary = await result;
  const seconds = round((performance.now() - started) / 1000);
  await worker.stop();
  const checks = await checkBillRun(environment.db, fixture, billDate);
  const retried = Object.values((await billRunTimings(handle)).activities).reduce((sum, a) => sum + a.retried, 0);
  const { failed, ...rest } = summary;
  log(`  run ${fixture.tenantId}: ${points.length} kills in ${seconds} s; checks ${checks.ok ? 'passed' : `FAILED ${JSON.stringify(checks)}`}`);
  return {
    tenant_id: fixture.tenantId,
    accounts: fixture.accountIds.length,
    billing_accounts: fixture.billingAccountIds.length,
    kills: points.length,
    kill_points: points,
    seconds,
    retried_activities: retried,
    summary: { ...rest, failed: failed.length },
    checks,
  };
}

export async function runKillTest(environment: InvoicingEnvironment, options: InvoicingOptions, log: (line: string) => void): Promise<KillTestResult> {
  const month = lastMonth(new Date());
  const seedStarted = performance.now();
  const fixtures: InvoicingFixture[] = [];
  // One tenant per run, one month of usage for all of them at once; a few spare tenants in case kills land after a run's end.
  const tenants = options.killRuns + Math.max(2, Math.ceil(options.killRuns / 2));
  for (let r = 0; r < tenants; r++) {
    fixtures.push(await seedInvoicingFixture(environment.db.dataSource, { accounts: options.accounts, month, slug: `bench-kill-${r}`, percentile: options.percentile }));
  }
  const owners = fixtures.flatMap((f) => f.accountIds.map((accountId, i) => ({ tenantId: f.tenantId, accountId, subscriptionId: f.subscriptionIds[i]! })));
  const steps: Record<string, Record<string, number>> = {};
  steps.events = await generateEvents(environment.db, { owners, events: options.events * tenants, month, rebuildIndex: true });
  if (options.percentile) steps.samples = await generateSamples(environment.db, { owners, month });
  const days = Math.round((month.to.getTime() - month.from.getTime()) / 86_400_000);
  const first = fixtures[0]!;
  const seeding = {
    seconds: round((performance.now() - seedStarted) / 1000),
    accounts: owners.length,
    billing_accounts: fixtures.reduce((sum, f) => sum + f.billingAccountIds.length, 0),
    children: owners.length - fixtures.reduce((sum, f) => sum + f.billingAccountIds.length, 0),
    fixed_charges: owners.length * 3,
    events: options.events * tenants,
    sample_rows: options.percentile ? owners.length * days : 0,
    month: { from: month.from.toISOString(), to: month.to.toISOString() },
    steps,
  };
  log(`invoicing kill test: ${tenants} tenants of ${first.accountIds.length} accounts seeded in ${seeding.seconds} s; ${options.kills} kills over ${options.killRuns} runs`);

  const recovery = { usable: true };
  const runs: KillRun[] = [];
  let killed = 0;
  for (const fixture of fixtures) {
    if (killed >= options.kills) break;
    const planned = Math.ceil((options.kills - killed) / Math.max(1, options.killRuns - runs.length));
    const run = await killRun(environment, fixture, planned, log, recovery);
    runs.push(run);
    killed += run.kills;
  }
  const ok = killed >= options.kills && runs.every((r) => r.checks.ok && r.summary.failed === 0);
  if (killed < options.kills) log(`invoicing kill test: only ${killed} of ${options.kills} kills landed before the runs ended`);
  return { runs, kills: killed, recovery: recovery.usable ? 'update_activity_options' : 'heartbeat_timeout', seeding, ok };
}

/**
 * `node dist/bench/invoicing/kill-bill-run.js [--accounts N] [--kills N] [--kill-runs N]`: the kill test alone,
 * the same as `npm run bench -- invoicing --kill`; the JSON result on stdout, exit code 1 when a check failed.
 */
if (require.main === module) {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  void (async () => {
    // Required here, not at the top: run-invoicing imports this module.
    const { invoicingBench } = require('./run-invoicing') as typeof import('./run-invoicing');
    const bench = invoicingBench(log, process.env, ['--kill', ...process.argv.slice(2)]);
    process.once('SIGINT', () => void bench.stop().finally(() => process.exit(130)));
    const result = await bench.run();
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exit(result.checks_ok ? 0 : 1);
  })().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
