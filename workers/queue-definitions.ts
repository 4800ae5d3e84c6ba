import type { DataSource } from 'typeorm';
import { createHousekeepingActivities } from '../activities/housekeeping';
import { createInvoicingActivities } from '../activities/invoicing';
import { createMeteringActivities } from '../activities/metering';
import { createSubscriptionActivities } from '../activities/subscriptions';
import type { Logger } from '../lib/logger';
import type { TaskQueueName } from '../lib/temporal/task-queues';

/**
 * What each task queue runs. A queue with nothing registered yet is null and
 * no worker is started for it; the issues that bring payments, notifications
 * and usage work fill them in.
 */
export interface QueueDefinition {
  workflowsPath?: string;
  activities?: object;
}

export interface WorkerDeps {
  dataSource: DataSource;
  logger: Logger;
  /** Raw usage retention for housekeeping; the default when unset (services/metering/usage-retention.ts). */
  usageRetentionMonths?: number;
}

export function queueDefinitions(deps: WorkerDeps): Record<TaskQueueName, QueueDefinition | null> {
  return {
    billing: {
      workflowsPath: require.resolve('../workflows'),
      activities: { ...createHousekeepingActivities(deps), ...createSubscriptionActivities(deps), ...createMeteringActivities(deps), ...createInvoicingActivities(deps) },
    },
    payments: null,
    notifications: null,
    usage: null,
  };
}
