import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { temporalProbe } from '../../lib/temporal/connection';
import { ensureSearchAttributes } from '../../lib/temporal/search-attribute-registration';
import { RACKRATE_SEARCH_ATTRIBUTES, TENANT, STATUS } from '../../lib/temporal/search-attributes';
import { TASK_QUEUES } from '../../lib/temporal/task-queues';
import { ensureHousekeeping, runWorkers } from '../../workers/run-workers';
import { HOUSEKEEPING_WORKFLOW_ID, housekeepingStatus, housekeepingWorkflow } from '../../workflows/housekeeping';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { devServerEnvironment } from '../support/temporal';

/** Against a real Temporal dev server: the worker entry point, housekeeping start-up and search attributes. */
let env: TestWorkflowEnvironment;
let db: TestDatabase;

beforeAll(async () => {
  [env, db] = await Promise.all([devServerEnvironment(), createTestDatabase()]);
}, 60_000);

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

it('registers the search attributes once, idempotently', async () => {
  const added = await ensureSearchAttributes(env.connection, 'default');
  expect(added.sort()).toEqual(RACKRATE_SEARCH_ATTRIBUTES.map((k) => k.name).sort());
  expect(await ensureSearchAttributes(env.connection, 'default')).toEqual([]);
  const listed = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
  for (const key of RACKRATE_SEARCH_ATTRIBUTES) expect(Object.keys(listed.customAttributes)).toContain(key.name);
});

it('runs the billing worker, which starts housekeeping exactly once', async () => {
  const config = loadConfig({ TEMPORAL_ADDRESS: env.address });
  const logger = createLogger('silent', 'test-worker');
  const workers = await runWorkers(config, { dataSource: db.dataSource, logger });
  try {
    expect(workers.queues).toEqual(['billing']);
    const handle = env.client.workflow.getHandle(HOUSEKEEPING_WORKFLOW_ID);
    const first = await handle.describe();
    expect(first.status.name).toBe('RUNNING');
    expect(first.taskQueue).toBe(TASK_QUEUES.billing);
    expect(await handle.query(housekeepingStatus)).toMatchObject({ cyclesThisRun: 0 });

    await ensureHousekeeping(env.client, logger);
    expect((await handle.describe()).runId).toBe(first.runId);

    // The API's readiness probe sees the same server.
    await expect(temporalProbe(config).check()).resolves.toBeUndefined();
    await handle.terminate('test done');
  } finally {
    await workers.shutdown();
  }
}, 60_000);

it('lets support staff find workflows by tenant and status', async () => {
  await ensureSearchAttributes(env.connection, 'default');
  const handle = await env.client.workflow.start(housekeepingWorkflow, {
    taskQueue: 'nobody-polls-this',
    workflowId: 'search-attribute-probe',
    typedSearchAttributes: [
      { key: TENANT, value: 'tenant-for-search' },
      { key: STATUS, value: 'past_due' },
    ],
  });
  try {
    const query = `RackrateTenant = "tenant-for-search" AND RackrateStatus = "past_due"`;
    let found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      found = [];
      for await (const wf of env.client.workflow.list({ query })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(found).toEqual(['search-attribute-probe']);
  } finally {
    await handle.terminate('test done');
  }
}, 30_000);
