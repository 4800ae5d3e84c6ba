import { continueAsNew, defineQuery, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { MeteringActivities, ThresholdSweep } from '../../activities/metering';

/**
 * Announces bill-shock threshold crossings within a minute of the event that
 * crossed them: every `intervalSeconds` (15 by default) it runs one sweep of
 * the threshold queue the ingest transaction fills. One instance runs per
 * deployment, with the fixed id below, started by the billing worker like
 * housekeeping. Deterministic: only sleeps and activity calls; it continues
 * as new every `sweepsPerRun` sweeps (an hour by default) so its history
 * stays small.
 */
export const THRESHOLD_WATCHER_WORKFLOW_ID = 'rackrate-usage-threshold-watcher';

export interface ThresholdWatcherInput {
  intervalSeconds?: number;
  sweepsPerRun?: number;
  /** Carried across continue-as-new; callers leave it out. */
  sweepsBefore?: number;
  crossingsBefore?: number;
}

export interface ThresholdWatcherStatus {
  sweepsThisRun: number;
  sweepsTotal: number;
  crossingsTotal: number;
  lastSweep: ThresholdSweep | null;
}

export const thresholdWatcherStatus = defineQuery<ThresholdWatcherStatus>('status');

const { evaluateUsageThresholds } = proxyActivities<MeteringActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
});

export async function usageThresholdWatcherWorkflow(input: ThresholdWatcherInput = {}): Promise<void> {
  const intervalSeconds = input.intervalSeconds ?? 15;
  const sweepsPerRun = input.sweepsPerRun ?? 240;
  const status: ThresholdWatcherStatus = {
    sweepsThisRun: 0,
    sweepsTotal: input.sweepsBefore ?? 0,
    crossingsTotal: input.crossingsBefore ?? 0,
    lastSweep: null,
  };
  setHandler(thresholdWatcherStatus, () => status);

  while (status.sweepsThisRun < sweepsPerRun) {
    const sweep = await evaluateUsageThresholds({});
    status.sweepsThisRun += 1;
    status.sweepsTotal += 1;
    status.crossingsTotal += sweep.crossings;
    status.lastSweep = sweep;
    await sleep(`${intervalSeconds} seconds`);
  }
  await continueAsNew<typeof usageThresholdWatcherWorkflow>({
    intervalSeconds,
    sweepsPerRun,
    sweepsBefore: status.sweepsTotal,
    crossingsBefore: status.crossingsTotal,
  });
}
