import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createMeteringActivities } from '../../../activities/metering';
import { createLogger } from '../../../lib/logger';
import { ensureThresholdWatcher } from '../../../workers/run-workers';
import { THRESHOLD_WATCHER_WORKFLOW_ID, thresholdWatcherStatus, usageThresholdWatcherWorkflow } from '../../../workflows/metering/threshold-watcher';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestApi, type TestApi } from '../../support/http';
import { devServerEnvironment } from '../../support/temporal';
import { createTestTenant, type TestTenant } from '../../support/tenants';
import { createAccount, insertSubscription, seedUsageCatalog } from '../../db/metering/thresholds-fixtures';

/**
 * The watcher on a real Temporal dev server, in real time: an event posted
 * to the ingestion API that crosses a threshold is announced within a
 * minute (here within a few seconds, with a 2-second interval), once.
 */
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let api: TestApi;
let tenant: TestTenant;
const logger = createLogger('silent', 'test');
const QUEUE = 'test-threshold-watcher';

beforeAll(async () => {
  [env, db] = await Promise.all([devServerEnvironment(), createTestDatabase()]);
  api = await startTestApi(db.dataSource);
  tenant = await createTestTenant(db.dataSource, 'watcher');
  await seedUsageCatalog(api, tenant.adminKey);
}, 90_000);

afterAll(async () => {
  await api?.close();
  await env?.teardown();
  await db?.drop();
});

async function crossings(thresholdId: string): Promise<Array<{ percent: number; occurred_at: Date }>> {
  const rows = await db.asSuperuser((c) =>
    c.query(`SELECT (payload->>'percent')::int AS percent, occurred_at FROM outbox_events WHERE type = 'usage.threshold_crossed' AND resource_id = $1 ORDER BY id`, [thresholdId]),
  );
  return rows.rows;
}

function currentMonth(now: Date) {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start: start.toISOString(), end: end.toISOString() };
}

it('announces a crossing within a minute of the ingested event that crossed it, and only once', async () => {
  const key = tenant.adminKey;
  const accountId = await createAccount(api, key);
  const subscriptionId = await insertSubscription(db.dataSource, tenant.id, { accountId, plan: 'metered', period: currentMonth(new Date()) });
  const created = await api.request('POST', '/v1/usage_thresholds', {
    key, body: { account_id: accountId, subscription_id: subscriptionId, basis: 'units', metric_code: 'transit-gb', reference: 'value', reference_value: '100', percents: [50, 100] },
  });
  expect(created.status).toBe(201);
  const thresholdId: string = created.body.id;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: QUEUE,
    workflowsPath: require.resolve('../../../workflows'),
    activities: createMeteringActivities({ dataSource: db.dataSource, logger }),
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(usageThresholdWatcherWorkflow, { args: [{ intervalSeconds: 2 }], taskQueue: QUEUE, workflowId: 'test-watcher' });
    const event = (id: string, gb: number) => ({ id, subscription_id: subscriptionId, code: 'interface.bytes', timestamp: new Date().toISOString(), properties: { gb } });
    const sent = await api.request('POST', '/v1/events', { key, body: event('watch-1', 60) });
    expect(sent.status).toBeLessThan(300);
    const sentAt = Date.now();
    let seen: Array<{ percent: number; occurred_at: Date }> = [];
    while (seen.length === 0 && Date.now() - sentAt < 60_000) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await crossings(thresholdId);
    }
    const latencyMs = Date.now() - sentAt;
    expect(seen.map((c) => c.percent)).toEqual([50]);
    expect(latencyMs).toBeLessThan(60_000);
    // With a 2-second interval the announcement takes a sweep or two.
    expect(latencyMs).toBeLessThan(10_000);

    // The same event again is a duplicate; more sweeps announce nothing new.
    await api.request('POST', '/v1/events', { key, body: event('watch-1', 60) });
    await new Promise((r) => setTimeout(r, 5000));
    expect((await crossings(thresholdId)).map((c) => c.percent)).toEqual([50]);
    const status = await handle.query(thresholdWatcherStatus);
    expect(status.sweepsThisRun).toBeGreaterThanOrEqual(2);
    expect(status.crossingsTotal).toBe(1);
    console.log(`threshold crossing announced ${latencyMs} ms after the event was accepted (interval 2 s)`);
    await handle.terminate('test done');
  });
}, 120_000);

it('continues as new after its sweeps, carrying the counts', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: QUEUE,
    workflowsPath: require.resolve('../../../workflows'),
    activities: createMeteringActivities({ dataSource: db.dataSource, logger }),
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(usageThresholdWatcherWorkflow, { args: [{ intervalSeconds: 1, sweepsPerRun: 2 }], taskQueue: QUEUE, workflowId: 'test-watcher-can' });
    let status = await handle.query(thresholdWatcherStatus);
    for (let i = 0; i < 100 && status.sweepsTotal < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await env.client.workflow.getHandle('test-watcher-can').query(thresholdWatcherStatus);
    }
    expect(status.sweepsTotal).toBeGreaterThanOrEqual(3);
    expect(status.sweepsThisRun).toBeLessThanOrEqual(2);
    const first = env.client.workflow.getHandle('test-watcher-can', handle.firstExecutionRunId);
    expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
    await env.client.workflow.getHandle('test-watcher-can').terminate('test done');
  });
}, 60_000);

it('is started once per deployment, whoever asks', async () => {
  await ensureThresholdWatcher(env.client, logger);
  const handle = env.client.workflow.getHandle(THRESHOLD_WATCHER_WORKFLOW_ID);
  const first = await handle.describe();
  expect(first.status.name).toBe('RUNNING');
  await ensureThresholdWatcher(env.client, logger);
  expect((await handle.describe()).runId).toBe(first.runId);
  await handle.terminate('test done');
});
