import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { TASK_QUEUES } from '../../../lib/temporal/task-queues';
import { wakeBillingScheduler } from '../../../services/invoicing/billing-wake';
import { billingSchedulerStatus, billRunWorkflowId, BILLING_SCHEDULER_WORKFLOW_ID, type BillingSchedulerStatus } from '../../../workflows/invoicing/definitions';
import { historyToJson } from '../../support/history-json';
import { seedInvoicingTimelineCatalog } from '../../support/invoicing-timeline';
import { createAccount, useSubscriptionHarness } from '../../support/subscription-harness';

/**
 * Records the histories replay.test.ts replays: the billing scheduler and
 * the bill runs it starts over two months of master billing on the
 * time-skipping harness, written as JSON (every run of the scheduler — it
 * continues as new every 3 ticks here — and every bill-run child), plus one
 * bill run started by hand with small pages and batches, so the cursors and
 * the batching are in a history too. The subscriptions renew on the 20th,
 * not on the bill dates (the 1st): a bill run at the very instant of a
 * renewal may run before the renewal records its charge, and a recording
 * must not depend on which comes first. Not a test (its name does not end in
 * .test.ts, so `npm test` never runs or skips it); run it on purpose, see
 * docs/invoicing.md "Bill runs":
 *
 *   HISTORY_SET=<name> npx jest --testMatch '<rootDir>/test/workflows/invoicing/record-histories.ts'
 *
 * Each recording is a new set (histories/<set>/); an existing set is never
 * overwritten: old histories are what running schedulers and bill runs
 * were started with.
 */
type History = temporal.api.history.v1.IHistory;
const SET = process.env.HISTORY_SET ?? `recorded-${new Date().toISOString().slice(0, 10)}`;
const DIR = path.join(__dirname, 'histories', SET);
const manifest: { set: string; recordedAt: string; gitCommit: string; uncommittedChanges: string[]; timelines: Record<string, string[]> } = {
  set: SET, recordedAt: new Date().toISOString(), gitCommit: git('rev-parse', 'HEAD'),
  // Files the workflow bundle may draw on that differ from that commit when recording.
  uncommittedChanges: git('status', '--porcelain', '--', 'workflows', 'domain', 'lib/temporal').split('\n').filter(Boolean),
  timelines: {},
};

const h = useSubscriptionHarness('invoicing-histories', { startAt: '2045-02-20T00:00:00.000Z', prorationUnit: 'day' });
const MBPS = 1_000_000;
let parent = '';
let alone = '';

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' }).trimEnd();
}

async function ok(method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await h.req(method, url, body);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${res.text}`);
  return res.body as Record<string, unknown>;
}

async function invoiceStatuses(): Promise<Record<string, number>> {
  const rows = await h.db.asSuperuser(async (c) => (await c.query(`SELECT status, count(*)::int AS n FROM invoices GROUP BY 1 ORDER BY 1`)).rows);
  return Object.fromEntries(rows.map((r: { status: string; n: number }) => [r.status, r.n]));
}

/** Waits until the scheduler has done `ticks` ticks in all (across continue-as-new) and sleeps past now. */
async function schedulerAt(ticks: number): Promise<BillingSchedulerStatus> {
  const handle = h.env.client.workflow.getHandle(BILLING_SCHEDULER_WORKFLOW_ID);
  for (let i = 0; i < 300; i++) {
    // A query between two runs of the scheduler fails: try again.
    const status = await handle.query(billingSchedulerStatus).catch(() => null);
    if (status && status.ticks >= ticks && status.nextWakeAt && Date.parse(status.nextWakeAt) > h.now().getTime()) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the billing scheduler did not reach tick ${ticks}`);
}

/** Every run of a workflow, oldest first, walking back through continue-as-new (the test server has no visibility queries). */
async function runsOf(workflowId: string): Promise<History[]> {
  const runs: History[] = [];
  let runId: string | undefined = (await h.env.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await h.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.unshift(history);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

async function write(timeline: string, file: string, history: History): Promise<void> {
  await mkdir(DIR, { recursive: true });
  await writeFile(path.join(DIR, file), `${historyToJson(history)}\n`);
  (manifest.timelines[timeline] ??= []).push(file);
}

beforeAll(async () => {
  if (existsSync(DIR)) throw new Error(`${DIR} exists: old histories are kept, record a new set (HISTORY_SET=<name>)`);
  await seedInvoicingTimelineCatalog(h, '2045-01-01T00:00:00Z');

  // Four billing accounts: a parent billing two children, a child billing alone, two more customers.
  const address = { line1: '1 Broadway', city: 'New York', region: 'NY', postal_code: '10004', country: 'US' };
  parent = await createAccount(h, { name: 'Northwind Holdings', external_id: 'nw', billing_address: address, payment_terms: { type: 'net', days: 30 } });
  const east = await createAccount(h, { name: 'Northwind East', parent_id: parent, bill_to_parent: true, billing_address: address });
  const west = await createAccount(h, { name: 'Northwind West', parent_id: parent, bill_to_parent: true, billing_address: address });
  alone = await createAccount(h, { name: 'Northwind Labs', parent_id: parent, bill_to_parent: false, billing_address: address });
  const others = [await createAccount(h, { name: 'Contoso', billing_address: address }), await createAccount(h, { name: 'Fabrikam', billing_address: address })];
  const subscribe = (account: string, body: Record<string, unknown>) => ok('POST', '/v1/subscriptions', { account_id: account, billing_anchor: 'anniversary', ...body });
  await subscribe(parent, { plan: 'colo-transit' });
  await subscribe(east, { plan: 'cabinet-half' });
  await subscribe(west, { plan: 'cabinet-full', coupon: 'ten-off' });
  await subscribe(alone, { plan: 'cabinet-half' });
  for (const other of others) await subscribe(other, { plan: 'cabinet-full' });
  await h.settle();
}, 120_000);

afterAll(async () => {
  if (Object.keys(manifest.timelines).length > 0) await writeFile(path.join(DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
});

it('paged-bill-run: drafts four billing accounts in pages of 3 and batches of 2, two at a time', async () => {
  await h.advanceTo('2045-03-01T00:00:00.000Z');
  const asOf = h.now().toISOString();
  const workflowId = billRunWorkflowId(h.tenant.id, asOf);
  // Started and watched without handle.result(): the test client would unlock time skipping while waiting.
  const handle = await h.env.client.workflow.start('billRunWorkflow', {
    workflowId, taskQueue: TASK_QUEUES.billing, args: [{ tenantId: h.tenant.id, asOf, pageSize: 3, batchSize: 2, parallelBatches: 2 }],
  });
  for (let i = 0; i < 300 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 100));
  expect((await handle.describe()).status.name).toBe('COMPLETED');
  expect(await invoiceStatuses()).toEqual({ draft: 4 });
  await write('paged-bill-run', 'paged-bill-run.json', await handle.fetchHistory());
}, 120_000);

// Continues from the drafts the paged run left: the two timelines run in this order, together.
it('scheduler: bill dates, grace ends and a wake over two months, continuing as new every 3 ticks', async () => {
  // Woken by bill dates and grace ends only (no daily tick), like master-billing.test.ts.
  await h.env.client.workflow.start('billingSchedulerWorkflow', {
    workflowId: BILLING_SCHEDULER_WORKFLOW_ID, taskQueue: TASK_QUEUES.billing, args: [{ ticksPerRun: 3, maxSleepHours: 24 * 31 }],
  });
  await schedulerAt(1); // March 1: drafted already by the paged run, nothing to do.

  // Labs' draft is held past its grace; the others finalise at the grace end (24 h).
  const labs = (await ok('GET', `/v1/invoices?account_id=${alone}`)) as { data: Array<{ id: string }> };
  await ok('PATCH', `/v1/invoices/${labs.data[0]!.id}`, { auto_finalize: false });
  await h.advanceTo('2045-03-02T00:00:00.000Z');
  await schedulerAt(2);
  expect(await invoiceStatuses()).toEqual({ draft: 1, open: 3 });

  // March 5: released again, and the scheduler woken to finalise it now (its next wake is April 1).
  await h.advanceTo('2045-03-05T00:00:00.000Z');
  await ok('PATCH', `/v1/invoices/${labs.data[0]!.id}`, { auto_finalize: true });
  expect(await wakeBillingScheduler(h.env.client)).toBe(true);
  await schedulerAt(3);
  expect(await invoiceStatuses()).toEqual({ open: 4 });

  // Transit for the parent: 20 samples of 10..200 Mbps on March 10, rated at the March 20 renewal, billed on April 1.
  await h.advanceTo('2045-03-15T00:00:00.000Z');
  const samples = Array.from({ length: 20 }, (_, k) => ({
    id: `s-${k}`, customer: 'nw', code: 'port_sample', timestamp: new Date(Date.UTC(2045, 2, 10, 0, 5 * k)).toISOString(),
    properties: { port: 'xe-0/0/1', bps: { in: 10 * (k + 1) * MBPS, out: MBPS } },
  }));
  await ok('POST', '/v1/events/batch', { events: samples });
  await h.advanceTo('2045-03-21T00:00:00.000Z');

  // April 1: the third tick's sleep ends, the scheduler continues as new, and the new run's first tick drafts.
  await h.advanceTo('2045-04-01T00:00:00.000Z');
  const drafting = await schedulerAt(4);
  expect(drafting.lastRuns.map((r) => [r.drafted, r.finalized])).toEqual([[4, 0]]);
  await h.advanceTo('2045-04-02T00:00:00.000Z');
  await schedulerAt(5);
  expect(await invoiceStatuses()).toEqual({ open: 8 });
  const parentInvoices = (await ok('GET', `/v1/invoices?account_id=${parent}`)) as { data: Array<{ id: string; bill_date: string }> };
  const april = parentInvoices.data.find((i) => i.bill_date === '2045-04-01T00:00:00.000Z')!;
  const lines = ((await ok('GET', `/v1/invoices/${april.id}`)) as { groups: Array<{ lines: Array<{ kind: string; amount: string }> }> }).groups.flatMap((g) => g.lines);
  // 95th percentile of 20 samples: 190 Mbps → 100 × 1.00 + 90 × 2.00.
  expect(lines.filter((l) => l.kind === 'usage').map((l) => l.amount)).toEqual(['280.00']);

  const runs = await runsOf(BILLING_SCHEDULER_WORKFLOW_ID);
  expect(runs).toHaveLength(2);
  for (const [index, history] of runs.entries()) await write('scheduler', `scheduler.run-${index + 1}.json`, history);
  const children = runs.flatMap((run) => (run.events ?? []).flatMap((e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution ?? []));
  expect(children).toHaveLength(5);
  for (const child of children) {
    const history = await h.env.client.workflow.getHandle(child.workflowId!, child.runId!).fetchHistory();
    const asOf = child.workflowId!.split(':').slice(2).join(':');
    await write('scheduler', `bill-run.${asOf.replaceAll(':', '-')}.json`, history);
  }
}, 300_000);
