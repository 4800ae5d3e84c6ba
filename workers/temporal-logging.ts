import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from '../lib/logger';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Sends the Temporal SDK's own log lines (worker state, workflow and activity
 * loggers) through our JSON logger, so a worker's log is one format.
 * Must run before the first connection is made.
 */
export function installTemporalLogging(logger: Logger): void {
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry: LogEntry) => {
      sdk[LEVELS[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}
