/** Every workflow a worker registers; the worker bundles this file. */
export { housekeepingWorkflow } from './housekeeping';
