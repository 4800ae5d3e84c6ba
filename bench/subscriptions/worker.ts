import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../db/data-source';
import { createLogger } from '../../lib/logger';
import { TASK_QUEUES } from '../../lib/temporal/task-queues';
import { queueDefinitions } from '../../workers/queue-definitions';
import { installTemporalLogging } from '../../workers/temporal-logging';
import { NOOP_TASK_QUEUE, WORKER_ENV, type ControlMessage, type WorkerKind, type WorkerMessage, type WorkerSettings } from './protocol';

/**
 * A worker process of the subscription benchmark, forked so its CPU time is
 * its own. `billing` is the production billing worker: the same queue
 * definitions, the same pool of 5 connections and the SDK's default limits
 * as workers/main.ts. `noop` runs only the baseline workflow bundle. Answers
 * `cpu` with process.cpuUsage() (every thread: the SDK core's, the workflow
 * thread's, the main one's) and stops on `stop` or when the parent goes away.
 */
const WORKER_POOL_SIZE = 5;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`bench/subscriptions/worker needs ${name}; it is started by bench/run (npm run bench)`);
  return value;
}

function slots(supplier: { type: string } & Partial<{ numSlots: number }>): number | null {
  return supplier.type === 'fixed-size' ? (supplier.numSlots ?? null) : null;
}

function polls(behavior: { type: string } & Partial<{ maximum: number }>): number | null {
  return behavior.maximum ?? null;
}

function settingsOf(worker: Worker, poolSize: number | null): WorkerSettings {
  const o = worker.options;
  return {
    task_queue: o.taskQueue,
    max_concurrent_workflow_task_executions: slots(o.tuner.workflowTaskSlotSupplier),
    max_concurrent_activity_task_executions: slots(o.tuner.activityTaskSlotSupplier),
    max_concurrent_workflow_task_polls: polls(o.workflowTaskPollerBehavior),
    max_concurrent_activity_task_polls: polls(o.activityTaskPollerBehavior),
    max_cached_workflows: o.maxCachedWorkflows,
    workflow_thread_pool_size: o.workflowThreadPoolSize,
    reuse_v8_context: o.reuseV8Context,
    database_pool_size: poolSize,
  };
}

async function main(): Promise<void> {
  const kind = required(WORKER_ENV.kind) as WorkerKind;
  const address = required(WORKER_ENV.temporalAddress);
  const logger = createLogger('warn', `bench-${kind}-worker`);
  installTemporalLogging(logger);
  let dataSource: DataSource | undefined;
  const connection = await NativeConnection.connect({ address });
  let worker: Worker;
  if (kind === 'billing') {
    dataSource = createDataSource({ url: required(WORKER_ENV.databaseUrl), poolSize: WORKER_POOL_SIZE, applicationName: 'rackrate-worker' });
    await dataSource.initialize();
    const billing = queueDefinitions({ dataSource, logger }).billing;
    if (billing === null) throw new Error('no work is registered on the billing queue');
    worker = await Worker.create({ connection, namespace: 'default', taskQueue: TASK_QUEUES.billing, ...billing });
  } else if (kind === 'noop') {
    worker = await Worker.create({ connection, namespace: 'default', taskQueue: NOOP_TASK_QUEUE, workflowsPath: require.resolve('./noop-workflow') });
  } else {
    throw new Error(`${WORKER_ENV.kind} must be billing or noop, not ${JSON.stringify(kind)}`);
  }

  const running = worker.run();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch((error: unknown) => logger.error({ err: error }, 'worker failed while stopping'));
      await dataSource?.destroy();
      await connection.close();
      process.exit(0);
    })());
  process.on('message', (message: ControlMessage) => {
    if (message.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', seconds: (usage.user + usage.system) / 1e6 });
    } else if (message.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());
  running.catch((error: unknown) => {
    logger.error({ err: error }, 'worker stopped with an error');
    process.exit(1);
  });
  send({ type: 'ready', settings: settingsOf(worker, kind === 'billing' ? WORKER_POOL_SIZE : null) });
}

main().catch((error: unknown) => {
  const message: WorkerMessage = { type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  // Exit once the message is on its way, or at once without a parent.
  if (process.send) process.send(message, () => process.exit(1));
  else process.exit(1);
});
