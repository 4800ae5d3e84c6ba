import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Bundled into the workflow code only by the replay tests (history-replay.ts):
 * reports every activity and child workflow the replayed workflow starts,
 * with its arguments, so the test can compare them with the inputs the
 * history recorded. Temporal itself checks only the command's type and
 * sequence on replay, not its input.
 */
export interface ReplayCheckSinks extends Sinks {
  replayCheck: {
    activityScheduled(activityType: string, args: unknown[]): void;
    childWorkflowStarted(workflowType: string, workflowId: string, args: unknown[]): void;
  };
}

const { replayCheck } = proxySinks<ReplayCheckSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        replayCheck.activityScheduled(input.activityType, input.args);
        return next(input);
      },
      startChildWorkflowExecution(input, next) {
        replayCheck.childWorkflowStarted(input.workflowType, input.options.workflowId, input.options.args);
        return next(input);
      },
    },
  ],
});
