/** Every workflow a worker registers; the worker bundles this file. */
export { housekeepingWorkflow } from './housekeeping';
export { subscriptionWorkflow } from './subscription/workflow';
export { usageThresholdWatcherWorkflow } from './metering/threshold-watcher';
export { billRunWorkflow } from './invoicing/bill-run';
export { billingSchedulerWorkflow } from './invoicing/billing-scheduler';
