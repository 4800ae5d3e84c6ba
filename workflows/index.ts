/** Every workflow a worker registers; the worker bundles this file. */
export { housekeepingWorkflow } from './housekeeping';
export { subscriptionWorkflow } from './subscription/workflow';
export { usageThresholdWatcherWorkflow } from './metering/threshold-watcher';
