import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, writeFileSync } from 'node:fs';
import { Context } from '@temporalio/activity';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { DataSource, EntityManager } from 'typeorm';
import { createSubscriptionActivities } from '../../activities/subscriptions';
import { createDataSource } from '../../db/data-source';
import type { Step } from '../../domain/subscriptions/lifecycle';
import { createLogger } from '../../lib/logger';
import { TASK_QUEUES } from '../../lib/temporal/task-queues';
import { CONFIG_ENV, type CrashPoint, type CrashReport, type CrashingWorkerConfig } from './crashing-worker-process';

/**
 * Child-process entry of test/support/crashing-worker-process.ts: a billing
 * worker with the real workflows and subscription activities. Test-only:
 * the crash switch wraps the activity and the data source from outside,
 * production code knows nothing of it.
 */
const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as CrashingWorkerConfig | null;
if (!config) throw new Error(`${CONFIG_ENV} is not set`);

/** The step being recorded, so the transaction wrapper knows what it is committing. */
const recording = new AsyncLocalStorage<{ setup: { subscriptionId: string }; step: Step }>();

function crashIfChosen(point: CrashPoint): void {
  const crash = config!.crash;
  const input = recording.getStore();
  if (!crash || crash.point !== point || !input || existsSync(crash.marker)) return;
  if (!input.step.events.some((e) => e.type === crash.onEvent)) return;
  const report: CrashReport = {
    point, subscriptionId: input.setup.subscriptionId, revision: input.step.runtime.revision, attempt: Context.current().info.attempt, pid: process.pid,
  };
  writeFileSync(crash.marker, JSON.stringify(report));
  process.kill(process.pid, 'SIGKILL');
}

/** inTenantTransaction calls dataSource.transaction(work): run `work`, then maybe die before the COMMIT is sent. */
function dieBeforeCommit(dataSource: DataSource): void {
  const transaction = dataSource.transaction.bind(dataSource) as <T>(work: (tx: EntityManager) => Promise<T>) => Promise<T>;
  const wrapped = <T>(work: (tx: EntityManager) => Promise<T>): Promise<T> => {
    if (typeof work !== 'function') throw new Error('the crashing worker only wraps dataSource.transaction(work)');
    return transaction(async (tx) => {
      const result = await work(tx);
      crashIfChosen('before-commit');
      return result;
    });
  };
  Object.assign(dataSource, { transaction: wrapped });
}

async function main(cfg: CrashingWorkerConfig): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataSource = createDataSource({ url: cfg.databaseUrl, poolSize: 4 });
  await dataSource.initialize();
  dieBeforeCommit(dataSource);
  const activities = createSubscriptionActivities({ dataSource, logger: createLogger('silent', 'crashing-worker') });
  const record = activities.recordSubscriptionStep;
  activities.recordSubscriptionStep = (input) =>
    recording.run(input, async () => {
      const result = await record(input);
      crashIfChosen('after-commit');
      return result;
    });

  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: cfg.namespace,
    taskQueue: TASK_QUEUES.billing,
    workflowBundle: { codePath: cfg.workflowBundlePath },
    activities,
    // A killed worker's sticky queue is abandoned; hand its workflows to the normal queue after 1 s instead of 10.
    stickyQueueScheduleToStartTimeout: '1s',
  });
  const running = worker.run();
  process.send?.({ type: 'ready' });
  await running;
  await connection.close();
  await dataSource.destroy();
}

main(config).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
