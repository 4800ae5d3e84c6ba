import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createInvoicingActivities } from '../../activities/invoicing';
import { createSubscriptionActivities } from '../../activities/subscriptions';
import { createLogger } from '../../lib/logger';
import { fixedTemporalClient } from '../../lib/temporal/connection';
import { TASK_QUEUES } from '../../lib/temporal/task-queues';
import type { TemporalRuntime } from './temporal-runtime';
import { timeSkippingEnvironment } from './temporal';

/**
 * Temporal for POST /v1/bill_runs in API tests: its own time-skipping test
 * server and a billing worker with the invoicing activities as well as the
 * subscription ones (the shared runtime of temporal-runtime.ts registers
 * only the latter, so a bill run there would retry its activities forever).
 * Its own server also keeps the route's wait for the run (a time-skipping
 * `result()`) from moving the clock of other tests' subscription workflows.
 * Give it to a second API on the same database: startTestApi(dataSource,
 * { temporal: billing.temporal }).
 */
export async function startBillingTemporal(dataSource: DataSource): Promise<TemporalRuntime> {
  const env = await timeSkippingEnvironment();
  const deps = { dataSource, logger: createLogger('silent', 'test') };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.billing,
    workflowsPath: require.resolve('../../workflows'),
    activities: { ...createSubscriptionActivities(deps), ...createInvoicingActivities(deps) },
    maxCachedWorkflows: 0,
  });
  const running = worker.run();
  return {
    env,
    temporal: fixedTemporalClient(env.client),
    async close() {
      worker.shutdown();
      await running.catch(() => undefined);
      await env.teardown();
    },
  };
}
