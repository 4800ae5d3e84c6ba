import { createDataSource } from '../db/data-source';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { exitWithSupervisor } from '../lib/process/child-process';
import { isTaskQueueName, TASK_QUEUES, type TaskQueueName } from '../lib/temporal/task-queues';
import { runWorkers } from './run-workers';
import { installTemporalLogging } from './temporal-logging';

/**
 * Worker process. RACKRATE_TASK_QUEUES (or --queue billing,payments) picks
 * the queues; by default it serves every queue that has work registered,
 * which is what `npm start` runs. In production run one process per queue.
 */
function requestedQueues(argv: string[], fromEnv: string[] | undefined): TaskQueueName[] | undefined {
  const flag = argv.indexOf('--queue');
  const names = flag >= 0 ? argv[flag + 1]?.split(',') : fromEnv;
  if (names === undefined) return undefined;
  for (const name of names) {
    if (!isTaskQueueName(name)) {
      throw new Error(`unknown task queue "${name}"; use one of: ${Object.keys(TASK_QUEUES).join(', ')}`);
    }
  }
  return names as TaskQueueName[];
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'rackrate-worker');
  installTemporalLogging(logger);
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required for the worker process');
  const dataSource = createDataSource({ url: config.databaseUrl, poolSize: 5, applicationName: 'rackrate-worker' });
  await dataSource.initialize();
  const workers = await runWorkers(config, { dataSource, logger, usageRetentionMonths: config.usageRetentionMonths }, requestedQueues(process.argv, config.taskQueues));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down workers');
    void workers.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  exitWithSupervisor(stop);
  await workers.done;
  await dataSource.destroy();
  logger.info('workers stopped');
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
