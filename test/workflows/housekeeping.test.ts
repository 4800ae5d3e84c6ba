import { WorkflowContinuedAsNewError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createHousekeepingActivities } from '../../activities/housekeeping';
import { createLogger } from '../../lib/logger';
import { housekeepingStatus, housekeepingWorkflow } from '../../workflows/housekeeping';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { timeSkippingEnvironment } from '../support/temporal';
import { createTestTenant, type TestTenant } from '../support/tenants';

/**
 * The time-skipping harness: the housekeeping workflow sleeps a day between
 * cycles and continues as new after 30 of them. Thirty simulated days pass
 * in seconds, and the activity deletes exactly what expired by then.
 */
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let tenant: TestTenant;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  [env, db] = await Promise.all([timeSkippingEnvironment(), createTestDatabase()]);
  tenant = await createTestTenant(db.dataSource, 'housekeeping');
}, 60_000);

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

async function insertKeys(now: number): Promise<void> {
  await db.asSuperuser(async (c) => {
    const insert = `INSERT INTO idempotency_keys (tenant_id, key, request_method, request_path, request_hash, response_status,
      response_body, response_headers, created_at, expires_at) VALUES ($1, $2, 'POST', '/v1/accounts', 'h', 201, '{}', '{}', $3, $4)`;
    await c.query(insert, [tenant.id, 'expires-in-12h', new Date(now), new Date(now + DAY / 2)]);
    await c.query(insert, [tenant.id, 'expires-in-29d', new Date(now), new Date(now + 29 * DAY)]);
    await c.query(insert, [tenant.id, 'expires-in-60d', new Date(now), new Date(now + 60 * DAY)]);
    await c.query(
      `INSERT INTO platform_idempotency_keys (key, request_method, request_path, request_hash, response_status,
        response_body, response_headers, created_at, expires_at) VALUES ('platform-2h', 'POST', '/v1/tenants', 'h', 201, '{}', '{}', $1, $2)`,
      [new Date(now), new Date(now + DAY / 12)],
    );
  });
}

async function remainingKeys(): Promise<string[]> {
  return db.asSuperuser(async (c) =>
    (await c.query(`SELECT key FROM idempotency_keys UNION ALL SELECT key FROM platform_idempotency_keys ORDER BY 1`)).rows.map(
      (r: { key: string }) => r.key,
    ),
  );
}

it('waits 30 simulated days, pruning daily, then continues as new within seconds', async () => {
  const simulatedStart = await env.currentTimeMs();
  await insertKeys(simulatedStart);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'test-housekeeping',
    workflowsPath: require.resolve('../../workflows'),
    activities: createHousekeepingActivities({ dataSource: db.dataSource, logger: createLogger('silent', 'test') }),
  });

  await worker.runUntil(async () => {
    const realStart = Date.now();
    const handle = await env.client.workflow.start(housekeepingWorkflow, {
      args: [{ cyclesPerRun: 30 }],
      taskQueue: 'test-housekeeping',
      workflowId: 'test-housekeeping',
      followRuns: false,
    });
    // Awaiting the result lets the server skip time to each timer.
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowContinuedAsNewError);
    const realSeconds = (Date.now() - realStart) / 1000;
    const simulatedDays = ((await env.currentTimeMs()) - simulatedStart) / DAY;

    expect(simulatedDays).toBeGreaterThanOrEqual(30);
    expect(simulatedDays).toBeLessThan(31);
    expect(realSeconds).toBeLessThan(60);
    const firstRun = env.client.workflow.getHandle('test-housekeeping', handle.firstExecutionRunId);
    expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');

    // Keys that expired in the 30 days are gone; the one for day 60 stays.
    expect(await remainingKeys()).toEqual(['expires-in-60d']);

    // The next run carries the count and has its own fresh history.
    const next = env.client.workflow.getHandle('test-housekeeping');
    const status = await next.query(housekeepingStatus);
    expect(status).toEqual({ cyclesThisRun: 0, cyclesTotal: 30, lastCycleAt: null, lastDeleted: 0 });
    await next.terminate('test done');
  });
}, 120_000);
