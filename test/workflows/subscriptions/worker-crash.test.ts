import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { firstPeriod, INTERVAL_MONTHS, type BillingInterval } from '../../../domain/periods/billing-cycle';
import { fixedTemporalClient } from '../../../lib/temporal/connection';
import { ensureSearchAttributes } from '../../../lib/temporal/search-attribute-registration';
import { subscriptionState, subscriptionWorkflowId } from '../../../workflows/subscription/definitions';
import {
  startWorkerProcess, writeWorkflowBundle, type CrashPoint, type CrashReport, type CrashingWorkerConfig, type WorkerProcess,
} from '../../support/crashing-worker-process';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestApi, type TestApi } from '../../support/http';
import { devServerEnvironment } from '../../support/temporal';
import { createTestTenant, type TestTenant } from '../../support/tenants';

/**
 * "A worker killed mid-renewal and restarted records each charge once."
 * Real parts throughout: the Temporal dev server (real time), PostgreSQL,
 * and a billing worker in a child process that kills itself (SIGKILL) while
 * recording a renewal. A subscription is backdated so that its first period
 * ends seconds after creation; the renewal then runs on the crashing
 * worker, a fresh worker takes the retried activity, and the stored charges,
 * transitions and outbox events must each exist exactly once.
 *
 * Temporal notices a dead worker only when the attempt's start-to-close
 * timeout (1 minute) passes. Rather than wait a minute per case, the test
 * shortens that timeout on the orphaned attempt through the server's
 * UpdateActivityOptions call: the server then times the attempt out and
 * retries it exactly as it would after the minute.
 */
const NAMESPACE = 'default';
const PRICE = '1200.00';
const STEP_ACTIVITY = 'recordSubscriptionStep';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let api: TestApi;
let tenant: TestTenant;
let accountId: string;
let dir: string;
let bundlePath: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rackrate-worker-crash-'));
  [env, db, bundlePath] = await Promise.all([devServerEnvironment(), createTestDatabase(), writeWorkflowBundle(dir)]);
  await ensureSearchAttributes(env.connection, NAMESPACE);
  api = await startTestApi(db.dataSource, { temporal: fixedTemporalClient(env.client) });
  tenant = await createTestTenant(db.dataSource, 'worker-crash');
  await post('/v1/products', { code: 'cabinet', name: 'Full cabinet' });
  for (const interval of ['month', 'year'] as const) {
    await post('/v1/plans', {
      code: `rack-${interval}`, name: `Rack billed every ${interval}`,
      definition: {
        billing_interval: interval, currencies: ['USD'],
        charges: [{ key: 'rack', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'per_unit', unit_price: PRICE } } }],
      },
    });
  }
  accountId = (await post('/v1/accounts', { name: 'Customer', currency: 'USD', timezone: 'UTC' })).id;
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await api?.close();
  await env?.teardown();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function post(urlPath: string, body: unknown): Promise<{ id: string }> {
  const res = await api.request('POST', urlPath, { key: tenant.adminKey, body });
  if (res.status !== 201) throw new Error(`${urlPath}: ${res.status} ${res.text}`);
  return res.body as { id: string };
}

function startWorker(crash?: CrashingWorkerConfig['crash']): WorkerProcess {
  const worker = startWorkerProcess({
    temporalAddress: env.address, namespace: NAMESPACE, databaseUrl: db.url, workflowBundlePath: bundlePath, ...(crash ? { crash } : {}),
  });
  workers.push(worker);
  return worker;
}

/**
 * A start such that the first anniversary period ends exactly at `end`. A
 * monthly plan does unless `end` falls on a day the previous month lacks
 * (the 29th to 31st); then a yearly plan does (Feb 29 is always reachable
 * monthly). The domain's own period arithmetic decides, so the case never
 * depends on the day the test runs.
 */
function backdatedStart(end: Date): { plan: string; interval: BillingInterval; startAt: Date } {
  for (const interval of ['month', 'year'] as const) {
    const startAt = new Date(end);
    startAt.setUTCMonth(startAt.getUTCMonth() - INTERVAL_MONTHS[interval]);
    const period = firstPeriod({ interval, timeZone: 'UTC', anchor: { kind: 'anniversary', at: startAt } }, startAt);
    if (period.end.getTime() === end.getTime()) return { plan: `rack-${interval}`, interval, startAt };
  }
  throw new Error(`no monthly or yearly anniversary period ends at ${end.toISOString()}`);
}

async function waitFor<T>(what: () => string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Stored {
  revision: number;
  status: string;
  periodStart: string | null;
  transitions: Array<{ revision: number; copies: number; events: string[] }>;
  charges: Array<{ key: string; copies: number; amount: string }>;
  total: string;
  /** Outbox event types, sorted, duplicates kept. */
  events: string[];
}

/** What the database holds for a subscription, duplicates counted (read as superuser, under row-level security). */
async function stored(subscriptionId: string): Promise<Stored> {
  return db.asSuperuser(async (c) => {
    const sub = (await c.query(`SELECT revision, status, current_period_start FROM subscriptions WHERE id = $1`, [subscriptionId])).rows[0];
    const transitions = await c.query(
      `SELECT revision, count(*)::int AS copies, min(events::text) AS events FROM subscription_transitions
        WHERE subscription_id = $1 GROUP BY revision ORDER BY revision`,
      [subscriptionId],
    );
    const charges = await c.query(
      `SELECT line_key AS key, count(*)::int AS copies, sum(amount)::text AS amount FROM subscription_charges
        WHERE subscription_id = $1 GROUP BY line_key ORDER BY line_key`,
      [subscriptionId],
    );
    const total = await c.query(`SELECT coalesce(sum(amount), 0)::text AS total FROM subscription_charges WHERE subscription_id = $1`, [subscriptionId]);
    // By type: the activation event carries the backdated start as its time, so it sorts before the creation.
    const events = await c.query(`SELECT type FROM outbox_events WHERE resource_id = $1 ORDER BY type`, [subscriptionId]);
    return {
      revision: sub.revision, status: sub.status, periodStart: sub.current_period_start?.toISOString() ?? null,
      transitions: transitions.rows.map((r: { revision: number; copies: number; events: string }) => ({
        revision: r.revision, copies: r.copies, events: r.events.replace(/[{}]/g, '').split(','),
      })),
      charges: charges.rows, total: total.rows[0].total, events: events.rows.map((r: { type: string }) => r.type),
    };
  });
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The attempt that finally stored the step and what it returned, from the run's history. */
function completedAttempt(events: HistoryEvent[], activityId: string): { attempt: number; result: { recorded: boolean } } | undefined {
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityId === activityId);
  if (!scheduled) return undefined;
  const completed = events.find((e) => e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === scheduled.eventId?.toString());
  const started = events.find((e) => e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduled.eventId?.toString());
  const payload = completed?.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
  if (!payload || !started) return undefined;
  return { attempt: started.activityTaskStartedEventAttributes!.attempt ?? 0, result: defaultPayloadConverter.fromPayload(payload) };
}

/**
 * Creates a subscription whose first period ends seconds from now, lets a
 * worker that dies at `point` of recording the renewal take it, checks what
 * the crash left behind, then restarts a worker and waits for the retried
 * renewal to finish.
 */
async function crashMidRenewal(point: CrashPoint) {
  const marker = path.join(dir, `crash-${point}.json`);
  const crashing = startWorker({ point, onEvent: 'subscription.renewed', marker });
  await crashing.ready;

  // Whole seconds, a few of them ahead: time to record the first period before it ends.
  const periodEnd = new Date(Math.ceil((Date.now() + 5000) / 1000) * 1000);
  const { plan, interval, startAt } = backdatedStart(periodEnd);
  const { id } = await post('/v1/subscriptions', { account_id: accountId, plan, billing_anchor: 'anniversary', start_at: startAt.toISOString() });
  const handle = env.client.workflow.getHandle(subscriptionWorkflowId(tenant.id, id));

  let timer: NodeJS.Timeout | undefined;
  const death = await Promise.race([
    crashing.exited,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the worker did not crash:\n${crashing.output()}`)), 25_000);
    }),
  ]).finally(() => clearTimeout(timer));
  expect(death).toEqual({ code: null, signal: 'SIGKILL' });
  const report = JSON.parse(await readFile(marker, 'utf8')) as CrashReport;
  expect(report).toMatchObject({ point, subscriptionId: id, revision: 2, attempt: 1 });

  // Temporal still believes the dead worker is recording the renewal.
  const described = await handle.describe();
  const pending = described.raw.pendingActivities?.find((a) => a.activityType?.name === STEP_ACTIVITY);
  expect(pending).toMatchObject({ state: temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED, attempt: 1 });
  const atDeath = await stored(id);

  await env.connection.workflowService.updateActivityOptions({
    namespace: NAMESPACE,
    execution: { workflowId: handle.workflowId, runId: described.runId },
    id: pending!.activityId!,
    // Long enough for the retried attempt, which must not time out itself.
    activityOptions: { startToCloseTimeout: msToTs(2000) },
    updateMask: { paths: ['start_to_close_timeout'] },
    identity: 'worker-crash test',
  });
  const restarted = startWorker();
  await restarted.ready;

  const runHandle = env.client.workflow.getHandle(handle.workflowId, described.runId);
  const retried = await waitFor(() => `the retried ${STEP_ACTIVITY} to complete; worker output:\n${restarted.output()}`, async () =>
    completedAttempt((await runHandle.fetchHistory()).events ?? [], pending!.activityId!),
  );
  const live = await waitFor(() => 'the workflow to take in the renewal', async () => {
    const state = await handle.query(subscriptionState).catch(() => undefined);
    return state && state.revision === 2 ? state : undefined;
  });
  const after = await stored(id);
  // Leave the queue to the next case's crashing worker.
  await restarted.stop();

  const nextEnd = firstPeriod({ interval, timeZone: 'UTC', anchor: { kind: 'anniversary', at: startAt } }, periodEnd).end;
  const lineKey = (start: Date) => `${id}/recurring/${start.toISOString()}/${plan}/rack`;
  return { id, startAt, periodEnd, nextEnd, lineKey, atDeath, after, retried, live };
}

function expectRecordedOnce(r: Awaited<ReturnType<typeof crashMidRenewal>>): void {
  expect(r.after).toEqual({
    revision: 2,
    status: 'active',
    periodStart: r.periodEnd.toISOString(),
    transitions: [
      { revision: 1, copies: 1, events: ['subscription.activated'] },
      { revision: 2, copies: 1, events: ['subscription.renewed'] },
    ],
    charges: [
      { key: r.lineKey(r.startAt), copies: 1, amount: PRICE },
      { key: r.lineKey(r.periodEnd), copies: 1, amount: PRICE },
    ].sort((a, b) => a.key.localeCompare(b.key)),
    total: '2400.00',
    events: ['subscription.activated', 'subscription.created', 'subscription.renewed'],
  });
  expect(r.live).toMatchObject({
    status: 'active', revision: 2, periodsBilled: 2, currentPeriod: { start: r.periodEnd.toISOString(), end: r.nextEnd.toISOString() },
  });
}

it('killed after the renewal committed: the retry finds the step stored and records nothing twice', async () => {
  const r = await crashMidRenewal('after-commit');
  // The nastiest moment: the renewal is in the database, Temporal never heard of it.
  expect(r.atDeath).toMatchObject({ revision: 2, transitions: [{ revision: 1 }, { revision: 2 }], total: '2400.00' });
  expectRecordedOnce(r);
  expect(r.retried).toEqual({ attempt: 2, result: { recorded: false } });
}, 40_000);

it('killed before the renewal committed: nothing was kept, and the retry records it once', async () => {
  const r = await crashMidRenewal('before-commit');
  expect(r.atDeath).toMatchObject({ revision: 1, transitions: [{ revision: 1 }], total: PRICE, events: ['subscription.activated', 'subscription.created'] });
  expectRecordedOnce(r);
  expect(r.retried).toEqual({ attempt: 2, result: { recorded: true } });
}, 40_000);
