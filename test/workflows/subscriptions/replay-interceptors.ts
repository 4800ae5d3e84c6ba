import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * Bundled into the workflow code only by replay.test.ts: reports every
 * activity the replayed workflow schedules, with its arguments, so the test
 * can compare them with the inputs the history recorded. Temporal itself
 * checks only the activity's type and sequence on replay, not its input.
 */
export interface ReplayCheckSinks extends Sinks {
  replayCheck: { activityScheduled(activityType: string, args: unknown[]): void };
}

const { replayCheck } = proxySinks<ReplayCheckSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        replayCheck.activityScheduled(input.activityType, input.args);
        return next(input);
      },
    },
  ],
});
