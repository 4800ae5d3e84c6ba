import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createInvoicingActivities } from '../../activities/invoicing';
import { createSubscriptionActivities } from '../../activities/subscriptions';
import { createLogger } from '../../lib/logger';
import { fixedTemporalClient, type TemporalClientProvider } from '../../lib/temporal/connection';
import { ensureSearchAttributes } from '../../lib/temporal/search-attribute-registration';
import { TASK_QUEUES } from '../../lib/temporal/task-queues';
import { timeSkippingEnvironment } from './temporal';

/**
 * Temporal for API tests that touch subscriptions: the time-skipping test
 * server (time stays put unless a test moves it) and a billing worker with
 * the real workflows and activities (subscriptions, bill runs) on the test's database.
 */
export interface TemporalRuntime {
  env: TestWorkflowEnvironment;
  temporal: TemporalClientProvider;
  close(): Promise<void>;
}

export async function startTemporalRuntime(dataSource: DataSource): Promise<TemporalRuntime> {
  const env = await timeSkippingEnvironment();
  await ensureSearchAttributes(env.connection, 'default');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.billing,
    workflowsPath: require.resolve('../../workflows'),
    activities: { ...createSubscriptionActivities({ dataSource, logger: createLogger('silent', 'test') }), ...createInvoicingActivities({ dataSource, logger: createLogger('silent', 'test') }) },
    // The Java test server answers queries unreliably on sticky task queues; without a cache every task replays.
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
