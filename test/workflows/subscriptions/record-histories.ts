import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { subscriptionWorkflowId } from '../../../workflows/subscription/definitions';
import { historyToJson } from '../../support/history-json';
import { createAccount, seedSubscriptionCatalog, useSubscriptionHarness } from '../../support/subscription-harness';

/**
 * Records the histories replay.test.ts replays: representative subscription
 * timelines on the time-skipping harness, every run of each workflow
 * (continue-as-new starts a new run per period) written as JSON. Not a test
 * (its name does not end in .test.ts, so `npm test` never runs or skips it);
 * run it on purpose, see docs/subscriptions.md "Replay fixtures":
 *
 *   HISTORY_SET=<name> npx jest --testMatch '<rootDir>/test/workflows/subscriptions/record-histories.ts'
 *
 * Each recording is a new set (histories/<set>/); an existing set is never
 * overwritten, because old histories are the point: they are what running
 * subscriptions were started with.
 */
const SET = process.env.HISTORY_SET ?? `recorded-${new Date().toISOString().slice(0, 10)}`;
const DIR = path.join(__dirname, 'histories', SET);
const manifest: { set: string; recordedAt: string; gitCommit: string; uncommittedChanges: string[]; timelines: Record<string, string[]> } = {
  set: SET, recordedAt: new Date().toISOString(), gitCommit: git('rev-parse', 'HEAD'),
  // Files the workflow bundle may draw on that differ from that commit when recording.
  uncommittedChanges: git('status', '--porcelain', '--', 'workflows', 'domain', 'lib/temporal').split('\n').filter(Boolean),
  timelines: {},
};

const h = useSubscriptionHarness('sub-histories', { startAt: '2043-01-01T00:00:00.000Z', prorationUnit: 'day' });

beforeAll(async () => {
  if (existsSync(DIR)) throw new Error(`${DIR} exists: old histories are kept, record a new set (HISTORY_SET=<name>)`);
  await seedSubscriptionCatalog(h);
}, 60_000);

afterAll(async () => {
  if (Object.keys(manifest.timelines).length > 0) await writeFile(path.join(DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
});

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' }).trimEnd();
}

async function subscribe(body: Record<string, unknown>): Promise<string> {
  const account = await createAccount(h);
  const res = await h.req('POST', '/v1/subscriptions', { account_id: account, ...body });
  if (res.status !== 201) throw new Error(res.text);
  await h.settle();
  return (res.body as { id: string }).id;
}

async function ok(id: string, action: string, body: unknown = {}): Promise<void> {
  const res = await h.req('POST', `/v1/subscriptions/${id}/${action}`, body);
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${res.text}`);
  await h.settle();
}

/** Every run of the subscription's workflow, oldest first, walking back through continue-as-new (the test server has no visibility queries). */
async function runsOf(subscriptionId: string): Promise<temporal.api.history.v1.IHistory[]> {
  const workflowId = subscriptionWorkflowId(h.tenant.id, subscriptionId);
  const runs: temporal.api.history.v1.IHistory[] = [];
  let runId: string | undefined = (await h.env.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await h.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.unshift(history);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

async function record(timeline: string, subscriptionId: string): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const files: string[] = [];
  for (const [index, history] of (await runsOf(subscriptionId)).entries()) {
    const file = `${timeline}.run-${index + 1}.json`;
    await writeFile(path.join(DIR, file), `${historyToJson(history)}\n`);
    files.push(file);
  }
  manifest.timelines[timeline] = files;
}

it('trial-conversion-renewals: warned, converted, renewed twice', async () => {
  const id = await subscribe({ plan: 'cabinet-full', billing_anchor: 'anniversary', trial_days: 14 });
  for (const at of ['2043-01-12', '2043-01-15', '2043-02-15', '2043-03-15']) await h.advanceTo(`${at}T00:00:00.000Z`);
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.trial_started', 'subscription.trial_will_end',
    'subscription.trial_converted', 'subscription.renewed', 'subscription.renewed',
  ]);
  await record('trial-conversion-renewals', id);
}, 120_000);

it('changes: upgrade now, an add-on at a set time, downgrade at period end', async () => {
  const id = await subscribe({ plan: 'cabinet-half', billing_anchor: 'anniversary' });
  await h.advanceTo('2043-03-25T00:00:00.000Z');
  await ok(id, 'change', { plan: 'cabinet-full' });
  await ok(id, 'change', { add_addons: [{ code: 'cross-connect' }], effective: '2043-04-01T00:00:00.000Z' });
  await ok(id, 'change', { plan: 'cabinet-half', effective: 'period_end' });
  for (const at of ['2043-04-01', '2043-04-15']) await h.advanceTo(`${at}T00:00:00.000Z`);
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.changed', 'subscription.change_scheduled',
    'subscription.change_scheduled', 'subscription.changed', 'subscription.renewed', 'subscription.changed',
  ]);
  await record('changes', id);
}, 120_000);

it('pause-resume: paused and resumed by request, then paused until a date', async () => {
  const id = await subscribe({ plan: 'cabinet-full', billing_anchor: 'anniversary' });
  await h.advanceTo('2043-04-20T00:00:00.000Z');
  await ok(id, 'pause');
  await h.advanceTo('2043-05-01T00:00:00.000Z');
  await ok(id, 'resume');
  await h.advanceTo('2043-05-05T00:00:00.000Z');
  await ok(id, 'pause', { resume_at: '2043-05-20T00:00:00.000Z' });
  await h.advanceTo('2043-05-20T00:00:00.000Z');
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.paused', 'subscription.resumed', 'subscription.paused', 'subscription.resumed',
  ]);
  await record('pause-resume', id);
}, 120_000);

it('cancel-at-period-end: billed to the end of the period, then canceled', async () => {
  const id = await subscribe({ plan: 'cabinet-full', billing_anchor: 'anniversary' });
  await h.advanceTo('2043-05-25T00:00:00.000Z');
  await ok(id, 'cancel', { effective: 'period_end' });
  await h.advanceTo('2043-06-20T00:00:00.000Z');
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.cancellation_scheduled', 'subscription.period_closed', 'subscription.canceled',
  ]);
  await record('cancel-at-period-end', id);
}, 120_000);

it('activation-after-provisioning: waits for the provisioning callback, bills from the reported time', async () => {
  const id = await subscribe({ plan: 'cabinet-full', requires_provisioning: true });
  await h.advanceTo('2043-06-23T00:00:00.000Z');
  await ok(id, 'activate', { activated_at: '2043-06-22T09:30:00.000Z' });
  expect(await h.events(id)).toEqual(['subscription.created', 'subscription.activated']);
  await record('activation-after-provisioning', id);
}, 120_000);

it('suspend-reinstate-cancel-now: service cut off and restored, then canceled with a credit', async () => {
  const id = await subscribe({ plan: 'cabinet-full', billing_anchor: 'anniversary' });
  await h.advanceTo('2043-06-25T00:00:00.000Z');
  await ok(id, 'suspend', { reason: 'unpaid' });
  await h.advanceTo('2043-06-27T00:00:00.000Z');
  await ok(id, 'reinstate');
  await h.advanceTo('2043-07-05T00:00:00.000Z');
  await ok(id, 'cancel', { effective: 'now' });
  expect(await h.events(id)).toEqual([
    'subscription.created', 'subscription.activated', 'subscription.suspended', 'subscription.reinstated', 'subscription.canceled',
  ]);
  await record('suspend-reinstate-cancel-now', id);
}, 120_000);
