/**
 * Task queues, one per kind of work so each can be scaled and rate-limited on
 * its own (docs/architecture.md). A worker process serves one or more.
 */
export const TASK_QUEUES = {
  /** Subscription and billing-account workflows, rating, invoicing, housekeeping. */
  billing: 'rackrate-billing',
  /** Charging cards and bank accounts, dunning. */
  payments: 'rackrate-payments',
  /** E-mail and webhooks. */
  notifications: 'rackrate-notifications',
  /** Usage aggregation. */
  usage: 'rackrate-usage',
} as const;

export type TaskQueueName = keyof typeof TASK_QUEUES;

export function isTaskQueueName(name: string): name is TaskQueueName {
  return Object.prototype.hasOwnProperty.call(TASK_QUEUES, name);
}
