import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { temporalAddress } from '../lib/temporal/connection';
import { ensureSearchAttributes } from '../lib/temporal/search-attribute-registration';
import { TASK_QUEUES, type TaskQueueName } from '../lib/temporal/task-queues';
import { HOUSEKEEPING_WORKFLOW_ID } from '../workflows/housekeeping';
import { THRESHOLD_WATCHER_WORKFLOW_ID } from '../workflows/metering/threshold-watcher';
import { BILLING_SCHEDULER_WORKFLOW_ID } from '../workflows/invoicing/definitions';
import { queueDefinitions, type WorkerDeps } from './queue-definitions';

/** Waits for Temporal to accept connections: `npm start` may still be bringing it up. */
export async function connectWithRetry(address: string, logger: Logger, timeoutMs = 10 * 60 * 1000): Promise<NativeConnection> {
  const deadline = Date.now() + timeoutMs;
  let attempt = 0;
  for (;;) {
    try {
      return await NativeConnection.connect({ address });
    } catch (error) {
      attempt += 1;
      if (Date.now() > deadline) throw error;
      if (attempt === 1 || attempt % 15 === 0) logger.info({ address }, 'waiting for Temporal');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** Starts the housekeeping workflow unless it already runs (fixed id, so never twice). */
export async function ensureHousekeeping(client: Client, logger: Logger): Promise<void> {
  try {
    await client.workflow.start('housekeepingWorkflow', {
      workflowId: HOUSEKEEPING_WORKFLOW_ID,
      taskQueue: TASK_QUEUES.billing,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  logger.info({ workflow_id: HOUSEKEEPING_WORKFLOW_ID }, 'housekeeping workflow running');
}

/** Starts the usage threshold watcher unless it already runs (fixed id, so never twice). */
export async function ensureThresholdWatcher(client: Client, logger: Logger): Promise<void> {
  try {
    await client.workflow.start('usageThresholdWatcherWorkflow', {
      workflowId: THRESHOLD_WATCHER_WORKFLOW_ID,
      taskQueue: TASK_QUEUES.billing,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  logger.info({ workflow_id: THRESHOLD_WATCHER_WORKFLOW_ID }, 'usage threshold watcher running');
}

/** Starts the billing scheduler (bill runs) unless it already runs (fixed id, so never twice). */
export async function ensureBillingScheduler(client: Client, logger: Logger): Promise<void> {
  try {
    await client.workflow.start('billingSchedulerWorkflow', {
      workflowId: BILLING_SCHEDULER_WORKFLOW_ID,
      taskQueue: TASK_QUEUES.billing,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  logger.info({ workflow_id: BILLING_SCHEDULER_WORKFLOW_ID }, 'billing scheduler running');
}

export interface RunningWorkers {
  queues: TaskQueueName[];
  /** Resolves when every worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function runWorkers(config: Config, deps: WorkerDeps, requested?: TaskQueueName[]): Promise<RunningWorkers> {
  const { logger } = deps;
  const connection = await connectWithRetry(temporalAddress(config), logger);
  const namespace = config.temporalNamespace;
  try {
    const added = await ensureSearchAttributes(connection, namespace);
    if (added.length > 0) logger.info({ added }, 'registered search attributes');
  } catch (error) {
    logger.warn({ err: error }, 'could not register search attributes; register them with `temporal operator search-attribute create`');
  }

  const definitions = queueDefinitions(deps);
  const wanted = requested ?? (Object.keys(TASK_QUEUES) as TaskQueueName[]);
  const names = wanted.filter((q) => definitions[q] !== null);
  if (names.length === 0) {
    await connection.close();
    throw new Error(`no work is registered on the requested task queues (${wanted.join(', ')}); today only billing has work`);
  }
  const idle = wanted.filter((q) => definitions[q] === null);
  if (idle.length > 0) logger.warn({ queues: idle }, 'no work is registered on these task queues yet; not polling them');
  const workers = await Promise.all(
    names.map((name) =>
      Worker.create({
        connection,
        namespace,
        taskQueue: TASK_QUEUES[name],
        ...definitions[name],
      }),
    ),
  );
  if (names.includes('billing')) {
    const client = new Client({ connection, namespace });
    await ensureHousekeeping(client, logger);
    await ensureThresholdWatcher(client, logger);
    await ensureBillingScheduler(client, logger);
  }
  logger.info({ queues: names.map((n) => TASK_QUEUES[n]) }, 'workers running');
  const done = Promise.all(workers.map((w) => w.run())).then(async () => {
    await connection.close();
  });
  return {
    queues: names,
    done,
    async shutdown() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
